// Approve / Deny on an approval card. The first decision wins (the core's compare-and-swap):
// only that click acts (unlock, …), redraws the card, writes the thread and tells the
// requester. Every other click — not an admin, their own request, already decided — gets
// an ephemeral answer with the core's reason, changes nothing, and the core audits it.
import { z } from 'zod';
import { findAccountById } from '../../src/core/identity.js';
import { refuse } from '../../src/core/refusal.js';
import { isTicketKind, needsApproval } from '../../src/core/ticket-status.js';
import { decideApproval, getTicket, type Decision } from '../../src/core/tickets.js';
import type { TicketRow } from '../../src/store/schema.js';
import { approvalResultMessage } from '../blocks/approval-result.js';
import { approvalUnavailableMessage } from '../blocks/helpdesk-answers.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { answerClicker, whoClicked, type ButtonArgs } from '../flows/answer-user.js';
import { sendDirectMessage } from '../flows/direct-message.js';
import { APPROVAL_PERFORMERS } from '../flows/approval-performers.js';

export const ticketIdValue = z.uuid();

const refused = (message: string) => noticeMessage(message, ':no_entry_sign:');

/** The requester's DM: how it was decided, in their locale. */
async function tellRequester(ctx: HandlerContext, args: ButtonArgs, ticket: TicketRow, decision: Decision, byName: string): Promise<void> {
  if (!ticket.requester_slack_id || !isTicketKind(ticket.kind)) return;
  const account = ticket.account_id ? await findAccountById(ctx.deps.db, ticket.account_id) : undefined;
  const locale = account?.locale ?? 'en';
  const status = decision === 'approve' ? 'approved' : 'denied';
  await sendDirectMessage(ctx, args.client, ticket.requester_slack_id, approvalResultMessage({ kind: ticket.kind, status, byName, locale }));
}

export async function ticketDecisionAction(ctx: HandlerContext, decision: Decision, args: ButtonArgs): Promise<void> {
  const { ack, action, client } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const ticketId = ticketIdValue.safeParse(action.value);
  if (!ticketId.success) {
    await answerClicker(ctx, args, refused(refuse('ticket_not_found').message(asker.locale)), asker.locale);
    return;
  }
  const current = await getTicket(ctx.deps, ticketId.data);
  const kind = current && isTicketKind(current.kind) ? current.kind : null;
  const performer = kind ? APPROVAL_PERFORMERS[kind] : undefined;
  if (decision === 'approve' && kind && needsApproval(kind) && !performer) {
    // Approving what keydesk can't carry out would tell the requester something false.
    ctx.logger.error({ kind, ticket: ticketId.data }, 'no performer for this kind of approval');
    await answerClicker(ctx, args, approvalUnavailableMessage(asker.locale), asker.locale);
    return;
  }

  const out = await decideApproval(ctx.deps, asker.actor, ticketId.data, decision);
  if (!out.ok) {
    await answerClicker(ctx, args, refused(out.message(asker.locale)), asker.locale);
    return;
  }
  const { ticket } = out;
  const byName = asker.account.display_name;
  if (decision === 'deny') {
    await updateTicketCard(ctx, client, ticket.id, 'denied', { name: byName });
    await tellRequester(ctx, args, ticket, decision, byName);
    return;
  }
  const performed = performer ? await performer(ctx, client, { ticket, decider: asker }) : null;
  if (performed && !performed.ok) {
    // The thread says what failed; the requester hears once the helpdesk has sorted it out.
    await updateTicketCard(ctx, client, ticket.id, 'approved', { name: byName });
    await updateTicketCard(ctx, client, ticket.id, 'failed', { note: performed.note });
    return;
  }
  await updateTicketCard(ctx, client, ticket.id, 'approved', { name: byName, ...(performed ? { note: performed.note } : {}) });
  await tellRequester(ctx, args, ticket, decision, byName);
}
