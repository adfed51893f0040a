// A ticket opened away from Slack (the "My account" page, "this wasn't me", a failed
// email) gets its card in the helpdesk channel through the notify queue. A retried job
// finds the card already recorded and posts nothing twice.
import type { webApi } from '@slack/bolt';
import type { NoticeOutcome } from '../../jobs/notify.worker.js';
import { getTicket } from '../../src/core/tickets.js';
import type { HandlerContext } from '../context.js';
import { postTicketCard } from '../helpdesk-channel.js';

export async function postOpenedTicket(ctx: HandlerContext, client: webApi.WebClient, ticketId: string): Promise<NoticeOutcome> {
  const ticket = await getTicket(ctx.deps, ticketId);
  if (!ticket) return 'gone';
  if (ticket.message_ts) return 'told';
  await postTicketCard(ctx, client, ticket);
  return 'sent';
}
