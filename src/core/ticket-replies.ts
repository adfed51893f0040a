// A ticket's history beyond its status: what agents wrote in its card's thread in the
// helpdesk channel. Only replies under a card keydesk posted are kept (a thread keydesk
// doesn't know is someone else's conversation); a delivery Slack retries is kept once.
import { randomUUID } from 'node:crypto';
import type { TicketRow } from '../store/schema.js';
import { findAccountBySlackId } from '../store/accounts.js';
import { findTicketByCard } from '../store/tickets.js';
import { writeAudit } from './audit.js';
import type { CoreDeps } from './deps.js';

const MAX_TEXT = 4000;

export interface ThreadReply {
  channel: string;
  threadTs: string;
  messageTs: string;
  slackUserId: string;
  text: string;
}

/** Records a reply under a ticket's card; null when the thread is no ticket's. */
export async function recordTicketReply(deps: CoreDeps, reply: ThreadReply): Promise<TicketRow | null> {
  const ticket = await findTicketByCard(deps.db, reply.channel, reply.threadTs);
  if (!ticket) return null;
  const author = await findAccountBySlackId(deps.db, reply.slackUserId);
  const now = deps.clock.now();
  const inserted = await deps.db
    .insertInto('ticket_replies')
    .values({
      id: randomUUID(),
      ticket_id: ticket.id,
      at: now,
      slack_user_id: reply.slackUserId,
      account_id: author?.id ?? null,
      text: reply.text.slice(0, MAX_TEXT),
      message_ts: reply.messageTs,
    })
    .onConflict((oc) => oc.columns(['ticket_id', 'message_ts']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) {
    // The words stay in the ticket's history; the audit trail only says a reply was made.
    const actor = author ? { id: author.id, kind: 'account' as const } : { id: `slack:${reply.slackUserId}`, kind: 'system' as const };
    await writeAudit(deps.db, now, { actor, action: 'ticket_reply', targetAccountId: ticket.account_id, detail: { ticket_id: ticket.id } });
  }
  return ticket;
}

/** A ticket's replies, oldest first. */
export async function listTicketReplies(deps: CoreDeps, ticketId: string) {
  return deps.db.selectFrom('ticket_replies').selectAll().where('ticket_id', '=', ticketId).orderBy('at').orderBy('message_ts').execute();
}
