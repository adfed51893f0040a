// Who is asking in Slack: the account linked to the Slack user id, else the one whose
// email Slack reports for that user in users.info (then linked, audited). Slack roles
// grant nothing: only keydesk's own role on the account counts.
import type { webApi } from '@slack/bolt';
import { linkSlackUser } from '../core/accounts.js';
import type { Actor, CoreDeps } from '../core/deps.js';
import { findAccountById, findAccountBySlackId, normalizeEmail } from '../core/identity.js';
import type { AccountRow } from '../store/schema.js';
import { actorFromAccount } from '../core/authority.js';

export interface SlackUserProfile {
  email: string | null;
  tz: string;
  name: string;
}

export type SlackIdentity =
  | { account: AccountRow; actor: Actor; profile: SlackUserProfile | null }
  | { account: null; profile: SlackUserProfile | null };

export async function fetchSlackProfile(client: webApi.WebClient, slackUserId: string): Promise<SlackUserProfile | null> {
  try {
    const res = await client.users.info({ user: slackUserId });
    const user = res.user;
    if (!user || user.deleted) return null;
    return {
      email: user.profile?.email ? normalizeEmail(user.profile.email) : null,
      tz: user.tz ?? 'UTC',
      name: user.real_name ?? user.name ?? slackUserId,
    };
  } catch {
    return null;
  }
}

export async function resolveSlackUser(deps: CoreDeps, client: webApi.WebClient, slackUserId: string): Promise<SlackIdentity> {
  const linked = await findAccountBySlackId(deps.db, slackUserId);
  // The profile gives the time zone for messages; a linked account needs no email match.
  const profile = await fetchSlackProfile(client, slackUserId);
  if (linked) return { account: linked, actor: actorFromAccount(linked), profile };
  if (!profile?.email) return { account: null, profile };

  const byEmail = await deps.db.selectFrom('accounts').selectAll().where('email', '=', profile.email).executeTakeFirst();
  if (!byEmail || byEmail.slack_user_id !== null) return { account: null, profile };
  const actor: Actor = { id: `slack:${slackUserId}`, kind: 'system' };
  const linkedNow = await linkSlackUser(deps, actor, byEmail.id, slackUserId, 'verified_email');
  if (!linkedNow.ok) return { account: null, profile };
  const account = (await findAccountById(deps.db, byEmail.id))!;
  return { account, actor: actorFromAccount(account), profile };
}
