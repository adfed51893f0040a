// The notify queue and worker: what the core's notify effect queues, how the worker treats
// a bad payload and a failure, and the Slack side against the emulator — a rate-limited
// DM is retried (and counted once against the daily cap), a user with no Slack id or who
// left Slack gets nothing.
import { randomBytes } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createBullEffects } from '../../jobs/effects.js';
import { notifyProcessor, type NotifyPort } from '../../jobs/notify.worker.js';
import { createQueues, NOTICE_BATCH_MAX, type NotifyJobData, type Queues } from '../../jobs/queues.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { expireLock, unlockAccount } from '../../src/core/lockout.js';
import { login } from '../../src/core/login.js';
import { decideApproval, requestTicket } from '../../src/core/tickets.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { createNoticesClient, createSlackNotices } from '../../handlers/notices/slack-notices.js';
import { TEST_SECRETS_KEY } from '../support/config.js';
import { accountRow, actorOf, seedPerson, startCore, type CoreHarness } from '../support/core.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';

const silent = createLogger('silent');
const HOUR = 3_600_000;

describe('notify worker', () => {
  const fakePort = (overrides: Partial<NotifyPort> = {}): NotifyPort => ({
    accountLocked: () => Promise.resolve('sent'),
    accountUnlocked: () => Promise.resolve('sent'),
    accountDisabled: () => Promise.resolve('sent'),
    accountEnabled: () => Promise.resolve('sent'),
    accessKeyRevoked: () => Promise.resolve('sent'),
    expireApprovals: () => Promise.resolve(0),
    ticketOpened: () => Promise.resolve('sent'),
    ...overrides,
  });
  const run = (port: NotifyPort, data: unknown) => notifyProcessor(port, silent)({ id: '1', data: data as NotifyJobData, updateData: () => Promise.resolve() });

  it('ends a job whose payload does not parse, or carries anything besides ids and facts', async () => {
    await expect(run(fakePort(), { kind: 'account_locked', accountId: 'a' })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(fakePort(), { kind: 'send_password', accountId: 'a' })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(fakePort(), { kind: 'account_unlocked', accountId: 'a', how: 'unlock', at: 1, password: 'x' })).rejects.toThrow(/payload is invalid/);
  });

  it('dispatches by kind and rethrows what the port throws, for BullMQ to retry', async () => {
    const seen: string[] = [];
    const port = fakePort({
      accountLocked: (e) => (seen.push(`locked ${e.accountId} ${e.failures}`), Promise.resolve('capped')),
      accountUnlocked: (e) => (seen.push(`unlocked ${e.how}`), Promise.resolve('no_slack_user')),
      expireApprovals: () => Promise.resolve(3),
    });
    expect(await run(port, { kind: 'account_locked', accountId: 'a', lockedAt: 1, lockedUntil: 2, failures: 5 })).toBe('capped');
    expect(await run(port, { kind: 'account_unlocked', accountId: 'a', how: 'expired', at: 3 })).toBe('no_slack_user');
    expect(await run(port, { kind: 'expire_approvals' })).toBe('expired 3');
    expect(seen).toEqual(['locked a 5', 'unlocked expired']);
    // A leaked key's notice carries its public id only: anything else, or a whole key, ends the job.
    const keyId = 'ab'.repeat(12);
    const told = fakePort({ accessKeyRevoked: (e) => (seen.push(`key ${e.keyId} ${e.leaked}`), Promise.resolve('sent')) });
    expect(await run(told, { kind: 'access_key_revoked', accountId: 'a', keyId, leaked: true, at: 4 })).toBe('sent');
    expect(seen.at(-1)).toBe(`key ${keyId} true`);
    await expect(run(told, { kind: 'access_key_revoked', accountId: 'a', keyId: `kd_${keyId}_${'x'.repeat(43)}`, leaked: true, at: 4 })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(told, { kind: 'access_key_revoked', accountId: 'a', keyId, leaked: true, at: 4, secret: 'x' })).rejects.toBeInstanceOf(UnrecoverableError);

    const limited = Object.assign(new Error('A rate limit was exceeded'), { code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    const failing = fakePort({ accountUnlocked: () => Promise.reject(limited) });
    const err = await run(failing, { kind: 'account_unlocked', accountId: 'a', how: 'unlock', at: 3 }).catch((e: unknown) => e);
    expect(err).toBe(limited);
    expect(err).not.toBeInstanceOf(UnrecoverableError);
  });

  it('tells a batch in order, keeping the count told after each, so a retry starts at the first not yet told', async () => {
    const told: string[] = [];
    let failOn: string | null = 'b';
    const port = fakePort({
      accountUnlocked: (e) => {
        if (e.accountId === failOn) return Promise.reject(new Error('slack is down'));
        told.push(e.accountId);
        return Promise.resolve('sent');
      },
    });
    const notices = ['a', 'b', 'c'].map((accountId) => ({ kind: 'account_unlocked', accountId, how: 'expired', at: 1 }));
    const job = { id: '7', data: { kind: 'batch', notices } as NotifyJobData, updateData: (d: NotifyJobData) => ((job.data = d), Promise.resolve()) };
    const processor = notifyProcessor(port, silent);
    await expect(processor(job)).rejects.toThrow('slack is down');
    expect(job.data).toMatchObject({ done: 1 });
    failOn = null;
    expect(await processor(job)).toBe('told 2');
    expect(told).toEqual(['a', 'b', 'c']);
    // A batch holds notices only, up to NOTICE_BATCH_MAX, and no batch inside it.
    const many = Array.from({ length: NOTICE_BATCH_MAX + 1 }, () => notices[0]);
    await expect(run(port, { kind: 'batch', notices: many })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(port, { kind: 'batch', notices: [{ kind: 'batch', notices }] })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(port, { kind: 'batch', notices: [{ kind: 'expire_approvals' }] })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(port, { kind: 'batch', notices: [] })).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe('the notify effect', () => {
  let redis: Redis;
  let queues: Queues;
  const prefix = `{kdtest-${randomBytes(4).toString('hex')}}`;
  const box = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));

  beforeAll(async () => {
    redis = connectRedis(inject('redisUrl'));
    queues = createQueues({ connection: redis, prefix });
    await queues.notify.waitUntilReady();
  });
  afterAll(async () => {
    await queues.close();
    await redis.quit();
    await deleteKeysWithPrefix(inject('redisUrl'), prefix);
  });

  it('queues the event as it is, with retries; with Slack off it queues nothing', async () => {
    const event = { kind: 'account_locked', accountId: 'acc-1', lockedAt: 10, lockedUntil: 20, failures: 5 } as const;
    await createBullEffects(queues, box).notify(event);
    const [job] = await queues.notify.getWaiting();
    expect(job!.name).toBe('account_locked');
    expect(job!.data).toEqual(event);
    expect(job!.opts.attempts).toBe(8);

    await createBullEffects(queues, box, { notify: false }).notify({ kind: 'account_unlocked', accountId: 'acc-1', how: 'unlock', at: 30 });
    expect(await queues.notify.getWaitingCount()).toBe(1);
  });

  it('queues many events given together as batch jobs of at most NOTICE_BATCH_MAX, in order', async () => {
    await queues.notify.drain();
    const events = Array.from({ length: NOTICE_BATCH_MAX * 2 + 3 }, (_, i) => ({ kind: 'account_unlocked', accountId: `acc-${i}`, how: 'expired', at: 5 }) as const);
    await createBullEffects(queues, box).notify(...events);
    const jobs = (await queues.notify.getWaiting()).sort((a, b) => Number(a.id) - Number(b.id));
    expect(jobs.map((j) => [j.name, j.data.kind === 'batch' ? j.data.notices.length : 0])).toEqual([
      ['batch', NOTICE_BATCH_MAX],
      ['batch', NOTICE_BATCH_MAX],
      ['batch', 3],
    ]);
    expect(jobs.flatMap((j) => (j.data.kind === 'batch' ? j.data.notices : []))).toEqual(events);
    expect(jobs[0]!.opts.attempts).toBe(8);
  });
});

// The lock-DM cap is a Lua script on one key: it runs on a Cluster too.
describe.each(REDIS_KINDS)('Slack notices on %s Redis', (kind) => {
  const redisUrl = useRedis(kind);
  let h: CoreHarness;
  let slack: SlackEmulator;
  let redis: Redis;
  let notices: NotifyPort;
  const prefix = `{kdtest-${randomBytes(4).toString('hex')}}`;
  const DANA = 'U600DANA';

  beforeAll(async () => {
    h = await startCore('sqlite');
    slack = await startSlackEmulator();
    redis = connectRedis(redisUrl());
    notices = createSlackNotices({
      ctx: { deps: h.deps, helpdeskChannel: 'C0HELPDESK', logger: silent },
      client: createNoticesClient({ botToken: slack.botToken, apiUrl: slack.url }, silent),
      redis,
      namespace: prefix,
      approvalTtlMs: 24 * HOUR,
    });
  });
  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(redisUrl(), prefix);
    await slack.close();
    await h.stop();
  });
  beforeEach(() => slack.clear());

  /** A lock's notice, with the account locked by it as a real lock leaves it. */
  const lockOf = async (accountId: string, minute: number) => {
    const lockedAt = h.clock.now() + minute * 60_000;
    return holding({ kind: 'account_locked', accountId, lockedAt, lockedUntil: lockedAt + HOUR, failures: 5 } as const);
  };
  const holding = async <E extends { accountId: string; lockedUntil: number }>(event: E): Promise<E> => {
    await h.deps.db.updateTable('accounts').set({ locked_until: event.lockedUntil }).where('id', '=', event.accountId).execute();
    return event;
  };

  it('throws on a rate-limited DM so the job retries, and the retry sends it once, counted once', async () => {
    const dana = await seedPerson(h);
    await h.deps.db.updateTable('accounts').set({ slack_user_id: DANA }).where('id', '=', dana.id).execute();
    slack.addUser({ id: DANA, name: 'dana', tz: 'Asia/Kolkata' });

    const first = await lockOf(dana.id, 0);
    slack.failNext('chat.postMessage', 'ratelimited', { retryAfter: 1 });
    await expect(notices.accountLocked(first)).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(await notices.accountLocked(first)).toBe('sent');
    const dm = slack.messages(slack.dmChannelFor(DANA));
    expect(dm).toHaveLength(1);
    // 10:00 UTC in the notification text; Dana's Slack shows the token in Kolkata time.
    expect(dm[0]!.text).toMatch(/attempts 25 Nov, 10:00 UTC \(last attempt from an unknown address\); it unlocks 25 Nov, 11:00 UTC\./);

    // The retried lock counted once: three more locks that day are told, a fifth is not.
    for (const minute of [1, 2, 3]) expect(await notices.accountLocked(await lockOf(dana.id, minute))).toBe('sent');
    expect(await notices.accountLocked(await lockOf(dana.id, 4))).toBe('capped');
    expect(await notices.accountLocked(await holding(first))).toBe('sent'); // a retry of a counted lock still goes
    // The next day starts afresh.
    expect(await notices.accountLocked(await lockOf(dana.id, 24 * 60))).toBe('sent');
  });

  it('does nothing for an account with no Slack id, and gives up on a user who left Slack', async () => {
    const erin = await seedPerson(h);
    expect(await notices.accountLocked(await lockOf(erin.id, 0))).toBe('no_slack_user');
    expect(await notices.accountUnlocked({ kind: 'account_unlocked', accountId: erin.id, how: 'expired', at: h.clock.now() })).toBe('no_slack_user');
    expect(slack.calls).toHaveLength(0);

    slack.addUser({ id: 'U600GONE', name: 'gone', deleted: true });
    await h.deps.db.updateTable('accounts').set({ slack_user_id: 'U600GONE' }).where('id', '=', erin.id).execute();
    // Slack refuses the DM (user_disabled): nothing to retry, nothing posted.
    expect(await notices.accountUnlocked({ kind: 'account_unlocked', accountId: erin.id, how: 'unlock', at: h.clock.now() })).toBe('undeliverable');
    expect(slack.callsTo('chat.postMessage').map((c) => c.ok)).toEqual([false]);
    expect(slack.messages(slack.dmChannelFor('U600GONE'))).toHaveLength(0);
  });

  it('sends no second DM when the unlock came from an approved request (its decision DM said it)', async () => {
    const hana = await seedPerson(h);
    const admin = await seedPerson(h, { role: 'admin' });
    await h.deps.db.updateTable('accounts').set({ slack_user_id: 'U600HANA' }).where('id', '=', hana.id).execute();
    slack.addUser({ id: 'U600HANA', name: 'hana' });
    const { ticket } = await requestTicket(h.deps, await actorOf(h, hana.id), { kind: 'unlock', accountId: hana.id, requesterSlackId: 'U600HANA' });
    expect((await decideApproval(h.deps, await actorOf(h, admin.id), ticket.id, 'approve')).ok).toBe(true);
    const at = h.clock.now();
    // The approval's unlock names its ticket (src/core/approvals); an admin's own unlock later does not.
    expect(await notices.accountUnlocked({ kind: 'account_unlocked', accountId: hana.id, how: 'unlock', at, approvalId: ticket.id })).toBe('told');
    expect(await notices.accountUnlocked({ kind: 'account_unlocked', accountId: hana.id, how: 'unlock', at: at + 5 * 60_000 })).toBe('sent');
    expect(slack.messages(slack.dmChannelFor('U600HANA'))).toHaveLength(1);
  });

  it('skips a lock notice that arrives after the lock ended', async () => {
    const frank = await seedPerson(h);
    const stale = { ...(await lockOf(frank.id, 0)), lockedUntil: h.clock.now() };
    expect(await notices.accountLocked(stale)).toBe('stale');
  });
});

describe('the core asks for notices', () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore('sqlite');
  });
  afterAll(async () => {
    await h.stop();
  });

  it('on a lock, on an admin unlock, on expiry — and not for an unlock of an account that was not locked', async () => {
    const gus = await seedPerson(h);
    const start = h.clock.now();
    for (let i = 0; i < 6; i++) await login(h.deps, webActor('203.0.113.9'), { login: gus.email, password: 'wrong wrong wrong wrong' });
    const lockedUntil = (await accountRow(h, gus.id)).locked_until!;
    expect(h.effects.notices).toEqual([{ kind: 'account_locked', accountId: gus.id, lockedAt: start, lockedUntil, failures: 5, clientAddress: '203.0.113.9' }]);

    h.clock.advance(60_000);
    await unlockAccount(h.deps, CLI_ACTOR, gus.id);
    await unlockAccount(h.deps, CLI_ACTOR, gus.id); // not locked any more: nothing to tell
    expect(h.effects.notices.slice(1)).toEqual([{ kind: 'account_unlocked', accountId: gus.id, how: 'unlock', at: start + 60_000 }]);

    for (let i = 0; i < 5; i++) await login(h.deps, webActor('203.0.113.9'), { login: gus.email, password: 'wrong wrong wrong wrong' });
    const second = (await accountRow(h, gus.id)).locked_until!;
    h.clock.set(second);
    expect(await expireLock(h.deps, gus.id, second)).toBe('cleared');
    expect(await expireLock(h.deps, gus.id, second)).toBe('gone');
    expect(h.effects.notices.map((n) => (n.kind === 'account_unlocked' ? n.how : n.kind))).toEqual(['account_locked', 'unlock', 'account_locked', 'expired']);
  });
});
