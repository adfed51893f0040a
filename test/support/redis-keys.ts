// Removes every Redis key under a test's own prefix (its queues, rate limits), and
// nothing else: the suite shares Redis with whatever else runs on the machine.
import { Cluster } from 'ioredis';
import { connectRedis, type Redis } from '../../src/redis.js';

export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  if (!/^\{kd(test|bench)-/.test(prefix)) throw new Error(`refusing to delete keys outside a test prefix: ${prefix}`);
  const redis = connectRedis(redisUrl);
  try {
    // Braces are glob-safe, but escape the glob characters a prefix could hold anyway.
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    // SCAN walks one server: on a Cluster, each master's own keys (the prefix's hash tag
    // puts them all on one, but which one depends on the tag).
    await redis.ping(); // a Cluster knows its nodes once ready
    const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length) await server.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** The keys matching a glob, on one server or every master of a Cluster (KEYS alone asks one node). */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  await redis.ping();
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return (await Promise.all(servers.map((s) => s.keys(pattern)))).flat();
}
