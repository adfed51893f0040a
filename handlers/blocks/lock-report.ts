// "Report" on a lock notice: what the helpdesk card says (worded from the ticket's facts in
// the channel's language), and the answer the user sees.
import type { Locale } from '../../src/core/types.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { say } from './words.js';

/** The card's detail line in `locale` (plain text: the card escapes it). Times in UTC, the channel's zone. */
export function lockReportDetail(input: { lockedUntil: number | null; failedFrom: readonly string[] }, locale: Locale = 'en'): string {
  const lock =
    input.lockedUntil === null ? say(locale, 'lockReport.aLock') : say(locale, 'lockReport.theLockUntil', { until: formatDateTime(input.lockedUntil, 'UTC', locale) });
  let text = say(locale, 'lockReport.ownerReports', { lock });
  if (input.failedFrom.length > 0) text += ` ${say(locale, 'lockReport.failedFrom', { addresses: input.failedFrom.join(', ') })}`;
  return text;
}

/** The facts a lock report keeps in its ticket's data (no sentence: the card words them). */
export function lockReportFacts(input: { lockedUntil: number | null; failedFrom: readonly string[] }): { reported_lock: true; reported_lock_until: number | null; failed_from: string } {
  return { reported_lock: true, reported_lock_until: input.lockedUntil, failed_from: input.failedFrom.join(', ') };
}

/** The detail line of a ticket holding lockReportFacts, in `locale`; null for any other ticket. */
export function lockReportDetailOf(data: Record<string, unknown>, locale: Locale): string | null {
  if (data.reported_lock !== true || !Object.hasOwn(data, 'reported_lock_until')) return null;
  const until = data.reported_lock_until;
  const from = typeof data.failed_from === 'string' && data.failed_from !== '' ? data.failed_from.split(', ') : [];
  return lockReportDetail({ lockedUntil: typeof until === 'number' ? until : null, failedFrom: from }, locale);
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
