// The DMs about a lock: the moment an account locks ("locked after 5 failed attempts at
// 10:32, unlocks at 11:32 — wasn't you? [Request unlock] [Report]"), and when it ends.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, fallback, pick, section, type SlackMessage } from './elements.js';
import { formatWhen, zoneName } from './format-time.js';

export interface LockNoticeInput {
  failures: number;
  lockedAt: number;
  lockedUntil: number;
  tz: string;
  locale: Locale;
}

export function lockNoticeMessage(input: LockNoticeInput): SlackMessage {
  const { locale, tz } = input;
  const at = formatWhen(input.lockedAt, input.lockedAt, tz, locale);
  const until = formatWhen(input.lockedUntil, input.lockedAt, tz, locale);
  const zone = zoneName(input.lockedAt, tz, locale);
  const failures = Math.max(0, Math.trunc(input.failures));
  const text = pick(
    locale,
    `:lock: Your account was locked after ${failures} failed attempts at ${at}; it unlocks at ${until} (${zone}). Wasn’t you? Tell us.`,
    `:lock: Votre compte a été verrouillé après ${failures} tentatives échouées à ${at} ; il se déverrouille à ${until} (${zone}). Ce n’était pas vous ? Dites-le-nous.`,
  );
  // The value names the lock, so a click on an old notice is recognised as such.
  const value = String(input.lockedUntil);
  return {
    text: fallback(text),
    blocks: [
      section(text),
      actions(BLOCKS.lockNoticeActions, [
        button({ actionId: ACTIONS.requestUnlock, text: pick(locale, 'Request unlock', 'Demander le déverrouillage'), value, style: 'primary' }),
        button({ actionId: ACTIONS.reportLock, text: pick(locale, 'Report', 'Signaler'), value, style: 'danger' }),
      ]),
      context([pick(locale, 'Nobody at keydesk will ever ask for your password.', 'Personne chez keydesk ne vous demandera jamais votre mot de passe.')]),
    ],
  };
}

export type UnlockHow = 'expired' | 'unlock' | 'password_reset';

/** The DM when the lock ends: by itself, by an admin, or by a password reset. */
export function unlockNoticeMessage(input: { how: UnlockHow; at: number; tz: string; locale: Locale }): SlackMessage {
  const { locale } = input;
  const at = formatWhen(input.at, input.at, input.tz, locale);
  const text = {
    expired: pick(locale, `:unlock: Your account unlocked by itself at ${at}. You can sign in again.`, `:unlock: Votre compte s’est déverrouillé de lui-même à ${at}. Vous pouvez vous reconnecter.`),
    unlock: pick(locale, `:unlock: An admin unlocked your account at ${at}. You can sign in again.`, `:unlock: Un administrateur a déverrouillé votre compte à ${at}. Vous pouvez vous reconnecter.`),
    password_reset: pick(
      locale,
      `:unlock: Your account was unlocked at ${at} when its password was reset.`,
      `:unlock: Votre compte a été déverrouillé à ${at} lors de la réinitialisation de son mot de passe.`,
    ),
  }[input.how];
  return { text: fallback(text), blocks: [section(text)] };
}
