// The ticket's card in the helpdesk channel, and the lines posted in its thread. While an
// approval is undecided the card carries Approve / Deny (each behind a confirm dialog);
// agents get Claim and, for tickets that need no approval, Resolve. A final card says who
// closed it and when, and has no buttons left to press.
import { maskEmail } from '../../src/core/identity.js';
import type { TicketNote } from '../../src/core/effects.js';
import type { Locale } from '../../src/core/types.js';
import { translate } from '../../src/i18n/index.js';
import { isPending, isTicketKind, isTicketStatus, needsApproval } from '../../src/core/ticket-status.js';
import { ticketData, type TicketData } from '../../src/core/tickets.js';
import type { AccountRow, TicketRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, confirmDialog, context, fallback, header, section, type Button, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { lockReportDetailOf } from './lock-report.js';
import { kindNoun, kindTitle, statusLabel } from './ticket-words.js';
import { say, sayCode } from './words.js';

export type CardTicket = Pick<TicketRow, 'id' | 'kind' | 'status' | 'account_id' | 'requester_slack_id' | 'data' | 'created_at'>;

export interface TicketCardInput {
  ticket: CardTicket;
  /** The account the ticket is about, when there is one. */
  account?: Pick<AccountRow, 'display_name' | 'email'> | null;
  /** The helpdesk channel's time zone. */
  tz: string;
  locale?: Locale;
}

/** Facts from the ticket's data that the card shows (user text, so escaped). */
const SHOWN_FACTS = ['note', 'reason', 'detail', 'requested_email'] as const;

const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;

/** `<@U123>` for a real Slack user id; anything else is shown as text. */
export function slackUser(id: string | null): string {
  if (!id) return '—';
  return SLACK_ID.test(id) ? `<@${id}>` : userText(id, 40);
}

function accountText(account: TicketCardInput['account'], locale: Locale): string {
  if (!account) return say(locale, 'ticketCard.noAccount');
  return `${userText(account.display_name, 200)} (${userText(maskEmail(account.email), 200)})`;
}

function stamp(data: TicketData, by: string, at: string, tz: string, locale: Locale): { by: string; at: string } {
  const name = data[by];
  const time = data[at];
  return {
    by: typeof name === 'string' ? userText(name, 200) : 'keydesk',
    at: typeof time === 'number' ? formatDateTime(time, tz, locale) : '',
  };
}

/** The sentence a closed or claimed card ends with ("Approved by Dana at 25 Nov, 10:45."). */
function outcomeLine(ticket: CardTicket, data: TicketData, tz: string, locale: Locale): string | null {
  switch (ticket.status) {
    case 'approved': {
      const s = stamp(data, 'decided_by_name', 'decided_at', tz, locale);
      return say(locale, 'ticketCard.approvedByOn', { by: s.by, at: s.at });
    }
    case 'denied': {
      const s = stamp(data, 'decided_by_name', 'decided_at', tz, locale);
      return say(locale, 'ticketCard.deniedByOn', { by: s.by, at: s.at });
    }
    case 'expired': {
      const s = stamp(data, 'expired_by_name', 'expired_at', tz, locale);
      return say(locale, 'ticketCard.expiredOnNobodyDecided', { at: s.at });
    }
    case 'resolved': {
      const s = stamp(data, 'resolved_by_name', 'resolved_at', tz, locale);
      return say(locale, 'ticketCard.resolvedByOn', { by: s.by, at: s.at });
    }
    case 'claimed': {
      const s = stamp(data, 'claimed_by_name', 'claimed_at', tz, locale);
      return say(locale, 'ticketCard.claimedByOn', { by: s.by, at: s.at });
    }
    default:
      return null;
  }
}

function cardButtons(input: TicketCardInput, locale: Locale): Button[] {
  const { ticket } = input;
  if (!isTicketStatus(ticket.status) || !isPending(ticket.status) || !isTicketKind(ticket.kind)) return [];
  const who = input.account ? userText(input.account.display_name, 80) : slackUser(ticket.requester_slack_id);
  const noun = kindNoun(ticket.kind, locale);
  const buttons: Button[] = [];
  if (needsApproval(ticket.kind)) {
    // Approving a verification vouches for a person: the button and its dialog say so.
    const verifies = ticket.kind === 'manual_verification';
    const approveText = say(locale, verifies ? 'ticketCard.markVerified' : 'ticketCard.approve');
    buttons.push(
      button({
        actionId: ACTIONS.approve,
        text: approveText,
        value: ticket.id,
        style: 'primary',
        confirm: confirmDialog({
          title: say(locale, verifies ? 'ticketCard.markVerifiedTitle' : 'ticketCard.approveThisRequest'),
          text: verifies ? say(locale, 'ticketCard.markVerifiedText', { who }) : say(locale, 'ticketCard.approveTheOfKeydesk', { noun, who }),
          confirm: approveText,
          deny: say(locale, 'ticketCard.cancel'),
          style: 'primary',
        }),
      }),
      button({
        actionId: ACTIONS.deny,
        text: say(locale, 'ticketCard.deny'),
        value: ticket.id,
        style: 'danger',
        confirm: confirmDialog({
          title: say(locale, 'ticketCard.denyThisRequest'),
          text: say(locale, 'ticketCard.denyTheOfThey', { noun, who }),
          confirm: say(locale, 'ticketCard.deny'),
          deny: say(locale, 'ticketCard.cancel'),
          style: 'danger',
        }),
      }),
    );
  }
  if (ticket.status === 'open') buttons.push(button({ actionId: ACTIONS.claim, text: say(locale, 'ticketCard.claim'), value: ticket.id }));
  // Someone Slack knows and keydesk doesn't: an admin may create their account from here.
  if (ticket.kind === 'no_account') buttons.push(button({ actionId: ACTIONS.createAccount, text: say(locale, 'createAccount.button'), value: ticket.id, style: 'primary' }));
  // Emails that failed for good: queued once more (same content) when the mail server is fixed.
  if (ticket.kind === 'email_failure') buttons.push(button({ actionId: ACTIONS.resendEmail, text: say(locale, 'ticketCard.resendEmail'), value: ticket.id, style: 'primary' }));
  if (!needsApproval(ticket.kind)) buttons.push(button({ actionId: ACTIONS.resolve, text: say(locale, 'ticketCard.resolve'), value: ticket.id }));
  return buttons;
}

export function ticketCard(input: TicketCardInput): SlackMessage {
  const locale = input.locale ?? 'en';
  const { ticket, tz } = input;
  const data = ticketData(ticket);
  const title = kindTitle(ticket.kind, locale);
  const blocks: KnownBlock[] = [
    header(title, BLOCKS.ticketHeader),
    section(`${say(locale, 'ticketCard.status')} ${statusLabel(ticket.status, locale)}`, {
      blockId: BLOCKS.ticketFacts,
      fields: [
        `${say(locale, 'ticketCard.requestedBy')}\n${slackUser(ticket.requester_slack_id)}`,
        `${say(locale, 'ticketCard.account')}\n${accountText(input.account, locale)}`,
        `${say(locale, 'ticketCard.opened')}\n${formatDateTime(ticket.created_at, tz, locale)}`,
        `${say(locale, 'ticketCard.ticket')}\n\`${userText(ticket.id, 64)}\``,
      ],
    }),
  ];
  for (const key of SHOWN_FACTS) {
    const value = data[key];
    if (typeof value === 'string' && value.trim() !== '') blocks.push(section(`*${say(locale, `ticketCard.fact.${key}`)}*\n${userText(value, 2000)}`));
  }
  // What was done at once (a recorded direct action), in words.
  const done = typeof data.action === 'string' ? sayCode(locale, 'ticketCard.action', data.action) : undefined;
  if (done) blocks.push(section(`*${say(locale, 'ticketCard.fact.action')}*\n${done}`));
  // A code from the data said in words (where a verification was asked from); unknown codes are not shown.
  const via = typeof data.via === 'string' ? sayCode(locale, 'ticketCard.via', data.via) : undefined;
  if (via) blocks.push(section(`*${say(locale, 'ticketCard.fact.via')}*\n${via}`));
  // What the agent should check, for the kinds where that is not obvious.
  const guide = sayCode(locale, 'ticketCard.guide', ticket.kind);
  if (guide && isTicketStatus(ticket.status) && isPending(ticket.status)) blocks.push(context([guide]));
  const reported = lockReportDetailOf(data, locale);
  if (reported) blocks.push(section(`*${say(locale, 'ticketCard.fact.detail')}*\n${userText(reported, 2000)}`));
  if (Object.hasOwn(data, 'slack_email')) {
    // A no_account ticket: what Slack showed for the requester, worded in the card's language.
    const email = data.slack_email;
    const shown = typeof email === 'string' && email !== '' ? userText(email, 254) : say(locale, 'ticketCard.slackShowsNoEmail');
    blocks.push(section(`*${say(locale, 'ticketCard.fact.slackEmail')}*\n${shown}`));
  }
  const outcome = outcomeLine(ticket, data, tz, locale);
  if (outcome) blocks.push(context([outcome], BLOCKS.ticketOutcome));
  const buttons = cardButtons(input, locale);
  if (buttons.length > 0) blocks.push(actions(BLOCKS.ticketActions, buttons));
  const who = input.account ? userText(input.account.display_name, 100) : slackUser(ticket.requester_slack_id);
  return { text: fallback(`${title} (${statusLabel(ticket.status, locale)}): ${who}`), blocks };
}

export type ThreadEvent = 'opened' | 'claimed' | 'approved' | 'denied' | 'expired' | 'resolved' | 'done' | 'failed';

/**
 * One line in the ticket's thread: what happened, who did it, when. `note` is user or
 * system text (escaped here); `done`/`failed` report the action taken after an approval.
 */
export function ticketThreadMessage(input: { event: ThreadEvent; byName?: string | null; at: number; tz: string; locale?: Locale; note?: TicketNote | string }): SlackMessage {
  const locale = input.locale ?? 'en';
  const by = input.byName ? `*${userText(input.byName, 200)}*` : 'keydesk';
  const at = formatDateTime(input.at, input.tz, locale);
  const lines: Record<ThreadEvent, string> = {
    opened: say(locale, 'ticketCard.openedOn', { at }),
    claimed: say(locale, 'ticketCard.claimedThisOn', { by, at }),
    approved: say(locale, 'ticketCard.approvedThisOn', { by, at }),
    denied: say(locale, 'ticketCard.deniedThisOn', { by, at }),
    expired: say(locale, 'ticketCard.expiredOnNobodyDecided', { at }),
    resolved: say(locale, 'ticketCard.resolvedThisOn', { by, at }),
    done: say(locale, 'ticketCard.doneOn', { at }),
    failed: say(locale, 'ticketCard.theActionFailedOn', { at }),
  };
  let text = lines[input.event];
  const note = typeof input.note === 'string' ? input.note : input.note && translate(locale, input.note.key, input.note.params);
  if (note) text += `\n${userText(note, 2000)}`;
  return { text: fallback(text), blocks: [section(text)] };
}
