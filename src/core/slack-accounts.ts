// The accounts behind Slack users: the one linked to a Slack user id, and the unlinked one
// whose email Slack vouches for (src/slack/identity.ts decides whether it does; this only
// looks up and links). Naming someone in a command looks up; only the person asking is linked.
import type { AccountRow } from '../store/schema.js';
import { linkSlackUser } from './accounts.js';
import type { Actor, CoreDeps } from './deps.js';
import { findAccountByEmail, findAccountById, findAccountBySlackId } from '../store/accounts.js';

/** The account linked to this Slack user, if any. */
export async function linkedAccount(deps: CoreDeps, slackUserId: string): Promise<AccountRow | undefined> {
  return findAccountBySlackId(deps.db, slackUserId);
}

/** The account with the email Slack vouches for, when no Slack user is linked to it yet (never links). */
export async function accountByVouchedEmail(deps: CoreDeps, vouchedEmail: string): Promise<AccountRow | null> {
  const byEmail = await findAccountByEmail(deps.db, vouchedEmail);
  return byEmail && byEmail.slack_user_id === null ? byEmail : null;
}

/** Links the Slack user to the unlinked account with the email Slack vouches for (audited); null when there is none. */
export async function linkByVouchedEmail(deps: CoreDeps, slackUserId: string, vouchedEmail: string): Promise<AccountRow | null> {
  const byEmail = await accountByVouchedEmail(deps, vouchedEmail);
  if (!byEmail) return null;
  const actor: Actor = { id: `slack:${slackUserId}`, kind: 'system' };
  const linked = await linkSlackUser(deps, actor, byEmail.id, slackUserId, 'verified_email');
  if (!linked.ok) return null;
  return (await findAccountById(deps.db, byEmail.id))!;
}
