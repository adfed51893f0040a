// Ends locks at locked_until. The core's onExpire re-checks locked_until against its clock
// and clears the lock (with the audit entry); this worker only decides when to ask.
// A job that fires early (its clock ahead of the core's) goes back to the delayed set under
// the same id, so cancelLockExpiry still finds it. It can't loop hot: each return waits at
// least a floor that doubles per run (1 s, 2 s, … 60 s), and after MAX_EARLY_RUNS the job
// gives up — harmless, since the auth API enforces locked_until by itself.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../src/redis.js';
import type { Clock } from '../src/core/clock.js';
import type { ExpiryOutcome } from '../src/core/lockout.js';
import type { Logger } from '../src/logger.js';
import { outageLog } from '../src/outage-log.js';
import { assertWorkerConnection, describeIssues, lockSettings, type JobLockOptions } from './connection.js';
import { lockExpiryJobSchema, QUEUE_NAMES, type LockExpiryJobData } from './queues.js';

export interface LockExpiryWorkerOptions extends JobLockOptions {
  /** Needs maxRetriesPerRequest: null. The caller owns it and closes it after the worker. */
  connection: Redis;
  prefix: string;
  logger: Logger;
  onExpire: (accountId: string, lockedUntil: number) => Promise<ExpiryOutcome>;
  clock: Clock;
  /** Default 16: an expiry waits on the store, so many locks ending together clear side by side. */
  concurrency?: number;
}

export type LockExpiryWorker = Worker<LockExpiryJobData, ExpiryOutcome, string>;

export const MAX_EARLY_RUNS = 20;

/** How long an early job waits before it runs again: the remaining time, never under the floor. */
export function earlyRetryDelay(remainingMs: number, runsSoFar: number): number {
  const floor = Math.min(1000 * 2 ** Math.max(0, runsSoFar - 1), 60_000);
  return Math.max(remainingMs, floor);
}

export function createLockExpiryWorker(opts: LockExpiryWorkerOptions): LockExpiryWorker {
  assertWorkerConnection(opts.connection);
  const log = opts.logger.child({ queue: QUEUE_NAMES.lockExpiry });

  const processor = async (
    job: Job<LockExpiryJobData, ExpiryOutcome, string>,
    token?: string,
  ): Promise<ExpiryOutcome> => {
    const parsed = lockExpiryJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`lock-expiry job payload is invalid: ${describeIssues(parsed.error.issues)}`);
    }
    const { accountId, lockedUntil } = parsed.data;
    const outcome = await opts.onExpire(accountId, lockedUntil);
    if (outcome !== 'early') {
      log.info({ jobId: job.id, accountId, lockedUntil, outcome }, 'lock expiry handled');
      return outcome;
    }
    if (job.attemptsStarted >= MAX_EARLY_RUNS) {
      log.error({ jobId: job.id, accountId, lockedUntil, runs: job.attemptsStarted }, 'lock expiry still early; giving up');
      return outcome;
    }
    const delay = earlyRetryDelay(lockedUntil - opts.clock.now(), job.attemptsStarted);
    log.info({ jobId: job.id, accountId, lockedUntil, delay }, 'lock expiry fired early; rescheduled');
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };

  const worker: LockExpiryWorker = new Worker<LockExpiryJobData, ExpiryOutcome, string>(
    QUEUE_NAMES.lockExpiry,
    processor,
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 16, ...lockSettings(opts) },
  );
  worker.on('failed', (job, err) =>
    log.error({ jobId: job?.id, accountId: job?.data.accountId, attemptsMade: job?.attemptsMade, err: err.message }, 'lock expiry failed'),
  );
  // Redis down: one line per outage, not one per reconnect attempt.
  worker.on('error', outageLog(log, 'lock-expiry worker error'));
  return worker;
}
