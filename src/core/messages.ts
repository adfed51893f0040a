// Every refusal the core can give, in English and French. `{name}` is a parameter.
export const MESSAGES = {
  // Password policy (NIST SP 800-63B)
  password_too_short: {
    en: 'Your password must be at least {min} characters long.',
    fr: 'Votre mot de passe doit comporter au moins {min} caractères.',
  },
  password_too_long: {
    en: 'Your password must be at most {max} characters long.',
    fr: 'Votre mot de passe doit comporter au plus {max} caractères.',
  },
  password_common: {
    en: 'This password is too common: it appears in lists of breached passwords. Choose another.',
    fr: 'Ce mot de passe est trop courant : il figure dans des listes de mots de passe divulgués. Choisissez-en un autre.',
  },
  password_contains_email: {
    en: 'Your password must not contain your email address.',
    fr: 'Votre mot de passe ne doit pas contenir votre adresse e-mail.',
  },
  password_contains_name: {
    en: 'Your password must not contain your name.',
    fr: 'Votre mot de passe ne doit pas contenir votre nom.',
  },
  password_unchanged: {
    en: 'Your new password must differ from the current one.',
    fr: 'Votre nouveau mot de passe doit être différent de l’actuel.',
  },
  password_mismatch: {
    en: 'The two passwords do not match.',
    fr: 'Les deux mots de passe ne correspondent pas.',
  },
  // PIN
  pin_format: {
    en: 'Your PIN must be 4 to 8 digits.',
    fr: 'Votre code PIN doit comporter de 4 à 8 chiffres.',
  },
  pin_repeated: {
    en: 'Your PIN must not be one digit repeated.',
    fr: 'Votre code PIN ne doit pas répéter un seul chiffre.',
  },
  pin_sequence: {
    en: 'Your PIN must not be a straight sequence such as 1234 or 9876.',
    fr: 'Votre code PIN ne doit pas être une suite comme 1234 ou 9876.',
  },
  // Credentials
  wrong_password: {
    en: 'The current password is not correct.',
    fr: 'Le mot de passe actuel est incorrect.',
  },
  wrong_pin: {
    en: 'The PIN is not correct.',
    fr: 'Le code PIN est incorrect.',
  },
  wrong_answer: {
    en: 'That answer does not match the one on file.',
    fr: 'Cette réponse ne correspond pas à celle enregistrée.',
  },
  wrong_otp: {
    en: 'That code is not valid. Codes change every 30 seconds and work once.',
    fr: 'Ce code n’est pas valide. Les codes changent toutes les 30 secondes et ne servent qu’une fois.',
  },
  account_locked_until: {
    en: 'Your account is locked until {until} after too many failed attempts. Try again then, or ask for an unlock with /login-help in Slack.',
    fr: 'Votre compte est verrouillé jusqu’au {until} après trop de tentatives échouées. Réessayez ensuite, ou demandez un déverrouillage avec /login-help dans Slack.',
  },
  too_many_attempts: {
    en: 'Too many attempts at once on this account. Wait a minute and try again.',
    fr: 'Trop de tentatives simultanées sur ce compte. Patientez une minute et réessayez.',
  },
  temp_password_sign_in_first: {
    en: 'A temporary password only works once, to sign in at /login: sign in with it to get your change link, or ask an administrator for a new one.',
    fr: 'Un mot de passe temporaire ne sert qu’une fois, pour se connecter sur /login : connectez-vous avec lui pour obtenir votre lien de changement, ou demandez-en un nouveau à un administrateur.',
  },
  link_limit: {
    en: 'You asked for 3 links in the last hour, the most keydesk sends. Use the newest one, or try again later.',
    fr: 'Vous avez demandé 3 liens dans l’heure écoulée, le maximum que keydesk envoie. Utilisez le plus récent, ou réessayez plus tard.',
  },
  busy: {
    en: 'keydesk is busy right now. Try again in a moment.',
    fr: 'keydesk est très sollicité en ce moment. Réessayez dans un instant.',
  },
  security_question_required: {
    en: 'Choose a security question and give its answer (at least 3 characters).',
    fr: 'Choisissez une question de sécurité et donnez sa réponse (au moins 3 caractères).',
  },
  // Tokens
  token_invalid: {
    en: 'This link is not valid. Ask for a new one.',
    fr: 'Ce lien n’est pas valide. Demandez-en un nouveau.',
  },
  token_expired: {
    en: 'This link has expired. Ask for a new one.',
    fr: 'Ce lien a expiré. Demandez-en un nouveau.',
  },
  token_used: {
    en: 'This link has already been used. Ask for a new one if you still need it.',
    fr: 'Ce lien a déjà été utilisé. Demandez-en un nouveau si besoin.',
  },
  // Accounts
  account_not_found: {
    en: 'No account matches.',
    fr: 'Aucun compte ne correspond.',
  },
  account_exists: {
    en: 'An account with this {field} already exists.',
    fr: 'Un compte avec ce {field} existe déjà.',
  },
  account_not_active: {
    en: 'This account is not active.',
    fr: 'Ce compte n’est pas actif.',
  },
  already_active: {
    en: 'This account is already activated.',
    fr: 'Ce compte est déjà activé.',
  },
  invalid_email: {
    en: 'That is not a valid email address.',
    fr: 'Cette adresse e-mail n’est pas valide.',
  },
  invalid_phone: {
    en: 'That is not a valid phone number.',
    fr: 'Ce numéro de téléphone n’est pas valide.',
  },
  invalid_extension: {
    en: 'An extension is 1 to 8 digits.',
    fr: 'Un poste comporte de 1 à 8 chiffres.',
  },
  extension_without_phone: {
    en: 'An extension needs a phone number.',
    fr: 'Un poste nécessite un numéro de téléphone.',
  },
  invalid_slack_user: {
    en: 'That is not a Slack user id (it looks like U0123ABCD).',
    fr: 'Ce n’est pas un identifiant d’utilisateur Slack (il ressemble à U0123ABCD).',
  },
  invalid_name: {
    en: 'A display name is 1 to 200 characters.',
    fr: 'Un nom affiché comporte de 1 à 200 caractères.',
  },
  // Authority
  forbidden: {
    en: 'You are not allowed to do that.',
    fr: 'Vous n’êtes pas autorisé à faire cela.',
  },
  primary_admin_protected: {
    en: 'A primary admin’s account can only be changed with the break-glass command on the server.',
    fr: 'Le compte d’un administrateur principal ne se modifie qu’avec la commande de secours sur le serveur.',
  },
  primary_admin_cli_only: {
    en: 'The primary_admin role can only be given from the command line.',
    fr: 'Le rôle primary_admin ne s’attribue qu’en ligne de commande.',
  },
  self_action: {
    en: 'You can’t do that to your own account.',
    fr: 'Vous ne pouvez pas faire cela sur votre propre compte.',
  },
  self_admin_action: {
    en: 'You can’t do this on your own account: another admin must do it for you.',
    fr: 'Vous ne pouvez pas faire cela sur votre propre compte : un autre administrateur doit s’en charger.',
  },
  policy_disabled: {
    en: 'The {policy} reset policy is not enabled.',
    fr: 'La méthode de réinitialisation {policy} n’est pas activée.',
  },
  // Access keys
  key_not_found: {
    en: 'No such access key.',
    fr: 'Clé d’accès inconnue.',
  },
  key_already_revealed: {
    en: 'This key was already revealed once. If you lost it, ask for a new key.',
    fr: 'Cette clé a déjà été affichée une fois. Si vous l’avez perdue, demandez une nouvelle clé.',
  },
  key_revoked: {
    en: 'This key has been revoked.',
    fr: 'Cette clé a été révoquée.',
  },
  // MFA
  mfa_not_enrolled: {
    en: 'No MFA device is enrolled on this account.',
    fr: 'Aucun appareil MFA n’est enregistré sur ce compte.',
  },
  mfa_already_enrolled: {
    en: 'An MFA device is already enrolled on this account.',
    fr: 'Un appareil MFA est déjà enregistré sur ce compte.',
  },
  // Tickets and approvals
  ticket_not_found: {
    en: 'No such ticket.',
    fr: 'Ticket introuvable.',
  },
  not_an_approval: {
    en: 'This ticket does not need an approval.',
    fr: 'Ce ticket ne demande pas d’approbation.',
  },
  self_approval: {
    en: 'You can’t decide your own request: another admin must.',
    fr: 'Vous ne pouvez pas trancher votre propre demande : un autre administrateur doit le faire.',
  },
  already_decided: {
    en: 'This request has already been decided: {status} by {by}.',
    fr: 'Cette demande a déjà été tranchée : {status} par {by}.',
  },
  already_claimed: {
    en: 'This ticket is already claimed by {by}.',
    fr: 'Ce ticket est déjà pris en charge par {by}.',
  },
  ticket_closed: {
    en: 'This ticket is already closed ({status}).',
    fr: 'Ce ticket est déjà clos ({status}).',
  },
} as const satisfies Record<string, { en: string; fr: string }>;

export type RefusalCode = keyof typeof MESSAGES;
