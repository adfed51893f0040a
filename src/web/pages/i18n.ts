// The pages' own strings, in English and French. Refusal messages come from the core
// (Refusal.message(locale)). The locale is the token's account's, else Accept-Language, else en.
import type { Locale } from '../../core/types.js';

const STRINGS = {
  brand: { en: 'keydesk', fr: 'keydesk' },
  browsers: {
    en: 'Supported browsers: current Edge, Firefox, Safari and Chrome.',
    fr: 'Navigateurs pris en charge : versions récentes d’Edge, Firefox, Safari et Chrome.',
  },
  submit: { en: 'Continue', fr: 'Continuer' },
  // forgot
  forgotTitle: { en: 'Forgot your password?', fr: 'Mot de passe oublié ?' },
  forgotIntro: {
    en: 'Enter your email address, or your phone number (with #extension if you have one). We will email you a link.',
    fr: 'Saisissez votre adresse e-mail, ou votre numéro de téléphone (avec #poste le cas échéant). Nous vous enverrons un lien par e-mail.',
  },
  loginLabel: { en: 'Email or phone', fr: 'E-mail ou téléphone' },
  forgotSent: { en: 'If an account matches, we emailed it.', fr: 'Si un compte correspond, nous lui avons envoyé un e-mail.' },
  forgotSentNext: {
    en: 'Open the link in the email within the hour. Nothing arrived? Check your spam folder, or ask again with /password in Slack.',
    fr: 'Ouvrez le lien de l’e-mail dans l’heure. Rien reçu ? Vérifiez vos indésirables, ou redemandez avec /password dans Slack.',
  },
  // reset / change / activate
  resetTitle: { en: 'Choose a new password', fr: 'Choisissez un nouveau mot de passe' },
  questionIntro: { en: 'First, answer your security question.', fr: 'Répondez d’abord à votre question de sécurité.' },
  answerLabel: { en: 'Your answer', fr: 'Votre réponse' },
  passwordLabel: { en: 'New password', fr: 'Nouveau mot de passe' },
  password2Label: { en: 'New password, again', fr: 'Nouveau mot de passe, à nouveau' },
  policy: {
    en: 'At least {min} characters. A few unrelated words make a good one. Avoid your name and email.',
    fr: 'Au moins {min} caractères. Quelques mots sans rapport font un bon mot de passe. Évitez votre nom et votre e-mail.',
  },
  passwordChanged: { en: 'Your password was changed. Sign in with it.', fr: 'Votre mot de passe a été modifié. Connectez-vous avec.' },
  changeTitle: { en: 'Change your password', fr: 'Changer votre mot de passe' },
  currentLabel: { en: 'Current password', fr: 'Mot de passe actuel' },
  pinLabel: { en: 'PIN', fr: 'Code PIN' },
  activateTitle: { en: 'Activate your account', fr: 'Activez votre compte' },
  pinHint: { en: '4 to 8 digits, not a sequence or a repeat.', fr: '4 à 8 chiffres, ni suite ni répétition.' },
  questionLabel: { en: 'A security question only you can answer', fr: 'Une question de sécurité à laquelle vous seul pouvez répondre' },
  activated: { en: 'Your account is active. Sign in with your new password.', fr: 'Votre compte est actif. Connectez-vous avec votre nouveau mot de passe.' },
  // mfa
  mfaTitle: { en: 'Set up two-step sign-in', fr: 'Configurer la connexion en deux étapes' },
  mfaIntro: { en: 'Confirm it is you: your password and your security answer.', fr: 'Confirmez votre identité : votre mot de passe et votre réponse de sécurité.' },
  passwordOnlyLabel: { en: 'Password', fr: 'Mot de passe' },
  mfaScan: {
    en: 'Scan this code with your authenticator app, or type the key below. Then enter the 6-digit code it shows.',
    fr: 'Scannez ce code avec votre application d’authentification, ou saisissez la clé ci-dessous. Puis entrez le code à 6 chiffres affiché.',
  },
  mfaKey: { en: 'Key', fr: 'Clé' },
  codeLabel: { en: '6-digit code', fr: 'Code à 6 chiffres' },
  mfaDone: { en: 'Two-step sign-in is on. You will be asked for a code when you sign in.', fr: 'La connexion en deux étapes est activée. Un code vous sera demandé à la connexion.' },
  qrAlt: { en: 'QR code for your authenticator app', fr: 'QR code pour votre application d’authentification' },
  // login
  loginTitle: { en: 'Sign in', fr: 'Connexion' },
  otpIntro: {
    en: 'Enter your password again and the 6-digit code from your authenticator app.',
    fr: 'Saisissez à nouveau votre mot de passe et le code à 6 chiffres de votre application d’authentification.',
  },
  loginFailed: { en: 'The login or password is not correct.', fr: 'L’identifiant ou le mot de passe est incorrect.' },
  tooMany: { en: 'Too many attempts. Wait a minute and try again.', fr: 'Trop de tentatives. Attendez une minute et réessayez.' },
  signedIn: { en: 'Signed in as {name}.', fr: 'Connecté en tant que {name}.' },
  forgotLink: { en: 'Forgot your password?', fr: 'Mot de passe oublié ?' },
  // problems
  linkUsedTitle: { en: 'This link was already used', fr: 'Ce lien a déjà été utilisé' },
  linkExpiredTitle: { en: 'This link has expired', fr: 'Ce lien a expiré' },
  linkInvalidTitle: { en: 'This link is not valid', fr: 'Ce lien n’est pas valide' },
  linkNext: {
    en: 'Ask for a new one with /password in Slack, or at {forgot}.',
    fr: 'Demandez-en un nouveau avec /password dans Slack, ou sur {forgot}.',
  },
  busyTitle: { en: 'Busy, try again in a moment', fr: 'Trop sollicité, réessayez dans un instant' },
  busyNext: {
    en: 'keydesk is handling many requests right now. Nothing was changed: go back and send the form again in a moment.',
    fr: 'keydesk traite beaucoup de demandes en ce moment. Rien n’a été modifié : revenez en arrière et renvoyez le formulaire dans un instant.',
  },
  tooManyTitle: { en: 'Too many attempts', fr: 'Trop de tentatives' },
  tooManyNext: {
    en: 'Nothing was changed. Wait ten minutes, then go back and try again.',
    fr: 'Rien n’a été modifié. Patientez dix minutes, puis revenez en arrière et réessayez.',
  },
  csrfTitle: { en: 'This form has expired', fr: 'Ce formulaire a expiré' },
  csrfNext: { en: 'Nothing was changed. Go back, reload the page and try again.', fr: 'Rien n’a été modifié. Revenez en arrière, rechargez la page et réessayez.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type StringKey = keyof typeof STRINGS;

export function t(locale: Locale, key: StringKey, params: Record<string, string | number> = {}): string {
  return STRINGS[key][locale].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The account's locale when a token names one, else the first supported Accept-Language, else en. */
export function pickLocale(accountLocale: Locale | null | undefined, acceptLanguage: string | string[] | undefined): Locale {
  if (accountLocale) return accountLocale;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = Number(/q=([\d.]+)/.exec(rest.join(';'))?.[1] ?? '1');
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { lang } of ranked) if (lang === 'fr' || lang === 'en') return lang;
  return 'en';
}
