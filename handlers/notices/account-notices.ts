// The account's owner hears about a lock the moment it happens (at most a few times a day)
// and about its end. Times go out as Slack date tokens (blocks/format-time.ts slackTime),
// shown in each reader's own zone, so no notice looks up the user first: a DM to someone
// who left fails as undeliverable on its own (user_disabled). When a lock ends, an unlock
// request still waiting for it has nothing left to decide: keydesk resolves it and says so
// on its card. A disable or an enable is told too (the reason in words, in the owner's
// language).
import type { webApi } from '@slack/bolt';
import type { NoticeOutcome } from '../../jobs/notify.worker.js';
import { resolveWaitingUnlock } from '../../src/core/approvals/decide.js';
import type { NotifyEvent } from '../../src/core/effects.js';
import { getAccount } from '../../src/core/identity.js';
import { lockNoticeMessage, unlockNoticeMessage } from '../blocks/lock-notice.js';
import { keyRevokedNoticeMessage } from '../blocks/access-keys.js';
import { disabledNoticeMessage, enabledNoticeMessage } from '../blocks/status-notice.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import type { LockDmCap } from './lock-dm-cap.js';
import { sendDm } from '../reply.js';

type Locked = Extract<NotifyEvent, { kind: 'account_locked' }>;
type Unlocked = Extract<NotifyEvent, { kind: 'account_unlocked' }>;
type Disabled = Extract<NotifyEvent, { kind: 'account_disabled' }>;
type Enabled = Extract<NotifyEvent, { kind: 'account_enabled' }>;
type KeyRevoked = Extract<NotifyEvent, { kind: 'access_key_revoked' }>;

export interface AccountNoticesDeps {
  ctx: HandlerContext;
  client: webApi.WebClient;
  cap: LockDmCap;
}


export async function noticeAccountLocked({ ctx, client, cap }: AccountNoticesDeps, event: Locked): Promise<NoticeOutcome> {
  // A notice that arrives after the lock ended would only confuse (its end is told anyway).
  if (ctx.deps.clock.now() >= event.lockedUntil) return 'stale';
  const account = await getAccount(ctx.deps, event.accountId);
  if (!account) return 'gone';
  if (!account.slack_user_id) return 'no_slack_user';
  if (!(await cap.take(account.id, event.lockedUntil, event.lockedAt))) return 'capped';
  const message = lockNoticeMessage({ ...event, locale: account.locale });
  return (await sendDm(client, account.slack_user_id, message)) !== null ? 'sent' : 'undeliverable';
}

export async function noticeAccountUnlocked({ ctx, client }: AccountNoticesDeps, event: Unlocked): Promise<NoticeOutcome> {
  const account = await getAccount(ctx.deps, event.accountId);
  if (!account) return 'gone';
  await resolveWaitingUnlock(ctx.deps, helpdeskEffects(ctx, client), account.id, event);
  if (!account.slack_user_id) return 'no_slack_user';
  // The approval that ended this lock said so in its decision's DM: a second would repeat it.
  if (event.approvalId !== undefined) return 'told';
  const message = unlockNoticeMessage({ how: event.how, at: event.at, locale: account.locale });
  return (await sendDm(client, account.slack_user_id, message)) !== null ? 'sent' : 'undeliverable';
}

/** "Your account was disabled …" (the reason's words; never the admin's note). */
export async function noticeAccountDisabled({ ctx, client }: AccountNoticesDeps, event: Disabled): Promise<NoticeOutcome> {
  const account = await getAccount(ctx.deps, event.accountId);
  if (!account) return 'gone';
  // Enabled again before this ran: the enable notice says what holds now.
  if (account.status !== 'disabled') return 'stale';
  if (!account.slack_user_id) return 'no_slack_user';
  const message = disabledNoticeMessage({ reason: event.reason, locale: account.locale });
  return (await sendDm(client, account.slack_user_id, message)) !== null ? 'sent' : 'undeliverable';
}

/** "Your account was enabled again …": sign in, or ask for a new activation link. */
export async function noticeAccountEnabled({ ctx, client }: AccountNoticesDeps, event: Enabled): Promise<NoticeOutcome> {
  const account = await getAccount(ctx.deps, event.accountId);
  if (!account) return 'gone';
  if (account.status === 'disabled') return 'stale';
  if (!account.slack_user_id) return 'no_slack_user';
  const message = enabledNoticeMessage({ status: event.status, at: event.at, locale: account.locale });
  return (await sendDm(client, account.slack_user_id, message)) !== null ? 'sent' : 'undeliverable';
}

/** "Your access key … was revoked as leaked …": the public id only, never a secret. */
export async function noticeAccessKeyRevoked({ ctx, client }: AccountNoticesDeps, event: KeyRevoked): Promise<NoticeOutcome> {
  const account = await getAccount(ctx.deps, event.accountId);
  if (!account) return 'gone';
  if (!account.slack_user_id) return 'no_slack_user';
  const message = keyRevokedNoticeMessage({ keyId: event.keyId, locale: account.locale });
  return (await sendDm(client, account.slack_user_id, message)) !== null ? 'sent' : 'undeliverable';
}
