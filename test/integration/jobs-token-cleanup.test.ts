// The hourly clean-up of dead one-time tokens: what purgeExpiredTokens deletes and keeps
// (ManualClock, both stores), the processor run directly, and the scheduler on Redis.
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeDeadSessions, SESSION_RETENTION_MS } from '../../src/core/sessions.js';
import { purgeExpiredTokens, TOKEN_RETENTION_MS } from '../../src/core/tokens.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/redis.js';
import { MAINTENANCE_QUEUE, type MaintenanceJobData } from '../../jobs/queues.js';
import {
  createTokenCleanupWorker,
  scheduleTokenCleanup,
  TOKEN_CLEANUP_EVERY_MS,
  TOKEN_CLEANUP_SCHEDULER,
  tokenCleanupProcessor,
} from '../../jobs/token-cleanup.js';
import { testConfig } from '../support/config.js';
import { seedPerson, startCore, type CoreHarness } from '../support/core.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';

const DAY = 24 * 3600 * 1000;
const logger = createLogger('silent');

describe.each(STORE_KINDS)('token clean-up on %s', (kind) => {
  let h: CoreHarness;
  let accountId: string;
  beforeEach(async () => {
    h = await startCore(kind);
    accountId = (await seedPerson(h)).id;
    h.clock.advance(DAY); // the seeding's own tokens are a day old: kept
  });
  afterEach(async () => {
    await h.stop();
  });

  async function insert(name: string, times: { expires: number; used?: number; revoked?: number }): Promise<string> {
    const now = h.clock.now();
    const id = `${name}-${randomUUID()}`;
    await h.deps.db
      .insertInto('one_time_tokens')
      .values({
        id,
        account_id: accountId,
        purpose: 'reset',
        token_hash: randomUUID(),
        created_at: now - 40 * DAY,
        expires_at: now + times.expires,
        used_at: times.used === undefined ? null : now + times.used,
        revoked_at: times.revoked === undefined ? null : now + times.revoked,
      })
      .execute();
    return id;
  }

  async function remaining(): Promise<Set<string>> {
    const rows = await h.deps.db.selectFrom('one_time_tokens').select('id').execute();
    return new Set(rows.map((r) => r.id));
  }

  it('deletes tokens expired, used or revoked over a week ago, and nothing else', async () => {
    const gone = [
      await insert('expired-8d', { expires: -8 * DAY }),
      await insert('used-8d', { expires: 30 * DAY, used: -8 * DAY }),
      await insert('revoked-8d', { expires: 30 * DAY, revoked: -8 * DAY }),
    ];
    const kept = [
      await insert('expired-6d', { expires: -6 * DAY }),
      await insert('used-1d', { expires: 30 * DAY, used: -DAY }),
      await insert('revoked-1d', { expires: -DAY, revoked: -DAY }),
      await insert('live', { expires: 30 * DAY }),
    ];
    const before = await remaining();

    expect(TOKEN_RETENTION_MS).toBe(7 * DAY);
    expect(await purgeExpiredTokens(h.deps)).toBe(3);
    const after = await remaining();
    for (const id of gone) expect(after.has(id)).toBe(false);
    for (const id of kept) expect(after.has(id)).toBe(true);
    expect(after.size).toBe(before.size - 3);

    // Idempotent; and a week later, the recent dead ones go too but the live one stays.
    expect(await purgeExpiredTokens(h.deps)).toBe(0);
    h.clock.advance(7 * DAY);
    await purgeExpiredTokens(h.deps);
    const later = await remaining();
    expect(later.has(kept[3]!)).toBe(true);
    for (const id of kept.slice(0, 3)) expect(later.has(id)).toBe(false);
  });

  it('runs through the worker processor, which refuses a payload that does not parse', async () => {
    await insert('expired-9d', { expires: -9 * DAY });
    const process = tokenCleanupProcessor(() => purgeExpiredTokens(h.deps), logger);
    expect(await process({ id: 'tick-1', data: { kind: 'purge_tokens' } })).toBe(1);
    expect(await process({ id: 'tick-2', data: { kind: 'purge_tokens' } })).toBe(0);
    await expect(process({ id: 'tick-3', data: { kind: 'nope' } as unknown as MaintenanceJobData })).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('deletes sessions dead (expired or ended) over a day ago, and keeps the rest', async () => {
    const now = h.clock.now();
    const session = async (name: string, t: { idle: number; absolute?: number; ended?: number }) => {
      const id = `${name}-${randomUUID()}`;
      await h.deps.db
        .insertInto('sessions')
        .values({
          id,
          account_id: accountId,
          token_hash: randomUUID(),
          created_at: now - 3 * DAY,
          last_seen_at: now - 3 * DAY,
          expires_at: now + t.idle,
          absolute_expires_at: now + (t.absolute ?? 5 * DAY),
          ended_at: t.ended === undefined ? null : now + t.ended,
          ended_reason: t.ended === undefined ? null : 'logout',
          client_address: null,
        })
        .execute();
      return id;
    };
    const gone = [
      await session('idle-2d', { idle: -2 * DAY }),
      await session('absolute-2d', { idle: -2 * DAY, absolute: -2 * DAY }),
      await session('ended-2d', { idle: DAY, ended: -2 * DAY }),
    ];
    const kept = [
      await session('idle-1h', { idle: -3600_000 }),
      await session('ended-1h', { idle: DAY, ended: -3600_000 }),
      await session('live', { idle: 3600_000 }),
    ];
    expect(SESSION_RETENTION_MS).toBe(DAY);
    expect(await purgeDeadSessions(h.deps)).toBe(3);
    const left = new Set((await h.deps.db.selectFrom('sessions').select('id').execute()).map((r) => r.id));
    for (const id of gone) expect(left.has(id)).toBe(false);
    for (const id of kept) expect(left.has(id)).toBe(true);
  });

  it('refuses a negative retention', async () => {
    await expect(purgeExpiredTokens(h.deps, -1)).rejects.toThrow(/non-negative/);
  });
});

describe('token clean-up scheduler', () => {
  it('upserts one hourly scheduler on the maintenance queue, and its worker runs the purge', async () => {
    const config = testConfig({});
    const connection = connectRedis(config.redisUrl);
    const workerConnection = connectRedis(config.redisUrl);
    const queue = new Queue<MaintenanceJobData, number, string>(MAINTENANCE_QUEUE, { connection, prefix: config.queuePrefix });
    let purges = 0;
    const worker = createTokenCleanupWorker({
      connection: workerConnection,
      prefix: config.queuePrefix,
      logger,
      purge: () => Promise.resolve(++purges),
    });
    try {
      await scheduleTokenCleanup(queue);
      await scheduleTokenCleanup(queue); // every process does it at start: still one
      expect(await queue.getJobSchedulersCount()).toBe(1);
      const scheduler = await queue.getJobScheduler(TOKEN_CLEANUP_SCHEDULER);
      expect(scheduler?.every).toBe(TOKEN_CLEANUP_EVERY_MS);
      expect(TOKEN_CLEANUP_EVERY_MS).toBe(3600_000);
      // The first tick runs at once.
      await waitFor(() => purges >= 1);
      expect(purges).toBe(1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([connection.quit(), workerConnection.quit()]);
      await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    }
  });
});
