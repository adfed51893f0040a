// Approve / Deny on an approval card: parses the click and renders the answer. The rules —
// the first decision wins, only it acts, redraws the card and tells the requester — are the
// core's (src/core/approvals/decide.ts). Every other click — not an admin, their own
// request, already decided — gets an ephemeral answer with the core's reason.
import { decideRequest } from '../../src/core/approvals/decide.js';
import { refuse } from '../../src/core/refusal.js';
import type { Decision } from '../../src/core/tickets.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { ticketIdValue } from '../ids.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

const refused = (message: string) => noticeMessage(message, ':no_entry_sign:');

export async function ticketDecisionAction(ctx: HandlerContext, decision: Decision, args: ButtonArgs): Promise<void> {
  const { ack, action, client } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const ticketId = ticketIdValue.safeParse(action.value);
  const out = ticketId.success ? await decideRequest(ctx.deps, helpdeskEffects(ctx, client), asker.actor, ticketId.data, decision) : refuse('ticket_not_found');
  if (!out.ok) await answerClick(ctx, args, refused(out.message(asker.locale)), asker.locale);
}
