// The notify worker's Slack side (jobs/notify.worker.ts's NotifyPort), built by src/app.ts
// with a Web API client of its own: the worker may run where no Bolt app does.
import { webApi } from '@slack/bolt';
import type { Redis } from '../../src/redis.js';
import type { NotifyPort } from '../../jobs/notify.worker.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { slackFetch } from '../../src/slack/slack-fetch.js';
import type { HandlerContext } from '../context.js';
import { noticeAccessKeyRevoked, noticeAccountDisabled, noticeAccountEnabled, noticeAccountLocked, noticeAccountUnlocked } from './account-notices.js';
import { expireApprovals } from './approval-expiry.js';
import { postOpenedTicket } from './ticket-opened.js';
import { redisLockDmCap } from './lock-dm-cap.js';

export interface SlackNoticesOptions {
  ctx: HandlerContext;
  client: webApi.WebClient;
  redis: Redis;
  /** Redis key namespace (the queue prefix). */
  namespace: string;
  approvalTtlMs: number;
}

export function createSlackNotices(opts: SlackNoticesOptions): NotifyPort {
  const deps = { ctx: opts.ctx, client: opts.client, cap: redisLockDmCap(opts.redis, opts.namespace) };
  return {
    accountLocked: (event) => noticeAccountLocked(deps, event),
    accountUnlocked: (event) => noticeAccountUnlocked(deps, event),
    ticketOpened: (event) => postOpenedTicket(opts.ctx, opts.client, event.ticketId),
    accountDisabled: (event) => noticeAccountDisabled(deps, event),
    accountEnabled: (event) => noticeAccountEnabled(deps, event),
    accessKeyRevoked: (event) => noticeAccessKeyRevoked(deps, event),
    expireApprovals: () => expireApprovals(opts.ctx, opts.client, opts.approvalTtlMs),
  };
}

/**
 * The notify worker's own Web API client. It rejects a rate-limited call at once: the
 * notify worker delays the job by Retry-After (jobs/notify.worker.ts), so no worker sits
 * in a Slack wait. A 5xx or a network error is retried twice here within about a second
 * (Slack's bad moments are short); past that BullMQ retries the job with backoff.
 */
export function createNoticesClient(
  slack: Pick<NonNullable<Config['slack']>, 'botToken' | 'apiUrl'>,
  logger: Logger,
  /** The fetch that counts Slack calls for /metrics (src/slack/counting-fetch.ts); src/slack/slack-fetch.ts's by default. */
  fetch: typeof globalThis.fetch = slackFetch,
): webApi.WebClient {
  return new webApi.WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    fetch,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    logger: boltLogger(logger),
  });
}
