// Resolve on a ticket card: an agent closes a ticket that needs no approval (an admin may
// also close a waiting approval without deciding it). The card and its thread say who; a
// refused click (not allowed, already closed) gets an ephemeral answer, and the core
// audits a refusal of authority.
import { refuse } from '../../src/core/refusal.js';
import { resolveTicket } from '../../src/core/tickets.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { ticketIdValue } from '../ids.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function ticketResolveAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action, client } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const ticketId = ticketIdValue.safeParse(action.value);
  const out = ticketId.success ? await resolveTicket(ctx.deps, asker.actor, ticketId.data) : refuse('ticket_not_found');
  if (!out.ok) {
    await answerClick(ctx, args, noticeMessage(out.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  await updateTicketCard(ctx, client, out.ticket.id, 'resolved', { name: asker.account.display_name });
}
