// Remembers which Slack deliveries were already handled, in Redis so it holds across
// replicas: a retried delivery (X-Slack-Retry-Num), a replayed request or a second copy
// of one event is recognised by the identity Slack gives the request itself.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Longer than Slack's retry horizon and the 5-minute signature window together. */
const REMEMBER_SECONDS = 3600;

export interface DeliveryLog {
  /** True the first time a delivery is seen; false for every repeat. */
  firstTime(key: string): Promise<boolean>;
}

export function redisDeliveryLog(redis: Redis, namespace: string): DeliveryLog {
  return {
    async firstTime(key) {
      const set = await redis.set(`${namespace}:slack:delivery:${key}`, '1', 'EX', REMEMBER_SECONDS, 'NX');
      return set === 'OK';
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
