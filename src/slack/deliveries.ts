// Remembers which Slack deliveries were handled, in Redis so it holds across replicas: a
// retried delivery (X-Slack-Retry-Num), a replayed request or a second copy of one event is
// recognised by the identity Slack gives the request itself.
//
// A delivery is first *claimed* (in progress, short TTL), and marked *done* only once its
// listener finished. A repeat that arrives meanwhile is acknowledged and not acted on; a
// listener that failed (the store down, a crash) releases its claim — or, if the process
// died, the claim expires — so that Slack's next retry is handled instead of dropped.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from '../redis.js';

/** Longer than Slack's retry horizon and the 5-minute signature window together. */
const REMEMBER_SECONDS = 3600;
/**
 * How long a claim holds without its listener finishing: longer than any listener runs
 * (Slack waits 3 s for the ack; the slowest flows take a few Web API calls more), shorter
 * than Slack's second retry (about a minute after the first), so a crashed replica's
 * claim never swallows it.
 */
export const IN_PROGRESS_SECONDS = 45;

export type DeliveryClaim =
  | {
      outcome: 'claimed';
      /** The listener finished: every later copy is acknowledged and dropped. */
      done(): Promise<void>;
      /** The listener failed: the next copy (Slack's retry) is handled. */
      release(): Promise<void>;
    }
  | { outcome: 'done' | 'in_progress' };

export interface DeliveryLog {
  claim(key: string): Promise<DeliveryClaim>;
}

/** Deletes the claim only while it is still ours (a claim that expired may be another's now). */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function redisDeliveryLog(redis: Redis, namespace: string, inProgressSeconds = IN_PROGRESS_SECONDS): DeliveryLog {
  return {
    async claim(key) {
      const redisKey = `${namespace}:slack:delivery:${key}`;
      const mine = `running:${randomUUID()}`;
      // Twice at most: the key may expire between a refused SET and the GET that follows.
      for (let round = 0; round < 2; round += 1) {
        if ((await redis.set(redisKey, mine, 'EX', inProgressSeconds, 'NX')) === 'OK') {
          return {
            outcome: 'claimed',
            done: async () => {
              await redis.set(redisKey, 'done', 'EX', REMEMBER_SECONDS);
            },
            release: async () => {
              await redis.eval(RELEASE_SCRIPT, 1, redisKey, mine);
            },
          };
        }
        const seen = await redis.get(redisKey);
        if (seen === 'done') return { outcome: 'done' };
        if (seen !== null) return { outcome: 'in_progress' };
      }
      return { outcome: 'in_progress' };
    },
  };
}

/**
 * What makes a delivery itself: an event's `event_id`; a command's or an interaction's
 * `trigger_id` (new for every invocation, kept by retries and replays); otherwise the
 * whole body, which a replay repeats. The same in HTTP and Socket Mode.
 */
export function deliveryKey(body: Record<string, unknown>): string {
  const id =
    (typeof body.event_id === 'string' && `event:${body.event_id}`) ||
    (typeof body.trigger_id === 'string' && `trigger:${body.trigger_id}`) ||
    `body:${JSON.stringify(body)}`;
  return createHash('sha256').update(id).digest('hex').slice(0, 32);
}
