// Tells people in Slack what happened to their account (a lock, its end, a disable or an
// enable) and expires the approvals nobody decided. The Slack side is a port built in
// src/app.ts from handlers/ (it renders, DMs and updates cards); this worker only parses
// and dispatches.
// A payload that doesn't parse ends the job (UnrecoverableError). Anything the port throws
// — Slack rate-limiting us, the network, Redis, the store — is rethrown and retried with
// backoff; the port itself turns what retrying can't fix (a user who left) into an outcome.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../src/redis.js';
import type { NotifyEvent } from '../src/core/effects.js';
import type { Logger } from '../src/logger.js';
import { outageLog } from '../src/outage-log.js';
import { assertWorkerConnection, describeIssues, lockSettings, type JobLockOptions } from './connection.js';
import { notifyJobSchema, QUEUE_NAMES, type Notice, type NotifyJobData } from './queues.js';

/**
 * What became of one notice (logged, and the job's return value). `told`: another message
 * already said it (the unlock came with an approval's own DM).
 */
export type NoticeOutcome = 'sent' | 'no_slack_user' | 'capped' | 'stale' | 'undeliverable' | 'gone' | 'told';

export interface NotifyPort {
  accountLocked(event: Extract<NotifyEvent, { kind: 'account_locked' }>): Promise<NoticeOutcome>;
  accountUnlocked(event: Extract<NotifyEvent, { kind: 'account_unlocked' }>): Promise<NoticeOutcome>;
  /** Posts the card of a ticket opened away from Slack, unless it has one already. */
  ticketOpened(event: Extract<NotifyEvent, { kind: 'ticket_opened' }>): Promise<NoticeOutcome>;
  accountDisabled(event: Extract<NotifyEvent, { kind: 'account_disabled' }>): Promise<NoticeOutcome>;
  accountEnabled(event: Extract<NotifyEvent, { kind: 'account_enabled' }>): Promise<NoticeOutcome>;
  /** Tells the owner one of their access keys was revoked as leaked. */
  accessKeyRevoked(event: Extract<NotifyEvent, { kind: 'access_key_revoked' }>): Promise<NoticeOutcome>;
  /** Expires the approvals older than the TTL, updates their cards, tells the requesters; returns how many. */
  expireApprovals(): Promise<number>;
}

export interface NotifyWorkerOptions extends JobLockOptions {
  /** Needs maxRetriesPerRequest: null. The caller owns it and closes it after the worker. */
  connection: Redis;
  prefix: string;
  logger: Logger;
  port: NotifyPort;
  /**
   * Default 16: notices are Slack calls, so they wait on the network, and a thousand
   * locks ending together are told side by side, not one after another. Notices start in
   * the order they were queued; two queued together (a lock and an admin's unlock a moment
   * later, both held back by a Slack outage) may then arrive in either order — the lock
   * notice is still worth having (its Report button), and a click on it after the unlock
   * is recognised as old. Several worker processes never kept a stricter order anyway.
   */
  concurrency?: number;
}

export type NotifyWorker = Worker<NotifyJobData, string, string>;

/** What the processor needs of a job: its data, and a way to keep a batch's progress. */
export type NoticeJob = Pick<Job<NotifyJobData, string, string>, 'id' | 'data' | 'updateData'>;

/** The worker's processor on its own, so tests can run a job without waiting for one. */
export function notifyProcessor(port: NotifyPort, logger: Logger) {
  const tell = async (jobId: string | undefined, notice: Notice): Promise<NoticeOutcome> => {
    switch (notice.kind) {
      case 'account_locked':
      case 'account_unlocked': {
        const outcome = notice.kind === 'account_locked' ? await port.accountLocked(notice) : await port.accountUnlocked(notice);
        logger.info({ jobId, kind: notice.kind, accountId: notice.accountId, outcome }, 'notice handled');
        return outcome;
      }
      case 'ticket_opened': {
        const outcome = await port.ticketOpened(notice);
        logger.info({ jobId, kind: notice.kind, ticketId: notice.ticketId, outcome }, 'ticket card handled');
        return outcome;
      }
      case 'account_disabled':
      case 'account_enabled': {
        const outcome = notice.kind === 'account_disabled' ? await port.accountDisabled(notice) : await port.accountEnabled(notice);
        logger.info({ jobId, kind: notice.kind, accountId: notice.accountId, outcome }, 'notice handled');
        return outcome;
      }
      case 'access_key_revoked': {
        const outcome = await port.accessKeyRevoked(notice);
        logger.info({ jobId, kind: notice.kind, accountId: notice.accountId, keyId: notice.keyId, outcome }, 'notice handled');
        return outcome;
      }
    }
  };

  return async (job: NoticeJob): Promise<string> => {
    const parsed = notifyJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`notify job payload is invalid: ${describeIssues(parsed.error.issues)}`);
    }
    const data = parsed.data;
    switch (data.kind) {
      case 'batch': {
        // One after another, the count of those told kept in the job after each: a retry
        // (Slack's 429, an error) starts at the first one not yet told, so none is told
        // twice unless the process dies between a DM and its count (as with a job each).
        const from = data.done ?? 0;
        for (let i = from; i < data.notices.length; i += 1) {
          await tell(job.id, data.notices[i]!);
          if (i + 1 < data.notices.length) await job.updateData({ ...data, done: i + 1 });
        }
        return `told ${data.notices.length - from}`;
      }
      case 'expire_approvals': {
        const count = await port.expireApprovals();
        if (count > 0) logger.info({ jobId: job.id, count }, 'approvals expired');
        return `expired ${count}`;
      }
      default:
        return tell(job.id, data);
    }
  };
}

/** Rate-limited runs of one job before it fails like any error (then backoff, then attempts run out). */
export const MAX_RATE_LIMITED_RUNS = 20;

/** The seconds a Slack rate-limit error asks us to wait (the Web API client's WebAPIRateLimitedError), or null. */
export function retryAfterSeconds(err: unknown): number | null {
  const e = err as { code?: unknown; retryAfter?: unknown } | null;
  if (e?.code !== 'slack_webapi_rate_limited_error' || typeof e.retryAfter !== 'number') return null;
  return Number.isFinite(e.retryAfter) && e.retryAfter >= 0 ? Math.min(e.retryAfter, 3600) : null;
}

export function createNotifyWorker(opts: NotifyWorkerOptions): NotifyWorker {
  assertWorkerConnection(opts.connection);
  const log = opts.logger.child({ queue: QUEUE_NAMES.notify });
  const run = notifyProcessor(opts.port, log);
  // Slack said 429 with Retry-After: the job waits exactly that long (delayed, not counted
  // as a failed attempt) instead of the backoff, which may be shorter (Slack then answers
  // 429 again) or much longer. The port is safe to run again (see handlers/notices).
  const processor = async (job: Job<NotifyJobData, string, string>, token?: string): Promise<string> => {
    try {
      return await run(job);
    } catch (err) {
      const seconds = retryAfterSeconds(err);
      if (seconds === null || job.attemptsStarted >= MAX_RATE_LIMITED_RUNS) throw err;
      log.info({ jobId: job.id, kind: job.data.kind, retryAfter: seconds }, 'slack rate-limited the notice; retrying after Retry-After');
      await job.moveToDelayed(Date.now() + seconds * 1000, token);
      throw new DelayedError();
    }
  };
  const worker: NotifyWorker = new Worker<NotifyJobData, string, string>(QUEUE_NAMES.notify, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 16,
    ...lockSettings(opts),
  });
  worker.on('failed', (job, err) => {
    const final = err instanceof UnrecoverableError || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, kind: job?.data.kind, attemptsMade: job?.attemptsMade, err: err.message },
      final ? 'notice failed for good' : 'notice failed; will retry',
    );
  });
  // Redis down: one line per outage, not one per reconnect attempt.
  worker.on('error', outageLog(log, 'notify worker error'));
  return worker;
}
