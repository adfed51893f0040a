// A fixed-window counter in Redis, so every replica shares one limit per client address.
import type { Redis } from '../redis.js';

export interface RateLimiter {
  /** Counts one hit; true when it is within the limit. */
  hit(subject: string): Promise<boolean>;
}

export function redisRateLimiter(redis: Redis, options: { namespace: string; limit: number; windowMs: number }): RateLimiter {
  return {
    async hit(subject) {
      const window = Math.floor(Date.now() / options.windowMs);
      const key = `${options.namespace}:${subject}:${window}`;
      const [[, count] = [null, 0]] = (await redis.multi().incr(key).pexpire(key, options.windowMs * 2).exec()) ?? [];
      return Number(count) <= options.limit;
    },
  };
}
