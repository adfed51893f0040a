// `/login-help`: the real reason the caller can't sign in, which the public login form
// never tells — locked (until when, in their own time zone), disabled and why, not
// activated, must change password, MFA required but not enrolled — each with the button
// that helps; or, when nothing is wrong, the last failed attempts (time, place).
import type { AttemptLine, LoginHelpState } from '../../src/core/login-help.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, fallback, pick, section, type Button, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime, formatWhen, zoneName } from './format-time.js';
import type { Locale } from '../../src/core/types.js';

const DISABLED_WHY: Record<string, { en: string; fr: string }> = {
  admin: { en: 'because an administrator disabled it', fr: 'parce qu’un administrateur l’a désactivé' },
  payment: { en: 'because of a billing problem', fr: 'en raison d’un problème de facturation' },
  email_conflict: {
    en: 'because its email address is also used by another account',
    fr: 'parce que son adresse e-mail est aussi utilisée par un autre compte',
  },
  validation: { en: 'because its details could not be validated', fr: 'parce que ses informations n’ont pas pu être validées' },
  too_many_failures: { en: 'after too many failed sign-ins', fr: 'après de trop nombreux échecs de connexion' },
};

const ATTEMPT_WORDS: Record<string, { en: string; fr: string }> = {
  wrong_password: { en: 'wrong password', fr: 'mot de passe incorrect' },
  wrong_otp: { en: 'wrong MFA code', fr: 'code MFA incorrect' },
  wrong_pin: { en: 'wrong PIN (change-password page)', fr: 'code PIN incorrect (page de changement)' },
  invalid_key: { en: 'access key refused', fr: 'clé d’accès refusée' },
  otp_required: { en: 'MFA code asked', fr: 'code MFA demandé' },
  locked: { en: 'refused: account locked', fr: 'refusé : compte verrouillé' },
  disabled: { en: 'refused: account disabled', fr: 'refusé : compte désactivé' },
  not_activated: { en: 'refused: account not activated', fr: 'refusé : compte non activé' },
  mfa_not_enrolled: { en: 'refused: MFA not enrolled', fr: 'refusé : MFA non configurée' },
};

/** "because an administrator disabled it" — the reason in words. */
export function disabledWhy(reason: string | null, locale: Locale): string {
  const words = reason ? DISABLED_WHY[reason] : undefined;
  return words ? words[locale] : pick(locale, 'for a reason not recorded', 'pour une raison non précisée');
}

export function attemptLine(attempt: AttemptLine, tz: string, locale: Locale): string {
  const place = attempt.client_address ? `\`${userText(attempt.client_address, 64)}\`` : pick(locale, 'unknown place', 'lieu inconnu');
  const what = ATTEMPT_WORDS[attempt.result]?.[locale] ?? userText(attempt.result, 40);
  return `• ${formatDateTime(attempt.at, tz, locale)} — ${place} — ${what}`;
}

export function loginHelpMessage(state: LoginHelpState, options: { locale: Locale; tz: string; now: number }): SlackMessage {
  const { locale, tz, now } = options;
  const buttons: Button[] = [];
  const blocks: KnownBlock[] = [];
  let text: string;
  switch (state.reason) {
    case 'locked': {
      const until = `*${formatWhen(state.lockedUntil, now, tz, locale)}* (${zoneName(state.lockedUntil, tz, locale)})`;
      text = pick(
        locale,
        `:lock: Your account is locked after too many failed sign-ins. It unlocks by itself at ${until}, or an admin can unlock it sooner.`,
        `:lock: Votre compte est verrouillé après trop d’échecs de connexion. Il se déverrouillera de lui-même à ${until}, ou un administrateur peut le déverrouiller plus tôt.`,
      );
      buttons.push(button({ actionId: ACTIONS.requestUnlock, text: pick(locale, 'Request unlock', 'Demander le déverrouillage'), value: 'login_help', style: 'primary' }));
      break;
    }
    case 'disabled':
      text = pick(
        locale,
        `:no_entry: Your account is disabled ${disabledWhy(state.disabledReason, locale)}. Only the helpdesk can enable it again: ask them in their channel.`,
        `:no_entry: Votre compte est désactivé ${disabledWhy(state.disabledReason, locale)}. Seul le support peut le réactiver : demandez-le dans son canal.`,
      );
      break;
    case 'not_activated':
      text = pick(
        locale,
        ':envelope: Your account is not activated yet: open the link in the welcome email to set your password. Lost it? I can send a new one.',
        ':envelope: Votre compte n’est pas encore activé : ouvrez le lien de l’e-mail de bienvenue pour choisir votre mot de passe. Perdu ? Je peux en renvoyer un.',
      );
      buttons.push(button({ actionId: ACTIONS.resendActivation, text: pick(locale, 'Resend activation email', 'Renvoyer l’e-mail d’activation'), value: 'login_help' }));
      break;
    case 'must_change_password':
      text = pick(
        locale,
        ':key: You must change your password before you can go on. Sign in once, or use the button for a link to the change page.',
        ':key: Vous devez changer votre mot de passe avant de continuer. Connectez-vous une fois, ou utilisez le bouton pour recevoir un lien vers la page de changement.',
      );
      buttons.push(button({ actionId: ACTIONS.passwordChange, text: pick(locale, 'Change my password', 'Changer mon mot de passe'), value: 'login_help' }));
      break;
    case 'mfa_not_enrolled':
      text = pick(
        locale,
        ':iphone: Your role needs an authenticator app (MFA), and none is enrolled on your account. Ask for an enrolment link with `/mfa-reset`.',
        ':iphone: Votre rôle exige une application d’authentification (MFA), et aucune n’est configurée sur votre compte. Demandez un lien d’enregistrement avec `/mfa-reset`.',
      );
      buttons.push(button({ actionId: ACTIONS.requestMfaReset, text: pick(locale, 'Ask for an enrolment link', 'Demander un lien'), value: 'login_help' }));
      break;
    case 'fine': {
      const failed = state.attempts.filter((a) => a.result !== 'success').slice(0, 5);
      text = pick(
        locale,
        ':white_check_mark: Your account looks fine: it is active and not locked. Check the address you sign in with, and the caps-lock key.',
        ':white_check_mark: Votre compte semble en ordre : il est actif et non verrouillé. Vérifiez l’adresse utilisée pour vous connecter, et la touche majuscules.',
      );
      blocks.push(section(text));
      blocks.push(
        failed.length > 0
          ? section(`${pick(locale, '*Last failed attempts*', '*Dernières tentatives échouées*')}\n${failed.map((a) => attemptLine(a, tz, locale)).join('\n')}`)
          : context([pick(locale, 'No failed attempt recently.', 'Aucune tentative échouée récemment.')]),
      );
      return { text: fallback(text), blocks };
    }
  }
  blocks.push(section(text));
  if (buttons.length > 0) blocks.push(actions(BLOCKS.loginHelpActions, buttons));
  return { text: fallback(text), blocks };
}
