// GET /healthz: the store and Redis, each up or down, and 503 when either is down (is this
// process alive and wired?). GET /readyz: the same, and Slack too when Slack is on (should
// this replica take traffic?): auth.test, its answer kept SLACK_PROBE_TTL_MS so a probe
// every few seconds from each load balancer doesn't become a Slack call each.
import type { Redis } from '../redis.js';
import type { Clock } from '../core/clock.js';
import { pingStore, type Store } from '../store/db.js';
import { json, type Route } from './http.js';

type Probe = 'up' | 'down';

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Probe> {
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

/** How long a Slack answer (up or down) is kept before /readyz asks again. */
export const SLACK_PROBE_TTL_MS = 30_000;

/** One check at a time, its answer kept for `ttlMs` on the app's clock. */
function cachedCheck(probe: () => Promise<unknown>, clock: Clock, ttlMs: number): () => Promise<Probe> {
  let kept: { at: number; result: Promise<Probe> } | null = null;
  return () => {
    const now = clock.now();
    if (!kept || now - kept.at >= ttlMs) kept = { at: now, result: check(probe) };
    return kept.result;
  };
}

export interface HealthDeps {
  db: Store;
  redis: Redis;
  clock: Clock;
  /** Null when Slack is off; else a call that resolves when Slack accepts the bot token (auth.test). */
  slackAuthTest: (() => Promise<unknown>) | null;
}

export function healthRoutes(deps: HealthDeps): Route[] {
  const basics = () => Promise.all([check(() => pingStore(deps.db)), check(() => deps.redis.ping())]);
  const slack = deps.slackAuthTest ? cachedCheck(deps.slackAuthTest, deps.clock, SLACK_PROBE_TTL_MS) : null;
  return [
    {
      method: 'GET',
      path: '/healthz',
      async handle() {
        const [store, redis] = await basics();
        const ok = store === 'up' && redis === 'up';
        return json(ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', store, redis, slack: slack ? 'on' : 'off' });
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      async handle() {
        const [[store, redis], slackState] = await Promise.all([basics(), slack ? slack() : Promise.resolve('off' as const)]);
        const ok = store === 'up' && redis === 'up' && slackState !== 'down';
        return json(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', store, redis, slack: slackState });
      },
    },
  ];
}
