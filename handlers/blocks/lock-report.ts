// "Report" on a lock notice: what the helpdesk card says (the ticket's detail), and the
// answer the user sees.
import type { Locale } from '../../src/core/types.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { say } from './words.js';

/** The card's detail line (plain text: the card escapes it). Times in UTC, the channel's zone. */
export function lockReportDetail(input: { lockedUntil: number | null; failedFrom: readonly string[] }): string {
  const lock = input.lockedUntil === null ? 'a lock of their account' : `the lock of their account until ${formatDateTime(input.lockedUntil, 'UTC', 'en')} UTC`;
  let text = `The owner reports that ${lock} was not them: someone else may be trying their password.`;
  if (input.failedFrom.length > 0) text += ` Recent failed attempts came from ${input.failedFrom.join(', ')}.`;
  return text;
}

export function lockReportAnswer(input: { created: boolean; locale: Locale }): SlackMessage {
  const { locale } = input;
  const text = input.created
    ? say(locale, 'lockReport.thanksForTellingUs')
    : say(locale, 'lockReport.thanksIveAddedThis');
  return { text: fallback(text), blocks: [section(text)] };
}

/** A further report on a ticket already open about the account: one line in its thread. */
export function lockReportThreadLine(detail: string): SlackMessage {
  const text = `:rotating_light: ${userText(detail, 2000)}`;
  return { text: fallback(text), blocks: [section(text)] };
}
