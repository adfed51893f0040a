// Workers block on Redis: their connection must wait out a reconnect rather than fail
// a command after N retries (BullMQ requires maxRetriesPerRequest: null).
import { connectionOptions, type Redis } from '../src/redis.js';

export function assertWorkerConnection(connection: Redis): void {
  if (connectionOptions(connection).maxRetriesPerRequest !== null) {
    throw new Error('a worker connection needs maxRetriesPerRequest: null (use connectRedis)');
  }
}

/** Issue paths and codes only: a zod message may quote the input, which may be personal. */
export function describeIssues(issues: readonly { path: PropertyKey[]; code: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`).join('; ');
}

/**
 * How long a job's lock lasts and how often stalled jobs are looked for (BullMQ's
 * defaults, 30 s each, unless set). A job whose worker died is run again once its lock
 * lapsed and a check found it: at most about lockDurationMs + stalledIntervalMs later.
 */
export interface JobLockOptions {
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
}

/** JobLockOptions as BullMQ's WorkerOptions (unset ones left to BullMQ). */
export function lockSettings(opts: JobLockOptions): { lockDuration?: number; stalledInterval?: number } {
  return {
    ...(opts.lockDurationMs === undefined ? {} : { lockDuration: opts.lockDurationMs }),
    ...(opts.stalledIntervalMs === undefined ? {} : { stalledInterval: opts.stalledIntervalMs }),
  };
}
