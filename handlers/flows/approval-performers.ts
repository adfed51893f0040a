// What an approved request does, by kind of ticket. Only the one click that won the
// decision runs it (decideApproval's compare-and-swap), as the deciding admin, so the
// core checks that admin's authority again and audits the action under their name.
// The self-service kinds (mfa_reset, access_key) are carried out by their own flow.
import type { webApi } from '@slack/bolt';
import { unlockAccount } from '../../src/core/lockout.js';
import type { TicketKind } from '../../src/core/types.js';
import type { TicketRow } from '../../src/store/schema.js';
import type { HandlerContext } from '../context.js';
import type { Asker } from '../who.js';
import { performApproved } from './approval-actions.js';

export interface ApprovedRequest {
  ticket: TicketRow;
  /** The admin whose click won. */
  decider: Asker;
}

/** The outcome: a line for the ticket's thread, and whether the action failed. */
export interface PerformedAction {
  ok: boolean;
  note: string;
}

export type ApprovalPerformer = (ctx: HandlerContext, client: webApi.WebClient, request: ApprovedRequest) => Promise<PerformedAction>;

const performUnlock: ApprovalPerformer = async (ctx, _client, { ticket, decider }) => {
  if (!ticket.account_id) return { ok: false, note: 'The ticket names no account.' };
  const out = await unlockAccount(ctx.deps, decider.actor, ticket.account_id);
  if (!out.ok) return { ok: false, note: out.message('en') };
  return { ok: true, note: out.wasLocked ? 'Account unlocked.' : 'The lock had already ended.' };
};

const performSelfService: ApprovalPerformer = async (ctx, client, { ticket, decider }) => {
  const out = await performApproved(ctx, client, ticket, decider.actor);
  return { ok: out.ok, note: out.note ?? '' };
};

export const APPROVAL_PERFORMERS: Partial<Record<TicketKind, ApprovalPerformer>> = {
  unlock: performUnlock,
  mfa_reset: performSelfService,
  access_key: performSelfService,
};
