// Tickets: every request to the helpdesk is one, and approval kinds (unlock, MFA reset,
// access key) wait here for an admin's decision. Each status change is one conditional
// UPDATE that compares the status and data it read (compare-and-swap), so of any number
// of concurrent clicks exactly one moves the ticket and the others see what it became.
// What a decision *does* (the unlock, the MFA clear, the key) is the caller's next step,
// taken only by the winner; this file is about tickets alone.
import { randomUUID } from 'node:crypto';
import type { AccountRow, TicketRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin, isAdmin, isAgent } from './authority.js';
import { SYSTEM_ACTOR, type Actor, type CoreDeps } from './deps.js';
import { findAccountById } from '../store/accounts.js';
import { findPendingTicket, findTicketById } from '../store/tickets.js';
import { ok, refuse, type Outcome, type Refusal } from './refusal.js';
import {
  APPROVAL_KINDS,
  isPending,
  needsApproval,
  nextTicketStatus,
  statusesFrom,
  type TicketEvent,
} from './ticket-status.js';
import type { TicketKind } from './types.js';

export type TicketData = Record<string, string | number | boolean | null>;
export type Decision = 'approve' | 'deny';

export interface OpenTicketInput {
  kind: TicketKind;
  /** The account the ticket is about (null for `no_account`). */
  accountId: string | null;
  requesterSlackId: string | null;
  /** Non-secret facts shown on the card (a note, the Slack email of an unknown user…). */
  data?: TicketData;
}

// Ticket data ends up on a Slack card, so the audit log's rule holds here too.
const SECRET_KEY = /password|pin|answer|token|secret|otp|code|key$/i;

/** The admin action an approval leads to, checked so that approving can't do what acting couldn't. */
const APPROVED_ACTION: Record<string, string> = { unlock: 'unlock', mfa_reset: 'clear_mfa', access_key: 'issue_access_key', manual_verification: 'verify_identity' };

/** Losing a race means someone else moved the ticket; a handful of rounds always settles it. */
const MAX_ROUNDS = 8;

/** The ticket's data, parsed; a row whose data is not a JSON object reads as {}. */
export function ticketData(ticket: Pick<TicketRow, 'data'>): TicketData {
  try {
    const parsed: unknown = JSON.parse(ticket.data);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as TicketData) : {};
  } catch {
    return {};
  }
}

export async function getTicket(deps: CoreDeps, ticketId: string): Promise<TicketRow | undefined> {
  return findTicketById(deps.db, ticketId);
}

export async function openTicket(deps: CoreDeps, actor: Actor, input: OpenTicketInput): Promise<TicketRow> {
  const data = input.data ?? {};
  for (const key of Object.keys(data)) {
    if (SECRET_KEY.test(key)) throw new Error(`ticket data key "${key}" looks like a secret`);
  }
  const now = deps.clock.now();
  const ticket: TicketRow = {
    id: randomUUID(),
    kind: input.kind,
    status: 'open',
    account_id: input.accountId,
    requester_slack_id: input.requesterSlackId,
    channel: null,
    message_ts: null,
    data: JSON.stringify(data),
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('tickets').values(ticket).execute();
  await writeAudit(deps.db, now, { actor, action: 'open_ticket', targetAccountId: input.accountId, detail: { ticket_id: ticket.id, kind: input.kind } });
  return ticket;
}

/**
 * A request from someone: the open ticket of that kind about that account (or, with no
 * account, from that Slack user) when there is one — a second `/unlock` shows the first
 * ticket — else a new one.
 */
export async function requestTicket(deps: CoreDeps, actor: Actor, input: OpenTicketInput): Promise<{ ticket: TicketRow; created: boolean }> {
  const existing = await pendingTicketOf(deps, input);
  if (existing) return { ticket: existing, created: false };
  try {
    return { ticket: await openTicket(deps, actor, input), created: true };
  } catch (err) {
    // A racing request opened it first (the store allows one pending ticket per kind and
    // account, or per Slack user): answer with that one.
    const raced = await pendingTicketOf(deps, input);
    if (raced) return { ticket: raced, created: false };
    throw err;
  }
}

async function pendingTicketOf(deps: CoreDeps, input: OpenTicketInput): Promise<TicketRow | undefined> {
  if (input.accountId) return findPendingTicket(deps.db, input.kind, { accountId: input.accountId });
  if (input.requesterSlackId) return findPendingTicket(deps.db, input.kind, { requesterSlackId: input.requesterSlackId });
  return undefined;
}

/** Where the ticket's card lives in Slack, so later changes can update it and post in its thread. */
export async function recordTicketMessage(deps: CoreDeps, ticketId: string, channel: string, ts: string): Promise<void> {
  await deps.db.updateTable('tickets').set({ channel, message_ts: ts, updated_at: deps.clock.now() }).where('id', '=', ticketId).execute();
}

/**
 * An admin approves or denies a request. Only admins decide, never on their own request;
 * the first decision wins and any later one is refused with what it was and who made it.
 */
export async function decideApproval(deps: CoreDeps, actor: Actor, ticketId: string, decision: Decision): Promise<Outcome<{ ticket: TicketRow }>> {
  const ticket = await getTicket(deps, ticketId);
  const target = ticket?.account_id ? ((await findAccountById(deps.db, ticket.account_id)) ?? null) : null;
  const denied = await authorizeAdmin(deps, actor, 'decide_ticket', target);
  if (denied) return denied;
  if (!ticket) return refuse('ticket_not_found');
  if (!needsApproval(ticket.kind)) return refuse('not_an_approval');
  const acting = await actingAccount(deps, actor);
  if (ticket.account_id === actor.id || (ticket.requester_slack_id !== null && acting?.slack_user_id === ticket.requester_slack_id)) {
    return auditedRefusal(deps, actor, 'decide_ticket', ticket, refuse('self_approval'));
  }
  if (decision === 'approve') {
    // Approving an MFA reset of a primary admin would clear what no admin may clear.
    const protectedRefusal = await authorizeAdmin(deps, actor, APPROVED_ACTION[ticket.kind] ?? 'decide_ticket', target);
    if (protectedRefusal) return protectedRefusal;
  }

  const name = nameOf(actor, acting);
  const moved = await transition(deps, ticket.id, decision, (now) => ({ decided_by: actor.id, decided_by_name: name, decided_at: now }));
  // A late click is audited like any refused decision: the log shows every attempt.
  if (!moved.won) return auditedRefusal(deps, actor, 'decide_ticket', moved.ticket, refuse('already_decided', { status: moved.ticket.status, by: closedBy(moved.ticket) }));
  await writeAudit(deps.db, moved.ticket.updated_at, {
    actor,
    action: decision === 'approve' ? 'approve_ticket' : 'deny_ticket',
    targetAccountId: ticket.account_id,
    detail: { ticket_id: ticket.id, kind: ticket.kind },
  });
  return ok({ ticket: moved.ticket });
}

/** An agent (or admin) takes a ticket. */
export async function claimTicket(deps: CoreDeps, actor: Actor, ticketId: string): Promise<Outcome<{ ticket: TicketRow }>> {
  const ticket = await getTicket(deps, ticketId);
  if (!isAgent(actor)) return auditedRefusal(deps, actor, 'claim_ticket', ticket, refuse('forbidden'));
  if (!ticket) return refuse('ticket_not_found');
  const acting = await actingAccount(deps, actor);
  const name = nameOf(actor, acting);
  const moved = await transition(deps, ticket.id, 'claim', (now) => ({ claimed_by: actor.id, claimed_by_name: name, claimed_at: now }));
  if (!moved.won) {
    const data = ticketData(moved.ticket);
    return moved.ticket.status === 'claimed'
      ? refuse('already_claimed', { by: String(data.claimed_by_name ?? data.claimed_by ?? '') })
      : refuse('ticket_closed', { status: moved.ticket.status });
  }
  await writeAudit(deps.db, moved.ticket.updated_at, { actor, action: 'claim_ticket', targetAccountId: ticket.account_id, detail: { ticket_id: ticket.id, kind: ticket.kind } });
  return ok({ ticket: moved.ticket });
}

/**
 * Closes a ticket without a decision. Agents resolve any ticket that needs no approval;
 * a pending approval is closed only by an admin, or by the system (a lock that ended by
 * itself), so that an agent can't quietly turn down what only admins decide.
 */
export async function resolveTicket(deps: CoreDeps, actor: Actor, ticketId: string, extra: TicketData = {}): Promise<Outcome<{ ticket: TicketRow }>> {
  const ticket = await getTicket(deps, ticketId);
  const approval = ticket !== undefined && needsApproval(ticket.kind);
  const allowed = actor.kind === 'system' || (approval ? isAdmin(actor) : isAgent(actor));
  if (!allowed) return auditedRefusal(deps, actor, 'resolve_ticket', ticket, refuse('forbidden'));
  if (!ticket) return refuse('ticket_not_found');
  const acting = await actingAccount(deps, actor);
  const name = nameOf(actor, acting);
  const moved = await transition(deps, ticket.id, 'resolve', (now) => ({ ...extra, resolved_by: actor.id, resolved_by_name: name, resolved_at: now }));
  if (!moved.won) return refuse('ticket_closed', { status: moved.ticket.status });
  await writeAudit(deps.db, moved.ticket.updated_at, { actor, action: 'resolve_ticket', targetAccountId: ticket.account_id, detail: { ticket_id: ticket.id, kind: ticket.kind } });
  return ok({ ticket: moved.ticket });
}

/**
 * Adds facts to a pending ticket (a second failed email on an open email_failure ticket),
 * compare-and-swap on its data so racing amendments all land. False once it is closed.
 */
export async function amendPendingTicket(deps: CoreDeps, ticketId: string, change: (data: TicketData) => TicketData): Promise<boolean> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const current = await findTicketById(deps.db, ticketId);
    if (!current || !isPending(current.status)) return false;
    const moved = await deps.db
      .updateTable('tickets')
      .set({ data: JSON.stringify(change(ticketData(current))), updated_at: deps.clock.now() })
      .where('id', '=', ticketId)
      .where('status', '=', current.status)
      .where('data', '=', current.data)
      .returning('id')
      .executeTakeFirst();
    if (moved) return true;
  }
  throw new Error(`ticket ${ticketId}: no settled data after ${MAX_ROUNDS} rounds`);
}

/**
 * Approvals nobody decided within `olderThanMs` expire (the cards then say so). Returns
 * the tickets this call expired; a decision racing it wins or loses cleanly.
 */
export async function expireStaleApprovals(deps: CoreDeps, olderThanMs: number, limit = 100): Promise<TicketRow[]> {
  const cutoff = deps.clock.now() - olderThanMs;
  const stale = await deps.db
    .selectFrom('tickets')
    .select('id')
    .where('kind', 'in', APPROVAL_KINDS)
    .where('status', 'in', statusesFrom('expire'))
    .where('created_at', '<=', cutoff)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  const expired: TicketRow[] = [];
  for (const { id } of stale) {
    const moved = await transition(deps, id, 'expire', (now) => ({ expired_at: now }));
    if (!moved.won) continue;
    expired.push(moved.ticket);
    await writeAudit(deps.db, moved.ticket.updated_at, {
      actor: SYSTEM_ACTOR,
      action: 'expire_ticket',
      targetAccountId: moved.ticket.account_id,
      detail: { ticket_id: id, kind: moved.ticket.kind },
    });
  }
  return expired;
}

/** Who closed a ticket, in words, for "already decided by …". */
export function closedBy(ticket: TicketRow): string {
  const data = ticketData(ticket);
  const by = data.decided_by_name ?? data.resolved_by_name ?? null;
  return by === null ? 'keydesk' : String(by);
}

/**
 * Moves a ticket along `event` with a compare-and-swap on (status, data): the UPDATE
 * applies only if neither changed since it was read. Losing to a decision ends the
 * contest (the event no longer applies); losing to a data change (a claim) reads again.
 */
async function transition(
  deps: CoreDeps,
  ticketId: string,
  event: TicketEvent,
  stamp: (now: number) => TicketData,
): Promise<{ won: boolean; ticket: TicketRow }> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const current = await findTicketById(deps.db, ticketId);
    if (!current) throw new Error(`ticket ${ticketId} vanished`);
    const next = nextTicketStatus(current.status, event, current.kind);
    if (!next) return { won: false, ticket: current };
    const now = deps.clock.now();
    const moved = await deps.db
      .updateTable('tickets')
      .set({ status: next, data: JSON.stringify({ ...ticketData(current), ...stamp(now) }), updated_at: now })
      .where('id', '=', ticketId)
      .where('status', '=', current.status)
      .where('data', '=', current.data)
      .returningAll()
      .executeTakeFirst();
    if (moved) return { won: true, ticket: moved };
  }
  throw new Error(`ticket ${ticketId}: no settled state after ${MAX_ROUNDS} rounds`);
}

async function actingAccount(deps: CoreDeps, actor: Actor): Promise<AccountRow | undefined> {
  return actor.kind === 'account' ? findAccountById(deps.db, actor.id) : undefined;
}

function nameOf(actor: Actor, account: AccountRow | undefined): string {
  if (account) return account.display_name;
  return actor.kind === 'system' ? 'keydesk' : actor.id;
}

async function auditedRefusal(deps: CoreDeps, actor: Actor, action: string, ticket: TicketRow | undefined, refusal: Refusal): Promise<Refusal> {
  await writeAudit(deps.db, deps.clock.now(), {
    actor,
    action: `refused:${action}`,
    targetAccountId: ticket?.account_id ?? null,
    detail: { reason: refusal.code, ticket_id: ticket?.id ?? null },
  });
  return refusal;
}
