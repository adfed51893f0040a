// Removes every Redis key under a test's own prefix (its queues, rate limits), and
// nothing else: the suite shares Redis with whatever else runs on the machine.
import { connectRedis } from '../../src/redis.js';

export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  if (!/^\{kd(test|bench)-/.test(prefix)) throw new Error(`refusing to delete keys outside a test prefix: ${prefix}`);
  const redis = connectRedis(redisUrl);
  try {
    // Braces are glob-safe, but escape the glob characters a prefix could hold anyway.
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
