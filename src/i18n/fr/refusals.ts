// French: the core's refusals, key for key with ../en/refusals.ts.
import type { refusals as en } from '../en/refusals.js';

export const refusals = {
  // Refusals: Password policy (NIST SP 800-63B)
  'refusal.password_too_short': 'Votre mot de passe doit comporter au moins {min} caractères.',
  'refusal.password_too_long': 'Votre mot de passe doit comporter au plus {max} caractères.',
  'refusal.password_common': 'Ce mot de passe est trop courant : il figure dans des listes de mots de passe divulgués. Choisissez-en un autre.',
  'refusal.password_contains_email': 'Votre mot de passe ne doit pas contenir votre adresse e-mail.',
  'refusal.password_contains_name': 'Votre mot de passe ne doit pas contenir votre nom.',
  'refusal.password_unchanged': 'Votre nouveau mot de passe doit être différent de l’actuel.',
  'refusal.password_mismatch': 'Les deux mots de passe ne correspondent pas.',
  // Refusals: PIN
  'refusal.pin_format': 'Votre code PIN doit comporter de 4 à 8 chiffres.',
  'refusal.pin_repeated': 'Votre code PIN ne doit pas répéter un seul chiffre.',
  'refusal.pin_sequence': 'Votre code PIN ne doit pas être une suite comme 1234 ou 9876.',
  // Refusals: Credentials
  'refusal.wrong_password': 'Le mot de passe actuel est incorrect.',
  'refusal.wrong_pin': 'Le code PIN est incorrect.',
  'refusal.wrong_answer': 'Cette réponse ne correspond pas à celle enregistrée.',
  'refusal.wrong_otp': 'Ce code n’est pas valide. Les codes changent toutes les 30 secondes et ne servent qu’une fois.',
  'refusal.account_locked_until': 'Votre compte est verrouillé jusqu’au {until} après trop de tentatives échouées. Réessayez ensuite, ou demandez un déverrouillage avec /login-help dans Slack.',
  'refusal.too_many_attempts': 'Trop de tentatives simultanées sur ce compte. Patientez une minute et réessayez.',
  'refusal.temp_password_sign_in_first': 'Un mot de passe temporaire ne sert qu’une fois, pour se connecter sur /login : connectez-vous avec lui pour obtenir votre lien de changement, ou demandez-en un nouveau à un administrateur.',
  'refusal.link_limit': 'Vous avez demandé 3 liens dans l’heure écoulée, le maximum que keydesk envoie. Utilisez le plus récent, ou réessayez plus tard.',
  'refusal.activation_resend_limit': 'Nous vous avons déjà envoyé {max} e-mails d’activation dans l’heure écoulée, le maximum que keydesk envoie. Utilisez le plus récent, ou réessayez après {after}. Si aucun n’arrive, demandez au support.',
  'refusal.busy': 'keydesk est très sollicité en ce moment. Réessayez dans un instant.',
  'refusal.security_question_required': 'Choisissez une question de sécurité et donnez sa réponse (au moins 3 caractères).',
  // Refusals: Tokens
  'refusal.token_invalid': 'Ce lien n’est pas valide. Demandez-en un nouveau.',
  'refusal.token_expired': 'Ce lien a expiré. Demandez-en un nouveau.',
  'refusal.token_used': 'Ce lien a déjà été utilisé. Demandez-en un nouveau si besoin.',
  // Refusals: Accounts
  'refusal.account_not_found': 'Aucun compte ne correspond.',
  'refusal.account_exists': 'Un compte avec ce {field} existe déjà.',
  'refusal.account_not_active': 'Ce compte n’est pas actif.',
  'refusal.already_active': 'Ce compte est déjà activé.',
  'refusal.invalid_email': 'Cette adresse e-mail n’est pas valide.',
  'refusal.invalid_phone': 'Ce numéro de téléphone n’est pas valide.',
  'refusal.invalid_extension': 'Un poste comporte de 1 à 8 chiffres.',
  'refusal.extension_without_phone': 'Un poste nécessite un numéro de téléphone.',
  'refusal.invalid_slack_user': 'Ce n’est pas un identifiant d’utilisateur Slack (il ressemble à U0123ABCD).',
  'refusal.invalid_name': 'Un nom affiché comporte de 1 à 200 caractères.',
  // Refusals: Authority
  'refusal.forbidden': 'Vous n’êtes pas autorisé à faire cela.',
  'refusal.primary_admin_protected': 'Le compte d’un administrateur principal ne se modifie qu’avec la commande de secours sur le serveur.',
  'refusal.primary_admin_cli_only': 'Le rôle primary_admin ne s’attribue qu’en ligne de commande.',
  'refusal.self_action': 'Vous ne pouvez pas faire cela sur votre propre compte.',
  'refusal.self_admin_action': 'Vous ne pouvez pas faire cela sur votre propre compte : un autre administrateur doit s’en charger.',
  'refusal.policy_disabled': 'La méthode de réinitialisation {policy} n’est pas activée.',
  // Refusals: Access keys
  'refusal.key_not_found': 'Clé d’accès inconnue.',
  'refusal.key_already_revealed': 'Cette clé a déjà été affichée une fois. Si vous l’avez perdue, demandez une nouvelle clé.',
  'refusal.key_revoked': 'Cette clé a été révoquée.',
  'refusal.key_already_rotated': 'Cette clé a déjà été remplacée par une nouvelle.',
  // Refusals: MFA
  'refusal.mfa_not_enrolled': 'Aucun appareil MFA n’est enregistré sur ce compte.',
  'refusal.mfa_already_enrolled': 'Un appareil MFA est déjà enregistré sur ce compte.',
  // Refusals: Tickets and approvals
  'refusal.ticket_not_found': 'Ticket introuvable.',
  'refusal.not_an_approval': 'Ce ticket ne demande pas d’approbation.',
  'refusal.self_approval': 'Vous ne pouvez pas trancher votre propre demande : un autre administrateur doit le faire.',
  'refusal.already_decided': 'Cette demande a déjà été tranchée : {status} par {by}.',
  'refusal.already_claimed': 'Ce ticket est déjà pris en charge par {by}.',
  'refusal.ticket_closed': 'Ce ticket est déjà clos ({status}).',
} as const satisfies Record<keyof typeof en, string>;
