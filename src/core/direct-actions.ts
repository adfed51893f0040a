// The helpdesk channel is the whole history: what an admin (or the CLI) does at once, and
// what /password sends without anyone's decision, becomes a ticket too — opened already
// resolved, naming who did what to whom — and its card is posted like any other (through
// the notify queue, so the CLI's actions reach the channel when Slack is on). Approved
// requests are not recorded again here: their own ticket already tells it.
import { randomUUID } from 'node:crypto';
import type { TicketRow } from '../store/schema.js';
import { findAccountById } from '../store/accounts.js';
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import type { TicketKind } from './types.js';

export const DIRECT_ACTIONS = [
  'unlock',
  'reset_password',
  'clear_mfa',
  'issue_access_key',
  'rotate_access_key',
  'revoke_access_key',
  'disable',
  'enable',
  'change_email',
  'verify_identity',
  'change_link_sent',
  'reset_link_sent',
] as const;
export type DirectAction = (typeof DIRECT_ACTIONS)[number];

/** The kind a recorded action files under: the request it stands for, else `direct_action`. */
const KIND_OF: Record<DirectAction, TicketKind> = {
  unlock: 'unlock',
  reset_password: 'password_reset',
  clear_mfa: 'mfa_reset',
  issue_access_key: 'access_key',
  rotate_access_key: 'access_key',
  revoke_access_key: 'access_key',
  disable: 'direct_action',
  enable: 'direct_action',
  change_email: 'direct_action',
  verify_identity: 'manual_verification',
  change_link_sent: 'password_reset',
  reset_link_sent: 'password_reset',
};

export interface DirectActionInput {
  action: DirectAction;
  accountId: string;
  /** The Slack user who asked (for /password: the account's owner), when there is one. */
  requesterSlackId?: string | null;
  /** Non-secret facts for the card (a disable reason, a masked address). */
  facts?: Record<string, string>;
}

async function actorName(deps: CoreDeps, actor: Actor): Promise<string> {
  if (actor.kind === 'account') return (await findAccountById(deps.db, actor.id))?.display_name ?? actor.id;
  if (actor.kind === 'cli') return 'keydesk CLI';
  return 'keydesk';
}

/** Files a resolved ticket for an action already taken, and asks for its card. */
export async function recordDirectAction(deps: CoreDeps, actor: Actor, input: DirectActionInput): Promise<TicketRow> {
  const now = deps.clock.now();
  const ticket: TicketRow = {
    id: randomUUID(),
    kind: KIND_OF[input.action],
    status: 'resolved',
    account_id: input.accountId,
    requester_slack_id: input.requesterSlackId ?? null,
    channel: null,
    message_ts: null,
    data: JSON.stringify({ ...input.facts, action: input.action, resolved_by: actor.id, resolved_by_name: await actorName(deps, actor), resolved_at: now }),
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('tickets').values(ticket).execute();
  await writeAudit(deps.db, now, { actor, action: 'record_ticket', targetAccountId: input.accountId, detail: { ticket_id: ticket.id, kind: ticket.kind, done: input.action } });
  await deps.effects.notify({ kind: 'ticket_opened', ticketId: ticket.id });
  return ticket;
}
