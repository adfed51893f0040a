// "Resend" on an email_failure card: an agent, once the mail server is fixed, queues the
// ticket's failed emails again. The core closes the ticket first, so of several clicks one
// resends; the card and its thread say who and how many went back to the queue.
import type { TicketNote } from '../../src/core/effects.js';
import { resendFailedEmails } from '../../src/core/email-failures.js';
import { refuse } from '../../src/core/refusal.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { ticketIdValue } from '../ids.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function ticketResendEmailAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action, client } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const ticketId = ticketIdValue.safeParse(action.value);
  const out = ticketId.success ? await resendFailedEmails(ctx.deps, asker.actor, ticketId.data) : refuse('ticket_not_found');
  if (!out.ok) {
    await answerClick(ctx, args, noticeMessage(out.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  const total = out.resent + out.gone;
  const note: TicketNote =
    out.resent > 0 ? { key: 'slack.ticketCard.resentEmails', params: { resent: out.resent, total } } : { key: 'slack.ticketCard.resentNone', params: { total } };
  await updateTicketCard(ctx, client, out.ticket.id, 'resolved', { name: asker.account.display_name, note });
}
