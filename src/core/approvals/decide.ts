// An approval's end: an admin's decision (the first one wins, tickets.ts's compare-and-swap),
// what an approval then does (performers.ts), an approval nobody decided in time, and an
// unlock request made pointless by the lock ending some other way. Each end redraws the
// card and tells the requester through HelpdeskEffects, once, from here.
import { SYSTEM_ACTOR, type Actor, type CoreDeps } from '../deps.js';
import type { HelpdeskEffects, RequesterNotice, TicketNote, UnlockHow } from '../effects.js';
import { findAccountById } from '../../store/accounts.js';
import { ok, type Outcome } from '../refusal.js';
import { isTicketKind, needsApproval } from '../ticket-status.js';
import { decideApproval, expireStaleApprovals, getTicket, resolveTicket, ticketData, type Decision } from '../tickets.js';
import { findPendingTicket } from '../../store/tickets.js';
import type { TicketRow } from '../../store/schema.js';
import { hasPerformer, performApproved, type PerformedAction } from './performers.js';

/**
 * Approve or Deny. Only the winning decision acts: it carries the approval out, redraws
 * the card, writes the thread and tells the requester. A failed action is said in the
 * thread and the requester hears once the helpdesk has sorted it out. Every refused
 * decision (not an admin, their own request, already decided) changes nothing and is audited.
 */
export async function decideRequest(
  deps: CoreDeps,
  helpdesk: HelpdeskEffects,
  actor: Actor,
  ticketId: string,
  decision: Decision,
): Promise<Outcome<{ ticket: TicketRow; performed: PerformedAction | null }>> {
  const current = await getTicket(deps, ticketId);
  if (decision === 'approve' && current && isTicketKind(current.kind) && needsApproval(current.kind) && !hasPerformer(current.kind)) {
    // Approving what keydesk can't carry out would tell the requester something false.
    throw new Error(`no performer for ${current.kind} approvals`);
  }
  const out = await decideApproval(deps, actor, ticketId, decision);
  if (!out.ok) return out;
  const { ticket } = out;
  const byName = String(ticketData(ticket).decided_by_name ?? '');
  if (decision === 'deny') {
    await helpdesk.updateCard(ticket.id, 'denied', { name: byName });
    await tellRequester(deps, helpdesk, ticket, 'denied', byName);
    return ok({ ticket, performed: null });
  }
  const performed = await performApproved(deps, helpdesk, ticket, actor);
  if (!performed.ok) {
    await helpdesk.updateCard(ticket.id, 'approved', { name: byName });
    await helpdesk.updateCard(ticket.id, 'failed', { note: performed.note });
    return ok({ ticket, performed });
  }
  await helpdesk.updateCard(ticket.id, 'approved', { name: byName, note: performed.note });
  await tellRequester(deps, helpdesk, ticket, 'approved', byName);
  return ok({ ticket, performed });
}

/**
 * Approvals nobody decided within the TTL expire: the card says so and the requester may
 * ask again. The tickets are expired first, so the store says "expired" whatever Slack does.
 */
export async function expireApprovals(deps: CoreDeps, helpdesk: HelpdeskEffects, ttlMs: number): Promise<number> {
  const expired = await expireStaleApprovals(deps, ttlMs);
  for (const ticket of expired) {
    await helpdesk.updateCard(ticket.id, 'expired');
    await tellRequester(deps, helpdesk, ticket, 'expired');
  }
  return expired.length;
}

const RESOLVED_NOTE: Record<UnlockHow, TicketNote> = {
  expired: { key: 'slack.ticketNote.lockEndedByItself' },
  unlock: { key: 'slack.ticketNote.adminUnlocked' },
  password_reset: { key: 'slack.ticketNote.resetUnlocked' },
};

/**
 * A lock ended: the open unlock request it made pointless is resolved, and its card says
 * why. Only one opened before the lock ended: a request made since (or in that same
 * millisecond) is about a newer lock. Idempotent on retry (a resolved ticket is no longer open).
 */
export async function resolveWaitingUnlock(deps: CoreDeps, helpdesk: HelpdeskEffects, accountId: string, ended: { how: UnlockHow; at: number }): Promise<void> {
  const ticket = await findPendingTicket(deps.db, 'unlock', { accountId });
  if (!ticket || ticket.created_at >= ended.at) return;
  const resolved = await resolveTicket(deps, SYSTEM_ACTOR, ticket.id);
  if (!resolved.ok) return; // an admin decided it meanwhile: their card update tells it
  await helpdesk.updateCard(ticket.id, 'resolved', { note: RESOLVED_NOTE[ended.how] });
}

async function tellRequester(deps: CoreDeps, helpdesk: HelpdeskEffects, ticket: TicketRow, status: RequesterNotice['status'], byName?: string): Promise<void> {
  if (!ticket.requester_slack_id || !isTicketKind(ticket.kind)) return;
  const account = ticket.account_id ? await findAccountById(deps.db, ticket.account_id) : undefined;
  const locale = account?.locale ?? 'en';
  await helpdesk.tellRequester({ slackUserId: ticket.requester_slack_id, kind: ticket.kind, status, ...(byName === undefined ? {} : { byName }), locale });
}
