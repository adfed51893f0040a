// The delivery log on the suite's Redis and on a Redis Cluster: a claim is in progress until done (then every
// copy is dropped) or released (then the next copy is handled); a claim whose process died
// expires by itself; a stale claim's release leaves a newer claim alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type Redis } from '../../src/redis.js';
import { redisDeliveryLog, type DeliveryLog } from '../../src/slack/deliveries.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';

describe.each(REDIS_KINDS)('redisDeliveryLog on %s Redis', (kind) => {
  const prefix = `{kdtest-${randomUUID()}}`;
  const redisUrl = useRedis(kind);
  let redis: Redis;
  let log: DeliveryLog;
  beforeAll(() => {
    redis = connectRedis(redisUrl());
    log = redisDeliveryLog(redis, prefix, 1);
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(redisUrl(), prefix);
  });

  it('in progress, then done: every later copy is dropped', async () => {
    const first = await log.claim('a');
    expect(first.outcome).toBe('claimed');
    expect((await log.claim('a')).outcome).toBe('in_progress');
    if (first.outcome === 'claimed') await first.done();
    expect((await log.claim('a')).outcome).toBe('done');
    await new Promise((r) => setTimeout(r, 1100)); // past the in-progress TTL: done lasts
    expect((await log.claim('a')).outcome).toBe('done');
  });

  it('released after a failure: the next copy is handled', async () => {
    const first = await log.claim('b');
    if (first.outcome === 'claimed') await first.release();
    expect((await log.claim('b')).outcome).toBe('claimed');
  });

  it('a claim whose process died expires by itself; its late release leaves the newer claim alone', async () => {
    const dead = await log.claim('c');
    await new Promise((r) => setTimeout(r, 1100));
    const next = await log.claim('c');
    expect(next.outcome).toBe('claimed');
    if (dead.outcome === 'claimed') await dead.release();
    expect((await log.claim('c')).outcome).toBe('in_progress');
  });

  it('of 20 concurrent copies, exactly one is claimed', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => log.claim('d')));
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
  });
});
