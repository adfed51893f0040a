// Starts the workers on one connection of their own and stops them gracefully.
import type { Config } from '../src/config.js';
import type { Clock } from '../src/core/clock.js';
import type { SecretBox } from '../src/core/secret-box.js';
import type { Logger } from '../src/logger.js';
import type { Mailer } from '../src/mail/mailer.js';
import { connectRedis } from '../src/redis.js';
import { createEmailWorker, type EmailMetrics, type OnPermanentFailure } from './email.worker.js';
import { Queue } from 'bullmq';
import { scheduleApprovalExpiry } from './approval-expiry.js';
import { createLockExpiryWorker, type LockExpiryWorkerOptions } from './lock-expiry.worker.js';
import { createNotifyWorker, type NotifyPort } from './notify.worker.js';
import { MAINTENANCE_QUEUE, QUEUE_NAMES, type MaintenanceJobData, type NotifyJobData } from './queues.js';
import { createSmsWorker } from './sms.worker.js';
import type { SmsTransport } from '../src/sms/index.js';
import { createTokenCleanupWorker, scheduleTokenCleanup, type PurgeTokens } from './token-cleanup.js';

export { createBullEffects, type BullEffectsOptions } from './effects.js';
export { createQueues, QUEUE_NAMES, type Queues } from './queues.js';
export { createEmailWorker, emailFailureTicket, type EmailMetrics, type OnPermanentFailure } from './email.worker.js';
export { createTokenCleanupWorker, scheduleTokenCleanup, tokenCleanupProcessor, TOKEN_CLEANUP_SCHEDULER } from './token-cleanup.js';
export { createLockExpiryWorker } from './lock-expiry.worker.js';
export { createSmsWorker, smsText } from './sms.worker.js';
export { createNotifyWorker, notifyProcessor, type NoticeOutcome, type NotifyPort } from './notify.worker.js';
export { scheduleApprovalExpiry, APPROVAL_EXPIRY_SCHEDULER } from './approval-expiry.js';

export interface StartWorkersOptions {
  config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'mailFrom' | 'publicUrl'> & Partial<Pick<Config, 'worker'>>;
  secretBox: SecretBox;
  /** Owned by the caller: close it after the workers. */
  mailer: Mailer;
  /** How SMS codes leave (src/sms: outbox or webhook); src/app.ts always passes one. Absent: no SMS worker. */
  sms?: SmsTransport;
  logger: Logger;
  clock: Clock;
  onExpire: LockExpiryWorkerOptions['onExpire'];
  emailConcurrency?: number;
  /** An email failed for good: record it (src/app.ts opens an `email_failure` ticket). */
  onEmailFailure?: OnPermanentFailure;
  /** Deletes dead one-time tokens; when given, the hourly clean-up runs and is scheduled. */
  purgeTokens?: PurgeTokens;
  /**
   * The Slack side of notices (DMs, ticket cards). Only when Slack is on: then the notify
   * worker runs and the approval-expiry tick is scheduled.
   */
  notify?: NotifyPort;
  /** Counts emails sent and failed (/metrics). */
  metrics?: EmailMetrics;
}

export interface RunningWorkers {
  /** Stops taking jobs, waits for the running ones to finish, then closes the connection. */
  close(): Promise<void>;
}

export async function startWorkers(opts: StartWorkersOptions): Promise<RunningWorkers> {
  const connection = connectRedis(opts.config.redisUrl, { connectionName: 'keydesk-workers' });
  const started: { close(): Promise<void> }[] = [];
  // Every worker's job locks (WORKER_LOCK_MS, WORKER_STALLED_INTERVAL_MS): how soon a job
  // whose worker died runs again.
  const locks = { lockDurationMs: opts.config.worker?.lockMs, stalledIntervalMs: opts.config.worker?.stalledIntervalMs };
  try {
    const email = createEmailWorker({
      connection,
      prefix: opts.config.queuePrefix,
      secretBox: opts.secretBox,
      mailer: opts.mailer,
      from: opts.config.mailFrom,
      publicUrl: opts.config.publicUrl,
      logger: opts.logger,
      concurrency: opts.emailConcurrency,
      onPermanentFailure: opts.onEmailFailure,
      ...locks,
      metrics: opts.metrics,
    });
    started.push(email);
    const sms = opts.sms
      ? createSmsWorker({ connection, prefix: opts.config.queuePrefix, secretBox: opts.secretBox, transport: opts.sms, logger: opts.logger })
      : null;
    if (sms) started.push(sms);
    const lockExpiry = createLockExpiryWorker({
      connection,
      prefix: opts.config.queuePrefix,
      logger: opts.logger,
      onExpire: opts.onExpire,
      clock: opts.clock,
      ...locks,
    });
    started.push(lockExpiry);
    const notify = opts.notify
      ? createNotifyWorker({ connection, prefix: opts.config.queuePrefix, logger: opts.logger, port: opts.notify, ...locks })
      : null;
    if (notify) started.push(notify);
    const cleanup = opts.purgeTokens
      ? createTokenCleanupWorker({ connection, prefix: opts.config.queuePrefix, logger: opts.logger, purge: opts.purgeTokens })
      : null;
    if (cleanup) started.push(cleanup);
    await Promise.all([email.waitUntilReady(), sms?.waitUntilReady(), lockExpiry.waitUntilReady(), notify?.waitUntilReady(), cleanup?.waitUntilReady()]);
    if (cleanup) {
      const queue = new Queue<MaintenanceJobData, number, string>(MAINTENANCE_QUEUE, { connection, prefix: opts.config.queuePrefix });
      try {
        await scheduleTokenCleanup(queue);
      } finally {
        await queue.close();
      }
    }
    if (notify) {
      const queue = new Queue<NotifyJobData, unknown, string>(QUEUE_NAMES.notify, { connection, prefix: opts.config.queuePrefix });
      try {
        await scheduleApprovalExpiry(queue);
      } finally {
        await queue.close();
      }
    }
    let closing: Promise<void> | undefined;
    return {
      close() {
        closing ??= (async () => {
          await Promise.all([email.close(), sms?.close(), lockExpiry.close(), notify?.close(), cleanup?.close()]);
          await connection.quit();
        })();
        return closing;
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((w) => w.close()));
    connection.disconnect();
    throw err;
  }
}
