// Lock notices end to end: wrong passwords at the auth API lock the account, the notify
// job DMs its owner in their own time zone (at most 4 a day), and the lock's end — by an
// admin or by the lock-expiry job — is told too, resolving a waiting unlock request.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lockExpiryJobId } from '../../jobs/queues.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { getTicket, requestTicket } from '../../src/core/tickets.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/redis.js';
import { postTicketCard } from '../../handlers/helpdesk-channel.js';
import { ACTIONS } from '../../handlers/ids.js';
import { postJson, seedActiveAccount, type SeededAccount } from '../support/app.js';
import { completedNotices, notifyIdle } from '../support/notify.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { findButton, sentAnywhere, textOf } from '../support/slack-find.js';
import { renderMrkdwn } from '../../src/sandbox/console/render-mrkdwn.js';

const WRONG = 'orchid paddle lantern 77';
const MINUTE = 60_000;
/** Where the failed logins come from (one proxy trusted). */
const FROM = '203.0.113.9';

describe('lock notices', () => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  const ALICE = 'U400ALICE';

  const dms = () => t.slack.messages(t.slack.dmChannelFor(ALICE));
  const lockDms = () => dms().filter((m) => findButton(m.blocks, ACTIONS.reportLock));
  const unlockDms = () => dms().filter((m) => m.text?.startsWith(':unlock:'));
  const failLogins = async (n = 5) => {
    for (let i = 0; i < n; i++) {
      expect((await postJson(`${t.app.url}/api/v1/login`, { login: alice.email, password: WRONG }, { 'x-forwarded-for': FROM })).status).toBe(401);
    }
  };
  const lockedUntil = async () => (await findAccountById(t.deps.db, alice.id))!.locked_until;
  /** A message's first section as a Slack client in `timeZone` shows it (the sandbox's renderer), tags stripped. */
  const shownIn = (blocks: unknown, timeZone: string) =>
    renderMrkdwn((blocks as { text: { text: string } }[])[0]!.text.text, { timeZone, locale: 'en-US', now: () => t.clock.now(), userName: () => undefined, channelName: () => undefined }).replace(/<[^>]+>/g, '');

  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { TRUST_PROXY: '1' });
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'America/New_York' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com' });
    await t.deps.db.updateTable('accounts').set({ slack_user_id: ALICE }).where('id', '=', alice.id).execute();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('DMs the owner once when 5 bad logins lock the account, times shown in their own zone, with both buttons', async () => {
    await failLogins(5);
    await notifyIdle(t.app.queues.notify);
    await failLogins(2); // while locked: no new lock, no new notice
    await notifyIdle(t.app.queues.notify);

    expect(lockDms()).toHaveLength(1);
    const notice = lockDms()[0]!;
    // The clock says 10:00 UTC on 25 Nov: Alice's Slack, in New York, shows 5:00 and 6:00;
    // the notification text says UTC.
    expect(shownIn(notice.blocks, 'America/New_York')).toMatch(/locked after 5 failed attempts today at 5:00\sAM \(last attempt from 203\.0\.113\.9\); it unlocks today at 6:00\sAM\./u);
    expect(notice.text).toMatch(/locked after 5 failed attempts 25 Nov, 10:00 UTC \(last attempt from `203\.0\.113\.9`\); it unlocks 25 Nov, 11:00 UTC\./);
    const buttons = (notice.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual([ACTIONS.requestUnlock, ACTIONS.reportLock]);
    expect(buttons[0]!.value).toBe(String(await lockedUntil()));
    // No users.info to learn her zone: Slack shows the times in it.
    expect(t.slack.callsTo('users.info').some((c) => c.args.user === ALICE)).toBe(false);
    expect(t.slack.callsTo('chat.postMessage').at(-1)?.args.channel).toBe(ALICE);
    expect(t.slack.callsTo('conversations.open')).toHaveLength(0);
  });

  it('tells the owner when an admin unlocks the account', async () => {
    expect((await unlockAccount(t.deps, CLI_ACTOR, alice.id)).ok).toBe(true);
    await notifyIdle(t.app.queues.notify);
    expect(unlockDms()).toHaveLength(1);
    expect(shownIn(unlockDms()[0]!.blocks, 'America/New_York')).toMatch(/An admin unlocked your account today at 5:00\sAM\./u);
  });

  it('sends at most 4 lock notices a day: a 5th lock the same day sends none', async () => {
    for (let lock = 2; lock <= 4; lock++) {
      t.clock.advance(MINUTE);
      await failLogins(5);
      expect((await unlockAccount(t.deps, CLI_ACTOR, alice.id)).ok).toBe(true);
    }
    await notifyIdle(t.app.queues.notify);
    expect(lockDms()).toHaveLength(4);

    t.clock.advance(MINUTE);
    await failLogins(5);
    expect(await lockedUntil()).not.toBeNull();
    await notifyIdle(t.app.queues.notify);
    expect(lockDms()).toHaveLength(4);
    const locks = (await completedNotices(t.app.queues.notify)).filter((n) => n.kind === 'account_locked');
    expect(locks.map((n) => n.outcome)).toEqual(['sent', 'sent', 'sent', 'sent', 'capped']);
  });

  it('when the lock-expiry job ends the lock: an unlock DM, and the waiting unlock request resolved on its card', async () => {
    const ctx = { deps: t.deps, helpdeskChannel: HELPDESK, logger: createLogger('silent') };
    const account = (await findAccountById(t.deps.db, alice.id))!;
    const { ticket } = await requestTicket(t.deps, actorFromAccount(account), { kind: 'unlock', accountId: alice.id, requesterSlackId: ALICE });
    await postTicketCard(ctx, t.app.slack!.app.client, ticket);
    const card = (await getTicket(t.deps, ticket.id))!;
    expect(card.message_ts).toEqual(expect.any(String));
    const before = unlockDms().length;

    const until = (await lockedUntil())!;
    t.clock.set(until);
    await (await t.app.queues.lockExpiry.getJob(lockExpiryJobId(alice.id, until)))!.promote();
    await t.slack.waitForCall('chat.postMessage', (c) => c.response.channel === t.slack.dmChannelFor(ALICE) && String(c.args.text).includes('by itself'));
    await notifyIdle(t.app.queues.notify);

    expect(await lockedUntil()).toBeNull();
    expect(unlockDms()).toHaveLength(before + 1);
    expect(shownIn(unlockDms().at(-1)!.blocks, 'America/New_York')).toMatch(/unlocked by itself today at 6:04\sAM\./u);
    expect((await getTicket(t.deps, ticket.id))!.status).toBe('resolved');
    const redrawn = t.slack.messages(HELPDESK).find((m) => m.ts === card.message_ts)!;
    expect(redrawn.edits).toBe(1);
    expect(textOf(redrawn.blocks)).toMatch(/Resolved by \*keydesk\*/);
    expect(sentAnywhere(redrawn.blocks, ACTIONS.approve)).toBe(false);
    const thread = t.slack.messages(HELPDESK).filter((m) => m.thread_ts === card.message_ts);
    expect(thread.at(-1)!.text).toMatch(/resolved this[\s\S]*The lock ended by itself/);
  });

  it('keeps only ids and times in the notify jobs in Redis: no password, PIN or answer', async () => {
    const redis = connectRedis(inject('redisUrl'));
    try {
      const prefix = `${t.app.queues.notify.opts.prefix ?? ''}:notify:`;
      const keys = await redis.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
      const dumped: string[] = [];
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') dumped.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') dumped.push((await redis.get(key)) ?? '');
        else if (type === 'list') dumped.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      }
      const text = dumped.join('\n');
      expect(text).toContain(alice.id); // the jobs are there, by account id
      for (const secret of [WRONG, alice.password, alice.pin, alice.answer, alice.email]) expect(text).not.toContain(secret);
      const kept = await t.app.queues.notify.getCompleted(0, 1000);
      for (const job of kept) {
        expect(Object.keys(job.data).sort()).toEqual(
          job.data.kind === 'account_locked' ? ['accountId', 'clientAddress', 'failures', 'kind', 'lockedAt', 'lockedUntil']
            : job.data.kind === 'account_unlocked' ? ['accountId', 'at', 'how', 'kind'] : ['kind'],
        );
      }
    } finally {
      redis.disconnect();
    }
  });
});
