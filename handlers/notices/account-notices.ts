// The account's owner hears about a lock the moment it happens (at most a few times a day)
// and about its end. When a lock ends, an unlock request still waiting for it has nothing
// left to decide: keydesk resolves it and says so on its card.
import type { webApi } from '@slack/bolt';
import { SYSTEM_ACTOR } from '../../src/core/deps.js';
import type { NotifyEvent, UnlockHow } from '../../src/core/effects.js';
import { findAccountById } from '../../src/core/identity.js';
import { findOpenTicket, resolveTicket } from '../../src/core/tickets.js';
import type { AccountRow } from '../../src/store/schema.js';
import { lockNoticeMessage, unlockNoticeMessage } from '../blocks/lock-notice.js';
import type { HandlerContext } from '../context.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import type { LockDmCap } from './lock-dm-cap.js';
import { sendDm, slackTimeZone } from './slack-dm.js';

type Locked = Extract<NotifyEvent, { kind: 'account_locked' }>;
type Unlocked = Extract<NotifyEvent, { kind: 'account_unlocked' }>;
export type NoticeOutcome = 'sent' | 'no_slack_user' | 'capped' | 'stale' | 'undeliverable' | 'gone' | 'told';

export interface AccountNoticesDeps {
  ctx: HandlerContext;
  client: webApi.WebClient;
  cap: LockDmCap;
}

const RESOLVED_NOTE: Record<UnlockHow, string> = {
  expired: 'The lock ended by itself: nothing left to decide.',
  unlock: 'An admin unlocked the account: nothing left to decide.',
  password_reset: 'A password reset unlocked the account: nothing left to decide.',
};

const localeOf = (account: AccountRow) => account.locale;

export async function noticeAccountLocked({ ctx, client, cap }: AccountNoticesDeps, event: Locked): Promise<NoticeOutcome> {
  // A notice that arrives after the lock ended would only confuse (its end is told anyway).
  if (ctx.deps.clock.now() >= event.lockedUntil) return 'stale';
  const account = await findAccountById(ctx.deps.db, event.accountId);
  if (!account) return 'gone';
  if (!account.slack_user_id) return 'no_slack_user';
  if (!(await cap.take(account.id, event.lockedUntil, event.lockedAt))) return 'capped';
  const profile = await slackTimeZone(client, account.slack_user_id);
  if (!profile) return 'undeliverable';
  const message = lockNoticeMessage({ ...event, tz: profile.tz, locale: localeOf(account) });
  return (await sendDm(client, account.slack_user_id, message)) ? 'sent' : 'undeliverable';
}

export async function noticeAccountUnlocked({ ctx, client }: AccountNoticesDeps, event: Unlocked): Promise<NoticeOutcome> {
  const account = await findAccountById(ctx.deps.db, event.accountId);
  if (!account) return 'gone';
  await resolveWaitingUnlock(ctx, client, account.id, event);
  if (!account.slack_user_id) return 'no_slack_user';
  if (event.how === 'unlock' && (await unlockApprovedJustNow(ctx, account.id, event.at))) return 'told';
  const profile = await slackTimeZone(client, account.slack_user_id);
  if (!profile) return 'undeliverable';
  const message = unlockNoticeMessage({ how: event.how, at: event.at, tz: profile.tz, locale: localeOf(account) });
  return (await sendDm(client, account.slack_user_id, message)) ? 'sent' : 'undeliverable';
}

/**
 * Resolves the open unlock request the ended lock made pointless. Only one opened before
 * the lock ended: a request made since (or in that same millisecond) is about a newer lock. Idempotent on retry (a
 * resolved ticket is no longer open).
 */
async function resolveWaitingUnlock(ctx: HandlerContext, client: webApi.WebClient, accountId: string, event: Unlocked): Promise<void> {
  const ticket = await findOpenTicket(ctx.deps, 'unlock', accountId);
  if (!ticket || ticket.created_at >= event.at) return;
  const resolved = await resolveTicket(ctx.deps, SYSTEM_ACTOR, ticket.id);
  if (!resolved.ok) return; // an admin decided it meanwhile: their card update tells it
  await updateTicketCard(ctx, client, ticket.id, 'resolved', { note: RESOLVED_NOTE[event.how] });
}

/**
 * An admin's Approve on the owner's unlock request ended this lock: the decision's own DM
 * ("approved … your account is unlocked") already told them, so a second DM would only
 * repeat it. The approval and the unlock it causes happen within moments of each other.
 */
async function unlockApprovedJustNow(ctx: HandlerContext, accountId: string, at: number): Promise<boolean> {
  const approved = await ctx.deps.db
    .selectFrom('tickets')
    .select('id')
    .where('kind', '=', 'unlock')
    .where('account_id', '=', accountId)
    .where('status', '=', 'approved')
    .where('updated_at', '>=', at - 60_000)
    .executeTakeFirst();
  return approved !== undefined;
}
