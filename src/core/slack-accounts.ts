// The accounts behind Slack users: the one linked to a Slack user id, and the unlinked one
// whose email Slack vouches for (src/slack/identity.ts decides whether it does; this only
// looks up and links). Naming someone in a command looks up; only the person asking is linked.
// A linked account whose language nobody chose follows the Slack user's locale.
import type { AccountRow } from '../store/schema.js';
import { linkSlackUser } from './accounts.js';
import { setLocale } from './locale.js';
import type { Locale } from './types.js';
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

/**
 * Links the Slack user to the unlinked account with the email Slack vouches for (audited),
 * its language following `slackLocale` unless one was chosen; null when there is none.
 */
export async function linkByVouchedEmail(deps: CoreDeps, slackUserId: string, vouchedEmail: string, slackLocale: Locale | null = null): Promise<AccountRow | null> {
  const found = await findAccountByEmail(deps.db, vouchedEmail);
  // Linked to this very person a moment ago (their other request, racing this one): theirs.
  if (found?.slack_user_id === slackUserId) return followSlackLocale(deps, found, slackLocale);
  const byEmail = found && found.slack_user_id === null ? found : null;
  if (!byEmail) return null;
  const linked = await linkSlackUser(deps, slackActor(slackUserId), byEmail.id, slackUserId, 'verified_email');
  if (!linked.ok) return null;
  return followSlackLocale(deps, (await findAccountById(deps.db, byEmail.id))!, slackLocale);
}

const slackActor = (slackUserId: string): Actor => ({ id: `slack:${slackUserId}`, kind: 'system' });

/**
 * The account, its language set to the Slack user's (audited `set_locale`) when nobody chose
 * one and it differs; unchanged otherwise (no write when there is nothing to change).
 */
export async function followSlackLocale(deps: CoreDeps, account: AccountRow, slackLocale: Locale | null): Promise<AccountRow> {
  if (slackLocale === null || account.locale_chosen === 1 || account.locale === slackLocale || account.slack_user_id === null) return account;
  const set = await setLocale(deps, slackActor(account.slack_user_id), account.id, slackLocale, { chosen: false });
  if (!set.ok || !set.changed) return (await findAccountById(deps.db, account.id)) ?? account;
  return { ...account, locale: slackLocale };
}
