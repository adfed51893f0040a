// A ticket's life in the helpdesk channel: its card (posted once, then updated in place)
// and its thread (one line per event). Slack failures here are logged, never thrown:
// the ticket in the store is the record; the card is its picture, in HELPDESK_LOCALE. helpdeskEffects is the
// core's HelpdeskEffects on Slack: the approvals flow asks, this renders and sends.
import type { webApi } from '@slack/bolt';
import type { HelpdeskEffects, TicketNote } from '../src/core/effects.js';
import { getAccount } from '../src/core/identity.js';
import { getTicket, recordTicketMessage } from '../src/core/tickets.js';
import type { Locale } from '../src/core/types.js';
import type { TicketRow } from '../src/store/schema.js';
import { approvalResultMessage } from './blocks/approval-result.js';
import { keyRevealMessage } from './blocks/key-reveal.js';
import { ticketCard, ticketThreadMessage, type ThreadEvent } from './blocks/ticket-card.js';
import type { HandlerContext } from './context.js';
import { dmFromListener } from './reply.js';

type Client = webApi.WebClient;

/** The helpdesk channel's clock: cards show UTC, as the channel has no single time zone. */
const CHANNEL_TZ = 'UTC';

/**
 * The channel's language (HELPDESK_LOCALE): its cards and thread lines are read by the whole
 * helpdesk, so they follow the channel, not whoever clicked; the answer a clicking admin
 * gets (ephemeral, modal) stays in that admin's own language.
 */
export const channelLocale = (ctx: HandlerContext): Locale => ctx.helpdeskLocale ?? 'en';

async function cardFor(ctx: HandlerContext, ticket: TicketRow) {
  const account = ticket.account_id ? await getAccount(ctx.deps, ticket.account_id) : null;
  return ticketCard({ ticket, account: account ?? null, tz: CHANNEL_TZ, locale: channelLocale(ctx) });
}

/** Posts a new ticket's card and its first thread line; remembers where the card lives. */
export async function postTicketCard(ctx: HandlerContext, client: Client, ticket: TicketRow): Promise<void> {
  try {
    const card = await cardFor(ctx, ticket);
    const posted = await client.chat.postMessage({ channel: ctx.helpdeskChannel, text: card.text, blocks: card.blocks });
    if (posted.ts && posted.channel) {
      await recordTicketMessage(ctx.deps, ticket.id, posted.channel, posted.ts);
      const line = ticketThreadMessage({ event: 'opened', at: ticket.created_at, tz: CHANNEL_TZ, locale: channelLocale(ctx) });
      await client.chat.postMessage({ channel: posted.channel, thread_ts: posted.ts, text: line.text, blocks: line.blocks });
    }
  } catch (err) {
    ctx.logger.error({ err, ticket: ticket.id }, 'could not post the ticket card');
  }
}

/** Redraws the card from the store and adds one line to its thread. */
export async function updateTicketCard(
  ctx: HandlerContext,
  client: Client,
  ticketId: string,
  event: ThreadEvent,
  by: { name?: string | null; note?: TicketNote } = {},
): Promise<void> {
  const ticket = await getTicket(ctx.deps, ticketId);
  if (!ticket?.channel || !ticket.message_ts) {
    if (ticket) await postTicketCard(ctx, client, ticket);
    return;
  }
  try {
    const card = await cardFor(ctx, ticket);
    await client.chat.update({ channel: ticket.channel, ts: ticket.message_ts, text: card.text, blocks: card.blocks });
    const line = ticketThreadMessage({ event, byName: by.name ?? null, at: ctx.deps.clock.now(), tz: CHANNEL_TZ, locale: channelLocale(ctx), note: by.note });
    await client.chat.postMessage({ channel: ticket.channel, thread_ts: ticket.message_ts, text: line.text, blocks: line.blocks });
  } catch (err) {
    ctx.logger.error({ err, ticket: ticket.id }, 'could not update the ticket card');
  }
}

/**
 * The approvals flow's effects on Slack, for a listener: a DM that can't be sent is logged
 * (dmFromListener, handlers/reply.ts) and the flow goes on. `tellRequester` may be replaced (the notify
 * worker sends with its own retry policy).
 */
export function helpdeskEffects(ctx: HandlerContext, client: Client, overrides: Partial<HelpdeskEffects> = {}): HelpdeskEffects {
  return {
    postCard: (ticket) => postTicketCard(ctx, client, ticket),
    updateCard: (ticketId, event, by) => updateTicketCard(ctx, client, ticketId, event, by),
    async tellRequester({ slackUserId, ...result }) {
      await dmFromListener(ctx, client, slackUserId, approvalResultMessage(result));
    },
    async offerKey(owner, keyId) {
      if (!owner.slack_user_id) return false;
      const { locale } = owner;
      return (await dmFromListener(ctx, client, owner.slack_user_id, keyRevealMessage({ keyId, locale }))) !== null;
    },
    ...overrides,
  };
}
