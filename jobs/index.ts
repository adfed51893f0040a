// Starts the workers on one connection of their own and stops them gracefully.
import type { Config } from '../src/config.js';
import type { Clock } from '../src/core/clock.js';
import type { SecretBox } from '../src/core/secret-box.js';
import type { Logger } from '../src/logger.js';
import type { Mailer } from '../src/mail/mailer.js';
import { connectRedis } from '../src/redis.js';
import { createEmailWorker } from './email.worker.js';
import { Queue } from 'bullmq';
import { scheduleApprovalExpiry } from './approval-expiry.js';
import { createLockExpiryWorker, type LockExpiryWorkerOptions } from './lock-expiry.worker.js';
import { createNotifyWorker, type NotifyPort } from './notify.worker.js';
import { QUEUE_NAMES, type NotifyJobData } from './queues.js';

export { createBullEffects, type BullEffectsOptions } from './effects.js';
export { createQueues, QUEUE_NAMES, type Queues } from './queues.js';
export { createEmailWorker } from './email.worker.js';
export { createLockExpiryWorker, type LockExpiryOutcome } from './lock-expiry.worker.js';
export { createNotifyWorker, notifyProcessor, type NoticeOutcome, type NotifyPort } from './notify.worker.js';
export { scheduleApprovalExpiry, APPROVAL_EXPIRY_SCHEDULER } from './approval-expiry.js';

export interface StartWorkersOptions {
  config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'mailFrom' | 'publicUrl'>;
  secretBox: SecretBox;
  /** Owned by the caller: close it after the workers. */
  mailer: Mailer;
  logger: Logger;
  clock: Clock;
  onExpire: LockExpiryWorkerOptions['onExpire'];
  emailConcurrency?: number;
  /**
   * The Slack side of notices (DMs, ticket cards). Only when Slack is on: then the notify
   * worker runs and the approval-expiry tick is scheduled.
   */
  notify?: NotifyPort;
}

export interface RunningWorkers {
  /** Stops taking jobs, waits for the running ones to finish, then closes the connection. */
  close(): Promise<void>;
}

export async function startWorkers(opts: StartWorkersOptions): Promise<RunningWorkers> {
  const connection = connectRedis(opts.config.redisUrl, { connectionName: 'keydesk-workers' });
  const started: { close(): Promise<void> }[] = [];
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
    });
    started.push(email);
    const lockExpiry = createLockExpiryWorker({
      connection,
      prefix: opts.config.queuePrefix,
      logger: opts.logger,
      onExpire: opts.onExpire,
      clock: opts.clock,
    });
    started.push(lockExpiry);
    const notify = opts.notify
      ? createNotifyWorker({ connection, prefix: opts.config.queuePrefix, logger: opts.logger, port: opts.notify })
      : null;
    if (notify) started.push(notify);
    await Promise.all([email.waitUntilReady(), lockExpiry.waitUntilReady(), notify?.waitUntilReady()]);
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
          await Promise.all([email.close(), lockExpiry.close(), notify?.close()]);
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
