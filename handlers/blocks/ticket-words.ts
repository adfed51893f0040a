// How tickets read: the name of each kind of request and each status, from the catalogue
// (`slack.ticketWords.*`); the status emoji are markup, so they stay here.
import type { Locale, TicketStatus } from '../../src/core/types.js';
import { isTicketKind, isTicketStatus } from '../../src/core/ticket-status.js';
import { say } from './words.js';

const STATUS_EMOJI = {
  open: ':large_blue_circle:',
  claimed: ':large_yellow_circle:',
  approved: ':white_check_mark:',
  denied: ':no_entry:',
  expired: ':hourglass:',
  resolved: ':heavy_check_mark:',
} as const satisfies Record<TicketStatus, string>;

export function kindTitle(kind: string, locale: Locale): string {
  return isTicketKind(kind) ? say(locale, `ticketWords.kindTitle.${kind}`) : 'Ticket';
}

/** The request as a noun inside a sentence ("your unlock request"). */
export function kindNoun(kind: string, locale: Locale): string {
  return say(locale, isTicketKind(kind) ? `ticketWords.kindNoun.${kind}` : 'ticketWords.kindNoun.unknown');
}

/** ":white_check_mark: Approved" */
export function statusLabel(status: string, locale: Locale): string {
  if (!isTicketStatus(status)) return status;
  return `${STATUS_EMOJI[status]} ${say(locale, `ticketWords.status.${status}`)}`;
}
