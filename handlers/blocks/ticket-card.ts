// The ticket's card in the helpdesk channel, and the lines posted in its thread. While an
// approval is undecided the card carries Approve / Deny (each behind a confirm dialog);
// agents get Claim and, for tickets that need no approval, Resolve. A final card says who
// closed it and when, and has no buttons left to press.
import { maskEmail } from '../../src/core/identity.js';
import type { Locale } from '../../src/core/types.js';
import { isPending, isTicketKind, isTicketStatus, needsApproval } from '../../src/core/ticket-status.js';
import { ticketData, type TicketData } from '../../src/core/tickets.js';
import type { AccountRow, TicketRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, confirmDialog, context, fallback, header, pick, section, type Button, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { kindNoun, kindTitle, statusLabel } from './ticket-words.js';

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
const SHOWN_FACTS: Record<string, { en: string; fr: string }> = {
  note: { en: 'Note', fr: 'Note' },
  reason: { en: 'Reason', fr: 'Motif' },
  detail: { en: 'Detail', fr: 'Détail' },
};

const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;

/** `<@U123>` for a real Slack user id; anything else is shown as text. */
export function slackUser(id: string | null): string {
  if (!id) return '—';
  return SLACK_ID.test(id) ? `<@${id}>` : userText(id, 40);
}

function accountText(account: TicketCardInput['account'], locale: Locale): string {
  if (!account) return pick(locale, '_no account_', '_aucun compte_');
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
      return pick(locale, `:white_check_mark: Approved by *${s.by}* on ${s.at}.`, `:white_check_mark: Approuvé par *${s.by}* le ${s.at}.`);
    }
    case 'denied': {
      const s = stamp(data, 'decided_by_name', 'decided_at', tz, locale);
      return pick(locale, `:no_entry: Denied by *${s.by}* on ${s.at}.`, `:no_entry: Refusé par *${s.by}* le ${s.at}.`);
    }
    case 'expired': {
      const s = stamp(data, 'expired_by_name', 'expired_at', tz, locale);
      return pick(locale, `:hourglass: Expired on ${s.at}: nobody decided in time.`, `:hourglass: Expiré le ${s.at} : personne n’a tranché à temps.`);
    }
    case 'resolved': {
      const s = stamp(data, 'resolved_by_name', 'resolved_at', tz, locale);
      return pick(locale, `:heavy_check_mark: Resolved by *${s.by}* on ${s.at}.`, `:heavy_check_mark: Résolu par *${s.by}* le ${s.at}.`);
    }
    case 'claimed': {
      const s = stamp(data, 'claimed_by_name', 'claimed_at', tz, locale);
      return pick(locale, `:raising_hand: Claimed by *${s.by}* on ${s.at}.`, `:raising_hand: Pris en charge par *${s.by}* le ${s.at}.`);
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
    buttons.push(
      button({
        actionId: ACTIONS.approve,
        text: pick(locale, 'Approve', 'Approuver'),
        value: ticket.id,
        style: 'primary',
        confirm: confirmDialog({
          title: pick(locale, 'Approve this request?', 'Approuver cette demande ?'),
          text: pick(locale, `Approve the ${noun} of ${who}? keydesk acts at once.`, `Approuver la ${noun} de ${who} ? keydesk agit aussitôt.`),
          confirm: pick(locale, 'Approve', 'Approuver'),
          deny: pick(locale, 'Cancel', 'Annuler'),
          style: 'primary',
        }),
      }),
      button({
        actionId: ACTIONS.deny,
        text: pick(locale, 'Deny', 'Refuser'),
        value: ticket.id,
        style: 'danger',
        confirm: confirmDialog({
          title: pick(locale, 'Deny this request?', 'Refuser cette demande ?'),
          text: pick(locale, `Deny the ${noun} of ${who}? They will be told.`, `Refuser la ${noun} de ${who} ? La personne sera prévenue.`),
          confirm: pick(locale, 'Deny', 'Refuser'),
          deny: pick(locale, 'Cancel', 'Annuler'),
          style: 'danger',
        }),
      }),
    );
  }
  if (ticket.status === 'open') buttons.push(button({ actionId: ACTIONS.claim, text: pick(locale, 'Claim', 'Prendre en charge'), value: ticket.id }));
  if (!needsApproval(ticket.kind)) buttons.push(button({ actionId: ACTIONS.resolve, text: pick(locale, 'Resolve', 'Résoudre'), value: ticket.id }));
  return buttons;
}

export function ticketCard(input: TicketCardInput): SlackMessage {
  const locale = input.locale ?? 'en';
  const { ticket, tz } = input;
  const data = ticketData(ticket);
  const title = kindTitle(ticket.kind, locale);
  const blocks: KnownBlock[] = [
    header(title, BLOCKS.ticketHeader),
    section(`${pick(locale, '*Status:*', '*Statut :*')} ${statusLabel(ticket.status, locale)}`, {
      blockId: BLOCKS.ticketFacts,
      fields: [
        `${pick(locale, '*Requested by*', '*Demandé par*')}\n${slackUser(ticket.requester_slack_id)}`,
        `${pick(locale, '*Account*', '*Compte*')}\n${accountText(input.account, locale)}`,
        `${pick(locale, '*Opened*', '*Ouvert le*')}\n${formatDateTime(ticket.created_at, tz, locale)}`,
        `${pick(locale, '*Ticket*', '*Ticket*')}\n\`${userText(ticket.id, 64)}\``,
      ],
    }),
  ];
  for (const [key, label] of Object.entries(SHOWN_FACTS)) {
    const value = data[key];
    if (typeof value === 'string' && value.trim() !== '') blocks.push(section(`*${label[locale]}*\n${userText(value, 2000)}`));
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
export function ticketThreadMessage(input: { event: ThreadEvent; byName?: string | null; at: number; tz: string; locale?: Locale; note?: string }): SlackMessage {
  const locale = input.locale ?? 'en';
  const by = input.byName ? `*${userText(input.byName, 200)}*` : 'keydesk';
  const at = formatDateTime(input.at, input.tz, locale);
  const lines: Record<ThreadEvent, string> = {
    opened: pick(locale, `:inbox_tray: Opened on ${at}.`, `:inbox_tray: Ouvert le ${at}.`),
    claimed: pick(locale, `:raising_hand: ${by} claimed this on ${at}.`, `:raising_hand: ${by} a pris en charge ce ticket le ${at}.`),
    approved: pick(locale, `:white_check_mark: ${by} approved this on ${at}.`, `:white_check_mark: ${by} a approuvé cette demande le ${at}.`),
    denied: pick(locale, `:no_entry: ${by} denied this on ${at}.`, `:no_entry: ${by} a refusé cette demande le ${at}.`),
    expired: pick(locale, `:hourglass: Expired on ${at}: nobody decided in time.`, `:hourglass: Expiré le ${at} : personne n’a tranché à temps.`),
    resolved: pick(locale, `:heavy_check_mark: ${by} resolved this on ${at}.`, `:heavy_check_mark: ${by} a résolu ce ticket le ${at}.`),
    done: pick(locale, `:gear: Done on ${at}.`, `:gear: Fait le ${at}.`),
    failed: pick(locale, `:warning: The action failed on ${at}.`, `:warning: L’action a échoué le ${at}.`),
  };
  let text = lines[input.event];
  if (input.note) text += `\n${userText(input.note, 2000)}`;
  return { text: fallback(text), blocks: [section(text)] };
}
