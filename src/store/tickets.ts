// Queries of the tickets table that more than one core module needs (tickets, approvals,
// the helpdesk lists). Who may see or move a ticket stays in src/core; these only fetch.
import { PENDING_STATUSES } from '../core/ticket-status.js';
import type { TicketKind } from '../core/types.js';
import type { Store } from './db.js';
import type { TicketRow } from './schema.js';

export async function findTicketById(db: Store, ticketId: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
}

/** Whose pending ticket: the account it is about, or the Slack user with no account (`no_account`). */
export type TicketSubject = { accountId: string } | { requesterSlackId: string };

/** The newest open or claimed ticket of a kind about a subject, if any. */
export async function findPendingTicket(db: Store, kind: TicketKind, subject: TicketSubject): Promise<TicketRow | undefined> {
  const query = db.selectFrom('tickets').selectAll().where('kind', '=', kind).where('status', 'in', PENDING_STATUSES);
  const about =
    'accountId' in subject
      ? query.where('account_id', '=', subject.accountId)
      : query.where('account_id', 'is', null).where('requester_slack_id', '=', subject.requesterSlackId);
  return about.orderBy('created_at', 'desc').orderBy('id').executeTakeFirst();
}

/** The ticket whose card is the message `messageTs` in `channel` (a reply in its thread names it so). */
export async function findTicketByCard(db: Store, channel: string, messageTs: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('channel', '=', channel).where('message_ts', '=', messageTs).executeTakeFirst();
}

/** Open and claimed tickets, oldest first. */
export async function listPendingTickets(db: Store, limit: number, offset: number): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll().where('status', 'in', PENDING_STATUSES).orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute();
}

export async function countPendingTickets(db: Store): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'in', PENDING_STATUSES)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Open and claimed tickets of the given kinds, counted by kind (the pending-approvals gauge). */
export async function countPendingByKind(db: Store, kinds: readonly TicketKind[]): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('tickets')
    .select((eb) => ['kind', eb.fn.countAll().as('n')])
    .where('kind', 'in', kinds)
    .where('status', 'in', PENDING_STATUSES)
    .groupBy('kind')
    .execute();
  const counts: Record<string, number> = Object.fromEntries(kinds.map((k) => [k, 0]));
  for (const row of rows) counts[row.kind] = Number(row.n);
  return counts;
}
