// The ticket status machine, as a table: which event moves which status where, and which
// events a kind of ticket accepts. Statuses are stored as these very strings; the table
// also gives the `WHERE status IN (…)` of each conditional update in tickets.ts, so the
// store can never move a ticket along an edge this file doesn't have.
import { TICKET_KINDS, TICKET_STATUSES, type TicketKind, type TicketStatus } from './types.js';

export const TICKET_EVENTS = ['claim', 'approve', 'deny', 'expire', 'resolve'] as const;
export type TicketEvent = (typeof TICKET_EVENTS)[number];

/** Kinds an admin must approve when a user asks (an admin acting directly opens none). */
export const APPROVAL_KINDS: readonly TicketKind[] = ['unlock', 'mfa_reset', 'access_key', 'manual_verification'];

/** Statuses a ticket is still being worked in; every other status is final. */
export const PENDING_STATUSES: readonly TicketStatus[] = ['open', 'claimed'];

const TRANSITIONS: Record<TicketEvent, Partial<Record<TicketStatus, TicketStatus>>> = {
  // An agent takes a ticket; claiming does not decide an approval.
  claim: { open: 'claimed' },
  approve: { open: 'approved', claimed: 'approved' },
  deny: { open: 'denied', claimed: 'denied' },
  // An approval nobody decided in time; the requester may ask again.
  expire: { open: 'expired', claimed: 'expired' },
  // Closing without a decision: an agent's "done", or the system when a lock ended by itself.
  resolve: { open: 'resolved', claimed: 'resolved' },
};

const APPROVAL_EVENTS: readonly TicketEvent[] = ['approve', 'deny', 'expire'];

export function isTicketKind(value: string): value is TicketKind {
  return (TICKET_KINDS as readonly string[]).includes(value);
}

export function isTicketStatus(value: string): value is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(value);
}

export function needsApproval(kind: TicketKind): boolean {
  return APPROVAL_KINDS.includes(kind);
}

export function isPending(status: TicketStatus): boolean {
  return PENDING_STATUSES.includes(status);
}

/** Whether a kind of ticket accepts an event at all: only approval kinds are approved, denied or expired. */
export function acceptsEvent(kind: TicketKind, event: TicketEvent): boolean {
  return needsApproval(kind) || !APPROVAL_EVENTS.includes(event);
}

/**
 * The status after `event`, or null when the event does not apply to the current status
 * (or, given a kind, to that kind of ticket).
 */
export function nextTicketStatus(current: TicketStatus, event: TicketEvent, kind?: TicketKind): TicketStatus | null {
  if (kind !== undefined && !acceptsEvent(kind, event)) return null;
  return TRANSITIONS[event][current] ?? null;
}

/** The statuses `event` may leave from: the `WHERE status IN (…)` of its conditional update. */
export function statusesFrom(event: TicketEvent): TicketStatus[] {
  return TICKET_STATUSES.filter((status) => TRANSITIONS[event][status] !== undefined);
}
