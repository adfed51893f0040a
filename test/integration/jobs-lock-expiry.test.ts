// scheduleLockExpiry / cancelLockExpiry and the lock-expiry worker, on the suite's real Redis
// and on a Redis Cluster.
// Delayed jobs fire by the real clock, so the tests promote them instead of waiting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CoreEffects } from '../../src/core/effects.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { createBullEffects } from '../../jobs/effects.js';
import { startWorkers, type RunningWorkers } from '../../jobs/index.js';
import { earlyRetryDelay } from '../../jobs/lock-expiry.worker.js';
import type { ExpiryOutcome } from '../../src/core/lockout.js';
import { createQueues, lockExpiryJobId, type LockExpiryJobData, type Queues } from '../../jobs/queues.js';
import { testConfig, TEST_SECRETS_KEY } from '../support/config.js';
import { waitFor } from '../support/wait.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';

const HOUR = 3_600_000;

describe.each(REDIS_KINDS)('lock-expiry jobs on %s Redis', (kind) => {
  const redisUrl = useRedis(kind);
  let config: Config;
  let connection: Redis;
  let queues: Queues;
  let clock: ManualClock;
  let effects: CoreEffects;
  let workers: RunningWorkers | undefined;
  let calls: { accountId: string; lockedUntil: number }[];
  let outcomes: ExpiryOutcome[];

  beforeEach(async () => {
    config = testConfig({ REDIS_URL: redisUrl() });
    connection = connectRedis(config.redisUrl);
    queues = createQueues({ connection, prefix: config.queuePrefix });
    clock = new ManualClock(Date.now());
    effects = createBullEffects(queues, new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY)), { clock });
    calls = [];
    outcomes = [];
    await queues.lockExpiry.waitUntilReady();
  });

  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await Promise.all([queues.email, queues.lockExpiry, queues.notify].map((q) => q.obliterate({ force: true })));
    await queues.close();
    await connection.quit();
    // obliterate leaves each queue's meta key: remove everything under this test's prefix.
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
  });

  async function start(): Promise<void> {
    workers = await startWorkers({
      config,
      secretBox: new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY)),
      mailer: { send: () => Promise.reject(new Error('no email expected')), close: () => Promise.resolve() },
      logger: createLogger('silent'),
      clock,
      onExpire: (accountId, lockedUntil) => {
        calls.push({ accountId, lockedUntil });
        return Promise.resolve(outcomes.shift() ?? 'cleared');
      },
    });
  }

  it('schedules one delayed job per lock, for the time left by the injected clock', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-1', lockedUntil);
    await effects.scheduleLockExpiry('acc-1', lockedUntil); // the same lock again: no second job
    const jobId = lockExpiryJobId('acc-1', lockedUntil);
    expect(jobId).toBe(`lock-acc-1-${lockedUntil}`);

    const job = (await queues.lockExpiry.getJob(jobId))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.delay).toBe(HOUR);
    expect(job.data).toEqual({ accountId: 'acc-1', lockedUntil });
    expect(await queues.lockExpiry.getDelayedCount()).toBe(1);
  });

  it('runs a job scheduled 1 h ahead as soon as it is promoted, and removes it when done', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-2', lockedUntil);
    await start();
    const jobId = lockExpiryJobId('acc-2', lockedUntil);
    const job = (await queues.lockExpiry.getJob(jobId))!;
    // A lock that ends now runs at once: once it has, the worker is live and took only it.
    const now = clock.now();
    await effects.scheduleLockExpiry('acc-due', now);
    await waitFor(() => calls.length > 0);
    expect(calls).toEqual([{ accountId: 'acc-due', lockedUntil: now }]); // acc-2: still an hour to go
    expect(await job.getState()).toBe('delayed');
    calls.length = 0;

    await job.promote();
    await waitFor(() => calls.length === 1);
    expect(calls[0]).toEqual({ accountId: 'acc-2', lockedUntil });
    await waitFor(async () => (await queues.lockExpiry.getJob(jobId)) === undefined);
    // removeOnComplete: the same lock could be scheduled again.
    await effects.scheduleLockExpiry('acc-2', lockedUntil);
    expect(await queues.lockExpiry.getJobState(jobId)).toBe('delayed');
  });

  it('puts an early job back for the time left, under the same id, then clears', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-3', lockedUntil);
    const jobId = lockExpiryJobId('acc-3', lockedUntil);
    outcomes = ['early', 'cleared'];
    await start();

    clock.advance(HOUR - 10 * 60_000); // the core's clock: ten minutes still to go
    const before = Date.now();
    await (await queues.lockExpiry.getJob(jobId))!.promote();
    await waitFor(() => calls.length === 1);
    await waitFor(async () => (await queues.lockExpiry.getJobState(jobId)) === 'delayed');

    const again = (await queues.lockExpiry.getJob(jobId))!;
    const runsAt = again.timestamp + again.delay;
    expect(runsAt).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000);
    expect(runsAt).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 50);
    expect(await queues.lockExpiry.getDelayedCount()).toBe(1);

    // It can still be cancelled by its one id while it waits...
    // ...but here it fires again and the core clears the lock.
    await again.promote();
    await waitFor(() => calls.length === 2);
    expect(calls[1]).toEqual({ accountId: 'acc-3', lockedUntil });
    await waitFor(async () => (await queues.lockExpiry.getJob(jobId)) === undefined);
  });

  it('never reschedules an early job hot: a floor that doubles per run, then gives up', () => {
    expect(earlyRetryDelay(-5_000, 1)).toBe(1_000);
    expect(earlyRetryDelay(0, 2)).toBe(2_000);
    expect(earlyRetryDelay(3, 5)).toBe(16_000);
    expect(earlyRetryDelay(-1, 30)).toBe(60_000);
    expect(earlyRetryDelay(10 * 60_000, 1)).toBe(10 * 60_000);
  });

  it('cancelLockExpiry removes the delayed job, and ignores one that is not there', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-4', lockedUntil);
    await effects.scheduleLockExpiry('acc-5', lockedUntil);
    await effects.cancelLockExpiry('acc-4', lockedUntil);
    expect(await queues.lockExpiry.getJob(lockExpiryJobId('acc-4', lockedUntil))).toBeUndefined();
    expect(await queues.lockExpiry.getJobState(lockExpiryJobId('acc-5', lockedUntil))).toBe('delayed');
    await expect(effects.cancelLockExpiry('acc-4', lockedUntil)).resolves.toBeUndefined();
    await expect(effects.cancelLockExpiry('acc-6', lockedUntil + 1)).resolves.toBeUndefined();
  });

  it('cancels an early job that went back to wait', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-7', lockedUntil);
    const jobId = lockExpiryJobId('acc-7', lockedUntil);
    outcomes = ['early'];
    await start();
    await (await queues.lockExpiry.getJob(jobId))!.promote();
    await waitFor(() => calls.length === 1);
    await waitFor(async () => (await queues.lockExpiry.getJobState(jobId)) === 'delayed');
    await effects.cancelLockExpiry('acc-7', lockedUntil);
    expect(await queues.lockExpiry.getJob(jobId)).toBeUndefined();
  });

  it('leaves a running job alone when asked to cancel it (the core re-checks anyway)', async () => {
    const lockedUntil = clock.now() + HOUR;
    await effects.scheduleLockExpiry('acc-10', lockedUntil);
    const jobId = lockExpiryJobId('acc-10', lockedUntil);
    let release!: () => void;
    const running = new Promise<void>((r) => (release = r));
    workers = await startWorkers({
      config,
      secretBox: new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY)),
      mailer: { send: () => Promise.reject(new Error('no email expected')), close: () => Promise.resolve() },
      logger: createLogger('silent'),
      clock,
      onExpire: async (accountId, until) => {
        calls.push({ accountId, lockedUntil: until });
        await running;
        return 'gone';
      },
    });
    await (await queues.lockExpiry.getJob(jobId))!.promote();
    await waitFor(() => calls.length === 1);
    expect(await queues.lockExpiry.getJobState(jobId)).toBe('active');
    await expect(effects.cancelLockExpiry('acc-10', lockedUntil)).resolves.toBeUndefined();
    release();
    await waitFor(async () => (await queues.lockExpiry.getJob(jobId)) === undefined);
  });

  it('fails a payload that does not parse at once, without retrying', async () => {
    await start();
    const job = await queues.lockExpiry.add('expire', { accountId: 'acc:8', lockedUntil: 'soon' } as unknown as LockExpiryJobData, {
      attempts: 5,
      backoff: { type: 'fixed', delay: 10 },
    });
    await waitFor(async () => (await queues.lockExpiry.getJobState(job.id!)) === 'failed');
    const failed = (await queues.lockExpiry.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/payload is invalid/);
    expect(calls).toHaveLength(0);
  });

  it('refuses an account id that would put ":" in a job id', async () => {
    await expect(effects.scheduleLockExpiry('acc:9', clock.now() + HOUR)).rejects.toThrow();
    expect(await queues.lockExpiry.count()).toBe(0);
  });
});
