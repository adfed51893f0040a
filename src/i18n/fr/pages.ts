// French: the web pages, key for key with ../en/pages.ts.
import type { pages as en } from '../en/pages.js';

export const pages = {
  // Pages: every page
  'page.brand': 'keydesk',
  'page.browsers': 'Navigateurs pris en charge : versions récentes d’Edge, Firefox, Safari et Chrome.',
  'page.languageSwitch': 'Langue',
  'page.submit': 'Continuer',
  // Pages: forgot
  'page.forgotTitle': 'Mot de passe oublié ?',
  'page.forgotIntro': 'Saisissez votre adresse e-mail, ou votre numéro de téléphone (avec #poste le cas échéant). Nous vous enverrons un lien par e-mail.',
  'page.loginLabel': 'E-mail ou téléphone',
  'page.forgotSent': 'Si un compte correspond, nous lui avons envoyé un e-mail.',
  'page.forgotSentNext': 'Ouvrez le lien de l’e-mail dans l’heure. Rien reçu ? Vérifiez vos indésirables, ou redemandez avec /password dans Slack.',
  // Pages: reset / change / activate
  'page.resetTitle': 'Choisissez un nouveau mot de passe',
  'page.questionIntro': 'Répondez d’abord à votre question de sécurité.',
  'page.answerLabel': 'Votre réponse',
  'page.passwordLabel': 'Nouveau mot de passe',
  'page.password2Label': 'Nouveau mot de passe, à nouveau',
  'page.policy': 'Au moins {min} caractères. Quelques mots sans rapport font un bon mot de passe. Évitez votre nom et votre e-mail.',
  'page.passwordChanged': 'Votre mot de passe a été modifié. Connectez-vous avec.',
  'page.changeTitle': 'Changer votre mot de passe',
  'page.currentLabel': 'Mot de passe actuel',
  'page.pinLabel': 'Code PIN',
  'page.activateTitle': 'Activez votre compte',
  'page.pinHint': '4 à 8 chiffres, ni suite ni répétition.',
  'page.questionLabel': 'Une question de sécurité à laquelle vous seul pouvez répondre',
  'page.activated': 'Votre compte est actif. Connectez-vous avec votre nouveau mot de passe.',
  // Pages: mfa
  'page.mfaTitle': 'Configurer la connexion en deux étapes',
  'page.mfaIntro': 'Confirmez votre identité : votre mot de passe et votre réponse de sécurité.',
  'page.passwordOnlyLabel': 'Mot de passe',
  'page.mfaScan': 'Scannez ce code avec votre application d’authentification, ou saisissez la clé ci-dessous. Puis entrez le code à 6 chiffres affiché.',
  'page.mfaKey': 'Clé',
  'page.codeLabel': 'Code à 6 chiffres',
  'page.mfaDone': 'La connexion en deux étapes est activée. Un code vous sera demandé à la connexion.',
  'page.qrAlt': 'QR code pour votre application d’authentification',
  // Pages: login
  'page.loginTitle': 'Connexion',
  'page.otpIntro': 'Saisissez à nouveau votre mot de passe et le code à 6 chiffres de votre application d’authentification.',
  'page.loginFailed': 'L’identifiant ou le mot de passe est incorrect.',
  'page.tooMany': 'Trop de tentatives. Attendez une minute et réessayez.',
  'page.signedIn': 'Connecté en tant que {name}.',
  'page.forgotLink': 'Mot de passe oublié ?',
  // Pages: problems
  'page.linkUsedTitle': 'Ce lien a déjà été utilisé',
  'page.linkExpiredTitle': 'Ce lien a expiré',
  'page.linkInvalidTitle': 'Ce lien n’est pas valide',
  'page.linkNext': 'Demandez-en un nouveau avec /password dans Slack, ou sur {forgot}.',
  'page.busyTitle': 'Trop sollicité, réessayez dans un instant',
  'page.busyNext': 'keydesk traite beaucoup de demandes en ce moment. Rien n’a été modifié : revenez en arrière et renvoyez le formulaire dans un instant.',
  'page.tooManyTitle': 'Trop de tentatives',
  'page.tooManyNext': 'Rien n’a été modifié. Patientez dix minutes, puis revenez en arrière et réessayez.',
  'page.csrfTitle': 'Ce formulaire a expiré',
  'page.csrfNext': 'Rien n’a été modifié. Revenez en arrière, rechargez la page et réessayez.',
} as const satisfies Record<keyof typeof en, string>;
