// The DMs when an account is disabled ("…disabled because of a billing problem") or
// enabled again. The reason is the code's words in the owner's language; an admin's
// free-text note is internal to the helpdesk and is never part of these.
import type { DisableReason, Locale } from '../../src/core/types.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { slackTime } from './format-time.js';
import { disabledWhy } from './login-help.js';
import { say } from './words.js';

export function disabledNoticeMessage(input: { reason: DisableReason; locale: Locale }): SlackMessage {
  const text = say(input.locale, 'statusNotice.disabled', { why: disabledWhy(input.reason, input.locale) });
  return { text: fallback(text), blocks: [section(text)] };
}

export function enabledNoticeMessage(input: { status: 'active' | 'pending_activation'; at: number; locale: Locale }): SlackMessage {
  const at = slackTime(input.at, input.locale);
  const text = say(input.locale, input.status === 'active' ? 'statusNotice.enabled' : 'statusNotice.enabledPending', { at });
  return { text: fallback(text), blocks: [section(text)] };
}
