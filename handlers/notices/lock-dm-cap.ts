// At most N lock notices per account per day (UTC day of the lock), kept in Redis so it
// holds across replicas. It counts distinct locks, not attempts: a Redis set of the locks
// already noticed that day, so a job retried after a rate limit neither counts twice nor
// loses its place. The key lives under the queue prefix and expires after two days.
import type { Redis } from '../../src/redis.js';

const DAY_MS = 86_400_000;

// KEYS[1] the day's set; ARGV: lock id, cap, ttl ms. 1 = send, 0 = over the cap.
const TAKE = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

export interface LockDmCap {
  /** Whether the notice of this lock may be sent (and, if so, counts it). */
  take(accountId: string, lockedUntil: number, lockedAt: number): Promise<boolean>;
}

export const LOCK_DMS_PER_DAY = 4;

export function redisLockDmCap(redis: Redis, namespace: string, perDay = LOCK_DMS_PER_DAY): LockDmCap {
  return {
    async take(accountId, lockedUntil, lockedAt) {
      const day = Math.floor(lockedAt / DAY_MS);
      const key = `${namespace}:notify:lock-dms:${accountId}:${day}`;
      const allowed = await redis.eval(TAKE, 1, key, String(lockedUntil), String(perDay), String(2 * DAY_MS));
      return allowed === 1;
    },
  };
}
