// `/helpdesk tickets`: the open and claimed tickets, oldest first, one line each with its
// status, kind, requester, age, id and a link to its card in the helpdesk channel.
import type { Locale } from '../../src/core/types.js';
import type { TicketRow } from '../../src/store/schema.js';
import { BLOCKS } from '../ids.js';
import { context, fallback, header, section, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { slackUser } from './ticket-card.js';
import { kindTitle, statusLabel } from './ticket-words.js';
import { say } from './words.js';

/** Lines shown; the rest are counted ("and 12 more"). 40 lines + 3 blocks stays under 50. */
export const TICKET_LIST_SIZE = 40;

export type ListedTicket = Pick<TicketRow, 'id' | 'kind' | 'status' | 'requester_slack_id' | 'created_at' | 'channel' | 'message_ts'>;

export interface TicketListInput {
  tickets: readonly ListedTicket[];
  /** Whether there are more open tickets than `tickets` holds. */
  more?: boolean;
  /** `https://<workspace>.slack.com` for links to the cards (from the command's team_domain); none, no links. */
  workspaceUrl?: string | null;
  tz: string;
  locale: Locale;
}

const CHANNEL = /^[CG][A-Z0-9]{2,20}$/;
const TS = /^\d{6,12}\.\d{6}$/;

/** The card's permalink, built as Slack builds them: /archives/<channel>/p<ts without the dot>. */
export function cardLink(workspaceUrl: string | null | undefined, ticket: Pick<TicketRow, 'channel' | 'message_ts'>): string | null {
  if (!workspaceUrl || !ticket.channel || !ticket.message_ts) return null;
  if (!CHANNEL.test(ticket.channel) || !TS.test(ticket.message_ts)) return null;
  return `${workspaceUrl}/archives/${ticket.channel}/p${ticket.message_ts.replace('.', '')}`;
}

export function ticketListMessage(input: TicketListInput): SlackMessage {
  const { locale, tz } = input;
  const shown = input.tickets.slice(0, TICKET_LIST_SIZE);
  if (shown.length === 0) {
    const text = say(locale, 'ticketList.noOpenTicket');
    return { text, blocks: [section(text)] };
  }
  const title = say(locale, 'ticketList.openTickets');
  const blocks: KnownBlock[] = [header(title, BLOCKS.ticketList)];
  for (const ticket of shown) {
    const link = cardLink(input.workspaceUrl, ticket);
    const kind = link ? `<${link}|${kindTitle(ticket.kind, locale)}>` : `*${kindTitle(ticket.kind, locale)}*`;
    blocks.push(
      section(
        `${statusLabel(ticket.status, locale)} ${kind} · ${slackUser(ticket.requester_slack_id)} · ${formatDateTime(ticket.created_at, tz, locale)}\n` +
          `\`${userText(ticket.id, 64)}\``,
      ),
    );
  }
  const hidden = input.tickets.length - shown.length;
  if (input.more || hidden > 0) {
    blocks.push(context([say(locale, 'ticketList.moreTicketsAreOpen')]));
  }
  return { text: fallback(`${title}: ${shown.length}${input.more || hidden > 0 ? '+' : ''}`), blocks };
}
