// GET /healthz: the store and Redis, each up or down, and 503 when either is down.
import type { Redis } from 'ioredis';
import { pingStore, type Store } from '../store/db.js';
import { json, type Route } from './http.js';

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: { db: Store; redis: Redis; slack: boolean }): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      async handle() {
        const [store, redis] = await Promise.all([check(() => pingStore(deps.db)), check(() => deps.redis.ping())]);
        const ok = store === 'up' && redis === 'up';
        return json(ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', store, redis, slack: deps.slack ? 'on' : 'off' });
      },
    },
  ];
}
