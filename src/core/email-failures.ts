// Emails that failed for good (every retry used up, or refused by the server): one open
// `email_failure` ticket per account gathers them, and "Resend" on its card queues each
// of them once more — the same job, so the same content and Message-ID, never a new link
// made up here. Resending closes the ticket first (one decision per ticket), so two
// agents clicking at once resend once.
import type { TicketRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { SYSTEM_ACTOR, type Actor, type CoreDeps } from './deps.js';
import type { EmailKind } from './effects.js';
import { refuse, ok, type Outcome } from './refusal.js';
import { amendPendingTicket, getTicket, requestTicket, resolveTicket, ticketData, type TicketData } from './tickets.js';

export interface EmailFailure {
  accountId: string;
  kind: EmailKind;
  /** One line naming the kind, the masked address and a short error; never a link. */
  detail: string;
  /** The queue's id for the email, which Resend hands back to the queue. */
  emailId: string;
}

/** A card lists at most this many; older failures of the same ticket are past resending anyway. */
const MAX_EMAILS_PER_TICKET = 20;

const EMAIL_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The queue ids a ticket gathered, oldest first (ids that don't look like one are ignored). */
export function failedEmailIds(data: TicketData): string[] {
  const ids = typeof data.email_ids === 'string' ? data.email_ids.split(',') : [];
  return ids.filter((id) => EMAIL_ID.test(id));
}

function withEmail(data: TicketData, failure: EmailFailure): TicketData {
  const ids = [...failedEmailIds(data).filter((id) => id !== failure.emailId), failure.emailId].slice(-MAX_EMAILS_PER_TICKET);
  return { ...data, detail: failure.detail, email_ids: ids.join(','), failed_emails: ids.length };
}

/**
 * Files a failed email on the account's open email_failure ticket, or opens one. Returns
 * whether a ticket was opened (its card is then posted by the caller's notice).
 */
export async function recordEmailFailure(deps: CoreDeps, failure: EmailFailure): Promise<{ ticket: TicketRow; created: boolean }> {
  for (;;) {
    const opened = await requestTicket(deps, SYSTEM_ACTOR, {
      kind: 'email_failure',
      accountId: failure.accountId,
      requesterSlackId: null,
      data: withEmail({}, failure),
    });
    if (opened.created) return opened;
    // Closed between the look-up and the amendment: the next round opens a fresh one.
    if (await amendPendingTicket(deps, opened.ticket.id, (data) => withEmail(data, failure))) return opened;
  }
}

export interface Resent {
  ticket: TicketRow;
  /** Emails queued again. */
  resent: number;
  /** Emails the queue no longer holds (kept 7 days) or that are no longer failed. */
  gone: number;
}

/** "Resend" on an email_failure card: closes the ticket, then queues each of its emails again. */
export async function resendFailedEmails(deps: CoreDeps, actor: Actor, ticketId: string): Promise<Outcome<Resent>> {
  const ticket = await getTicket(deps, ticketId);
  if (!ticket || ticket.kind !== 'email_failure') return refuse('ticket_not_found');
  // resolveTicket checks the actor (an agent) and wins the ticket for one click only.
  const closed = await resolveTicket(deps, actor, ticket.id, { resent: true });
  if (!closed.ok) return closed;
  // The ids come from the ticket as it was closed, so one filed a moment before the click is resent too.
  const ids = failedEmailIds(ticketData(closed.ticket));
  let resent = 0;
  for (const id of ids) {
    if (await deps.effects.resendEmail(id)) resent += 1;
  }
  const gone = ids.length - resent;
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'resend_email', targetAccountId: ticket.account_id, detail: { ticket_id: ticket.id, resent, gone } });
  return ok({ ticket: closed.ticket, resent, gone });
}
