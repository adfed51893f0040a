// What the requester is told in a DM: that their request reached the helpdesk (or that
// one is already waiting), and then how it was decided and what happens next.
import type { Locale, TicketKind } from '../../src/core/types.js';
import { context, fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { kindNoun } from './ticket-words.js';
import { say, sayCode } from './words.js';

export interface ApprovalResultInput {
  kind: TicketKind;
  status: 'approved' | 'denied' | 'expired';
  /** The deciding admin's name (not for an expiry). */
  byName?: string | null;
  locale: Locale;
}

const ASK_AGAIN: Partial<Record<TicketKind, string>> = { unlock: '/unlock', mfa_reset: '/mfa-reset', access_key: '/access-key' };

export function approvalResultMessage(input: ApprovalResultInput): SlackMessage {
  const { locale, kind } = input;
  const noun = kindNoun(kind, locale);
  const by = input.byName ? userText(input.byName, 200) : say(locale, 'approvalResult.anAdmin');
  const command = ASK_AGAIN[kind] ?? '/helpdesk';
  let text: string;
  switch (input.status) {
    case 'approved': {
      // What the approval led to, for the kinds that have a next step to tell.
      const next = sayCode(locale, 'approvalResult.nextStep', kind);
      text = say(locale, 'approvalResult.yourWasApprovedBy', { noun, by });
      if (next) text += ` ${next}`;
      break;
    }
    case 'denied':
      text = say(locale, 'approvalResult.yourWasDeniedBy', { noun, by });
      break;
    case 'expired':
      text = say(locale, 'approvalResult.yourExpiredNobodyDecided', { noun, command });
      break;
  }
  return { text: fallback(text), blocks: [section(text)] };
}

/**
 * The answer to a request: it went to the helpdesk, or (created = false) the same
 * request is already waiting since `openedAt`.
 */
export function requestReceivedMessage(input: { kind: TicketKind; created: boolean; openedAt: number; tz: string; locale: Locale; ticketId?: string }): SlackMessage {
  const { locale } = input;
  const noun = kindNoun(input.kind, locale);
  const text = input.created
    ? say(locale, 'approvalResult.yourIsWithThe', { noun })
    : say(locale, 'approvalResult.youAlreadyAskedYour', { noun, since: formatDateTime(input.openedAt, input.tz, locale) });
  // The ticket id lets the helpdesk find the request when the person asks about it.
  const ticket = input.ticketId ? [context([`Ticket \`${userText(input.ticketId, 64)}\``])] : [];
  return { text: fallback(text), blocks: [section(text), ...ticket] };
}
