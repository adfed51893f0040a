// French: second factors by email or SMS, key for key with ../en/second-factor.ts.
import type { secondFactor as en } from '../en/second-factor.js';

export const secondFactor = {
  'mail.otp_code.subject': 'Votre code keydesk',
  'mail.otp_code.intro': 'Votre code à usage unique :',
  'mail.otp_code.expires': 'Il ne sert qu’une fois et expire le {expiresAt}.',
  'mail.otp_code.notYou': 'Vous ne l’avez pas demandé ? Quelqu’un connaît peut-être votre mot de passe : changez-le et prévenez le support. Ne communiquez jamais ce code, pas même au support.',
  'mail.sms.code': 'Code keydesk : {code}. Valable une fois, pendant 10 minutes. Ne le communiquez à personne.',
  'refusal.no_phone_on_file': 'Aucun numéro de téléphone n’est enregistré pour ce compte : choisissez l’e-mail ou une application d’authentification.',
  'refusal.code_send_limit': 'Nous avons déjà envoyé 3 codes ces 10 dernières minutes, le maximum. Utilisez le plus récent, ou réessayez plus tard.',
  'refusal.wrong_code': 'Ce code n’est pas le bon, a expiré ou a déjà servi. Demandez-en un nouveau.',
  'page.mfaMethodLabel': 'Comment voulez-vous recevoir vos codes de connexion ?',
  'page.mfaMethod.totp': 'Une application d’authentification',
  'page.mfaMethod.email': 'Par e-mail, à l’adresse enregistrée',
  'page.mfaMethod.sms': 'Par SMS, au numéro enregistré',
  'page.mfaCodeSent': 'Nous avons envoyé un code à 6 chiffres à {to}. Saisissez-le pour terminer. Il ne sert qu’une fois, pendant 10 minutes.',
  'page.mfaCodeDone': 'La connexion en deux étapes est activée. À chaque connexion, demandez un code : nous l’envoyons à {to}.',
  'page.otpCodeIntro': 'Saisissez à nouveau votre mot de passe et le code à 6 chiffres que nous vous avons envoyé.',
  'page.validateTitle': 'Validez votre compte',
  'page.validateIntro': 'Votre compte attend une validation. Saisissez votre adresse e-mail ou votre numéro de téléphone et choisissez où nous envoyons un code à 6 chiffres.',
  'page.validateChannelLabel': 'Envoyer le code',
  'page.validateChannel.email': 'À mon adresse e-mail enregistrée',
  'page.validateChannel.sms': 'À mon numéro de téléphone enregistré',
  'page.validateSent': 'Si un compte à valider correspond, nous lui avons envoyé un code à 6 chiffres. Il ne sert qu’une fois, pendant 10 minutes.',
  'page.validateDone': 'Votre compte est validé. Vous pouvez de nouveau vous connecter.',
  'page.validateFailed': 'Ce code n’est pas le bon, ou il a expiré. Demandez-en un nouveau.',
  'page.validateAgain': 'Demander un nouveau code',
} as const satisfies Record<keyof typeof en, string>;
