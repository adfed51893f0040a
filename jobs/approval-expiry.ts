// The tick that expires approvals nobody decided in time: one job scheduler on the notify
// queue (BullMQ 6 has no repeatable jobs). Upserting is idempotent, so every process that
// runs workers may do it at start; the scheduler id keeps it to one tick a minute overall.
import type { Queue } from 'bullmq';
import type { NotifyJobData } from './queues.js';

export const APPROVAL_EXPIRY_SCHEDULER = 'expire-approvals';
export const APPROVAL_EXPIRY_EVERY_MS = 60_000;

export async function scheduleApprovalExpiry(queue: Queue<NotifyJobData, unknown, string>, everyMs = APPROVAL_EXPIRY_EVERY_MS): Promise<void> {
  await queue.upsertJobScheduler(
    APPROVAL_EXPIRY_SCHEDULER,
    { every: everyMs },
    {
      name: 'expire_approvals',
      data: { kind: 'expire_approvals' },
      // A failed tick is not retried: the next one comes a minute later anyway.
      opts: { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600, count: 100 } },
    },
  );
}
