// The DMs about a lock: the moment an account locks ("locked after 5 failed attempts at
// 10:32, the last from 203.0.113.9, unlocks at 11:32 — wasn't you? [Request unlock] [Report]"),
// and when it ends.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { slackTime } from './format-time.js';
import { say } from './words.js';

export interface LockNoticeInput {
  failures: number;
  lockedAt: number;
  lockedUntil: number;
  /** Where the attempt that locked it came from; null or absent: unknown. */
  clientAddress?: string | null;
  locale: Locale;
}

export function lockNoticeMessage(input: LockNoticeInput): SlackMessage {
  const { locale } = input;
  const at = slackTime(input.lockedAt, locale);
  const until = slackTime(input.lockedUntil, locale);
  const failures = Math.max(0, Math.trunc(input.failures));
  const from = input.clientAddress ? `\`${userText(input.clientAddress, 64)}\`` : say(locale, 'lockNotice.unknownAddress');
  const text = say(locale, 'lockNotice.yourAccountWasLocked', { failures, at, until, from });
  // The value names the lock, so a click on an old notice is recognised as such.
  const value = String(input.lockedUntil);
  return {
    text: fallback(text),
    blocks: [
      section(text),
      actions(BLOCKS.lockNoticeActions, [
        button({ actionId: ACTIONS.requestUnlock, text: say(locale, 'lockNotice.requestUnlock'), value, style: 'primary' }),
        button({ actionId: ACTIONS.reportLock, text: say(locale, 'lockNotice.report'), value, style: 'danger' }),
      ]),
      context([say(locale, 'lockNotice.nobodyAtKeydeskWill')]),
    ],
  };
}

export type UnlockHow = 'expired' | 'unlock' | 'password_reset';

/** The DM when the lock ends: by itself, by an admin, or by a password reset. */
export function unlockNoticeMessage(input: { how: UnlockHow; at: number; locale: Locale }): SlackMessage {
  const { locale } = input;
  const at = slackTime(input.at, locale);
  const text = {
    expired: say(locale, 'lockNotice.yourAccountUnlockedBy', { at }),
    unlock: say(locale, 'lockNotice.anAdminUnlockedYour', { at }),
    password_reset: say(locale, 'lockNotice.yourAccountWasUnlocked', { at }),
  }[input.how];
  return { text: fallback(text), blocks: [section(text)] };
}
