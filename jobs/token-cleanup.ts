// The scheduled clean-up of dead one-time tokens: one job scheduler on the maintenance
// queue ticks hourly; its worker asks the core to delete tokens expired, used or revoked
// more than a week ago (and, as src/app.ts wires it, sessions dead for over a day). Upserting the scheduler is idempotent, so every process that runs
// workers may do it at start; the scheduler id keeps it to one tick an hour overall.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../src/redis.js';
import type { Logger } from '../src/logger.js';
import { outageLog } from '../src/outage-log.js';
import { assertWorkerConnection, describeIssues } from './connection.js';
import { MAINTENANCE_QUEUE, maintenanceJobSchema, type MaintenanceJobData } from './queues.js';

export const TOKEN_CLEANUP_SCHEDULER = 'purge-tokens';
export const TOKEN_CLEANUP_EVERY_MS = 3600_000;

/** Deletes the dead tokens and returns how many went (the core's purgeExpiredTokens). */
export type PurgeTokens = () => Promise<number>;

export type MaintenanceQueue = Queue<MaintenanceJobData, number, string>;
export type TokenCleanupWorker = Worker<MaintenanceJobData, number, string>;

export async function scheduleTokenCleanup(queue: MaintenanceQueue, everyMs = TOKEN_CLEANUP_EVERY_MS): Promise<void> {
  await queue.upsertJobScheduler(
    TOKEN_CLEANUP_SCHEDULER,
    { every: everyMs },
    {
      name: 'purge_tokens',
      data: { kind: 'purge_tokens' },
      // A failed tick is not retried: the next one comes an hour later anyway.
      opts: { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600, count: 100 } },
    },
  );
}

/** The worker's processor on its own, so it can be run without Redis. */
export function tokenCleanupProcessor(purge: PurgeTokens, logger: Logger) {
  return async (job: Pick<Job<MaintenanceJobData, number, string>, 'id' | 'data'>): Promise<number> => {
    const parsed = maintenanceJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`maintenance job payload is invalid: ${describeIssues(parsed.error.issues)}`);
    }
    const deleted = await purge();
    logger.info({ jobId: job.id, deleted }, 'expired tokens purged');
    return deleted;
  };
}

export interface TokenCleanupWorkerOptions {
  /** Needs maxRetriesPerRequest: null. The caller owns it and closes it after the worker. */
  connection: Redis;
  prefix: string;
  logger: Logger;
  purge: PurgeTokens;
}

export function createTokenCleanupWorker(opts: TokenCleanupWorkerOptions): TokenCleanupWorker {
  assertWorkerConnection(opts.connection);
  const log = opts.logger.child({ queue: MAINTENANCE_QUEUE });
  const worker: TokenCleanupWorker = new Worker<MaintenanceJobData, number, string>(MAINTENANCE_QUEUE, tokenCleanupProcessor(opts.purge, log), {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, err) => log.error({ jobId: job?.id, err: err.message }, 'token clean-up failed'));
  // Redis down: one line per outage, not one per reconnect attempt.
  worker.on('error', outageLog(log, 'maintenance worker error'));
  return worker;
}
