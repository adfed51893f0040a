// Helpers for tests of the notify queue: wait until the worker has taken every job it
// was given, and run the approval-expiry tick now instead of in a minute.
import type { Job } from 'bullmq';
import type { NotifyQueue } from '../../jobs/queues.js';

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once no notify job waits or runs (the scheduler's delayed tick aside). */
export async function notifyIdle(queue: NotifyQueue): Promise<void> {
  await until(async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'prioritized');
    return (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0;
  }, 'the notify queue to drain');
}

/** Promotes the scheduler's next approval-expiry tick and waits until the worker ran it. */
export async function runApprovalExpiryTick(queue: NotifyQueue): Promise<void> {
  let tick: Job | undefined;
  await until(async () => {
    tick = (await queue.getDelayed()).find((j) => j.name === 'expire_approvals');
    return tick !== undefined;
  }, 'the scheduled approval-expiry tick');
  await tick!.promote();
  const id = tick!.id!;
  await until(async () => !['waiting', 'active', 'delayed', 'prioritized'].includes(await queue.getJobState(id)), 'the tick to run');
}

/** The notify jobs the worker finished, oldest first, with what each returned. */
export async function completedNotices(queue: NotifyQueue): Promise<{ kind: string; accountId?: string; outcome: unknown }[]> {
  const jobs = await queue.getCompleted(0, 1000);
  return jobs
    .sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0))
    .map((j) => ({ kind: j.data.kind, ...('accountId' in j.data ? { accountId: j.data.accountId } : {}), outcome: j.returnvalue }));
}
