// A fixed-window counter in Redis, so every replica shares one limit per client address.
import type { Redis } from '../redis.js';

export interface RateLimiter {
  /** Counts one hit; true when it is within the limit. */
  hit(subject: string): Promise<boolean>;
}

/**
 * One round trip and one command per hit (it runs on every sign-in): the count goes up and,
 * on the window's first hit, the key is given its expiry, atomically, so no key outlives
 * its window by more than one.
 */
const HIT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

export function redisRateLimiter(redis: Redis, options: { namespace: string; limit: number; windowMs: number }): RateLimiter {
  return {
    async hit(subject) {
      const window = Math.floor(Date.now() / options.windowMs);
      const key = `${options.namespace}:${subject}:${window}`;
      const count = await redis.eval(HIT, 1, key, String(options.windowMs * 2));
      return Number(count) <= options.limit;
    },
  };
}
