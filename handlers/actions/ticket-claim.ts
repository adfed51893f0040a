// Claim on a ticket card (or the Home tab): an agent or admin takes the ticket. The card
// and its thread say who; a refused click (not an agent, already claimed or closed) gets
// an ephemeral answer, and the core audits a refusal of authority.
import { refuse } from '../../src/core/refusal.js';
import { claimTicket } from '../../src/core/tickets.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { ticketIdValue } from '../ids.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function ticketClaimAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action, client } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const ticketId = ticketIdValue.safeParse(action.value);
  const out = ticketId.success ? await claimTicket(ctx.deps, asker.actor, ticketId.data) : refuse('ticket_not_found');
  if (!out.ok) {
    await answerClick(ctx, args, noticeMessage(out.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  await updateTicketCard(ctx, client, out.ticket.id, 'claimed', { name: asker.account.display_name });
}
