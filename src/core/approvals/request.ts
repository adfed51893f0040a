// A user's own request that an admin must approve (`/unlock`, `/mfa-reset`, `/access-key`,
// and the same buttons on the Home tab, in /login-help and on the lock notice): one open
// ticket per kind and account — asking twice shows the first — and its card in the
// helpdesk channel. What can't be approved is refused now rather than left waiting.
import type { Actor, CoreDeps } from '../deps.js';
import type { HelpdeskEffects } from '../effects.js';
import { isLocked } from '../lockout.js';
import { refuse, type Refusal } from '../refusal.js';
import { requestTicket } from '../tickets.js';
import type { AccountRow, TicketRow } from '../../store/schema.js';

export type ApprovalKind = 'unlock' | 'mfa_reset' | 'access_key' | 'manual_verification';

export type ApprovalRequest =
  /** An unlock asked for an account that isn't locked: nothing is opened. */
  | { status: 'not_locked' }
  | { status: 'refused'; refusal: Refusal }
  | { status: 'requested'; ticket: TicketRow; created: boolean };

export async function requestApproval(
  deps: CoreDeps,
  helpdesk: HelpdeskEffects,
  asker: { account: AccountRow; actor: Actor },
  kind: ApprovalKind,
  requesterSlackId: string,
): Promise<ApprovalRequest> {
  const { account, actor } = asker;
  if (kind === 'unlock' && !isLocked(account, deps.clock.now())) return { status: 'not_locked' };
  // No admin may approve it (tickets.ts refuses), so say so now.
  if (kind === 'mfa_reset' && account.role === 'primary_admin') return { status: 'refused', refusal: refuse('primary_admin_protected') };
  const { ticket, created } = await requestTicket(deps, actor, { kind, accountId: account.id, requesterSlackId });
  if (created) await helpdesk.postCard(ticket);
  return { status: 'requested', ticket, created };
}
