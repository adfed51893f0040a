// Who is asking in Slack: the account linked to the Slack user id, else the one whose
// email Slack reports for that user in users.info — then linked, audited — but only when
// Slack vouches for that email: a member of the installed workspace (or its enterprise),
// email confirmed, not a bot, not deactivated, not a guest. Anyone else is linked by an
// admin (`keydesk user link-slack`). Slack roles grant nothing: only keydesk's own role
// on the account counts. A mentioned user is looked up with findMentionedAccount, which
// never links: naming someone in a command must not change their account.
// The same users.info call (include_locale) gives the user's Slack locale: an account whose
// language nobody chose follows it (fr-* → fr, else en), from the link on; a choice sticks.
import type { webApi } from '@slack/bolt';
import { actorFromAccount } from '../core/authority.js';
import type { Actor, CoreDeps } from '../core/deps.js';
import { normalizeEmail } from '../core/identity.js';
import { localeFromSlack } from '../core/locale.js';
import { accountByVouchedEmail, followSlackLocale, linkByVouchedEmail, linkedAccount } from '../core/slack-accounts.js';
import type { Locale } from '../core/types.js';
import type { AccountRow } from '../store/schema.js';
import { isUndeliverable } from './slack-errors.js';
import type { InstalledWorkspace, WorkspaceSource } from './workspace.js';

/** Why Slack's word on a user's email is not enough to link them by it. */
export type NotVouched = 'workspace_unknown' | 'other_workspace' | 'email_unconfirmed' | 'bot' | 'deleted' | 'guest';

export interface SlackUserProfile {
  email: string | null;
  tz: string;
  name: string;
  /** keydesk's language for the user's Slack locale (fr-* → fr, else en); null when Slack gave none. */
  locale: Locale | null;
  /** Null when Slack vouches for `email` (it may then link the account); else why not. */
  notVouched: NotVouched | null;
}

export type SlackIdentity =
  | { account: AccountRow; actor: Actor; profile: SlackUserProfile | null }
  | { account: null; profile: SlackUserProfile | null };

type SlackUser = NonNullable<webApi.UsersInfoResponse['user']>;

/** Whether Slack vouches for this user's email in the installed workspace; null when it does. */
export function whyNotVouched(user: SlackUser, workspace: InstalledWorkspace | null): NotVouched | null {
  if (user.deleted) return 'deleted';
  if (user.is_bot || user.id === 'USLACKBOT') return 'bot';
  if (user.is_restricted || user.is_ultra_restricted) return 'guest';
  if (!workspace) return 'workspace_unknown';
  const enterprise = user.enterprise_user?.enterprise_id ?? user.enterprise_id ?? null;
  const here =
    (user.team_id !== undefined && user.team_id === workspace.teamId) ||
    (workspace.enterpriseId !== null && (enterprise === workspace.enterpriseId || user.team_id === workspace.enterpriseId));
  if (!here) return 'other_workspace';
  if (user.is_email_confirmed !== true || !user.profile?.email) return 'email_unconfirmed';
  return null;
}

export interface ProfileOptions {
  /** Where the installed workspace is read, to say whether Slack vouches for the email. */
  workspace?: WorkspaceSource;
  /**
   * A listener leaves it off: any failure reads as "no profile". A job sets it: only "no
   * such user" (isUndeliverable) is null, and a rate limit or an outage is thrown so that
   * BullMQ retries — a notice in the wrong time zone is worse than a late one.
   */
  throwOnError?: boolean;
}

/** The user's profile from users.info, or null when there is none (see ProfileOptions). */
export async function fetchSlackProfile(
  client: webApi.WebClient,
  slackUserId: string,
  { workspace, throwOnError = false }: ProfileOptions = {},
): Promise<SlackUserProfile | null> {
  let user: SlackUser | undefined;
  try {
    user = (await client.users.info({ user: slackUserId, include_locale: true })).user;
  } catch (err) {
    if (throwOnError && !isUndeliverable(err)) throw err;
    return null;
  }
  if (!user) return null;
  return {
    email: user.profile?.email ? normalizeEmail(user.profile.email) : null,
    tz: user.tz ?? 'UTC',
    name: user.real_name ?? user.name ?? slackUserId,
    locale: localeFromSlack(user.locale),
    notVouched: whyNotVouched(user, (await workspace?.get()) ?? null),
  };
}

/** The email Slack vouches for, or null. */
const vouchedEmail = (profile: SlackUserProfile | null): string | null => (profile?.email && profile.notVouched === null ? profile.email : null);

/** The person asking: their linked account, else the one Slack vouches for by email, linked now. */
export async function resolveSlackUser(
  deps: CoreDeps,
  client: webApi.WebClient,
  slackUserId: string,
  workspace?: WorkspaceSource,
): Promise<SlackIdentity> {
  const linked = await linkedAccount(deps, slackUserId);
  // The profile gives the time zone for messages; a linked account needs no email match.
  const profile = await fetchSlackProfile(client, slackUserId, { workspace });
  if (linked) {
    // Linked by an admin (CLI), Slack's locale is first known here; a choice is never overwritten.
    const account = await followSlackLocale(deps, linked, profile?.locale ?? null);
    return { account, actor: actorFromAccount(account), profile };
  }

  const email = vouchedEmail(profile);
  const account = email ? await linkByVouchedEmail(deps, slackUserId, email, profile?.locale ?? null) : null;
  return account ? { account, actor: actorFromAccount(account), profile } : { account: null, profile };
}

/**
 * The account of someone *mentioned* in a command (`/unlock @x`, `/helpdesk user @x`):
 * linked to that Slack user, else the one Slack vouches for by email. Never links.
 */
export async function findMentionedAccount(
  deps: CoreDeps,
  client: webApi.WebClient,
  slackUserId: string,
  workspace?: WorkspaceSource,
): Promise<AccountRow | null> {
  const linked = await linkedAccount(deps, slackUserId);
  if (linked) return linked;
  const email = vouchedEmail(await fetchSlackProfile(client, slackUserId, { workspace }));
  return email ? accountByVouchedEmail(deps, email) : null;
}
