// Where the scrape-time gauges read from: the store (pending approvals), Redis (each
// queue's jobs by state) and the hasher (its line). Wired by src/app.ts.
import type { Queues } from '../../jobs/index.js';
import type { Hasher } from '../core/hashing.js';
import { APPROVAL_KINDS } from '../core/ticket-status.js';
import type { Store } from '../store/db.js';
import { countPendingByKind } from '../store/tickets.js';
import type { AppMetrics } from './app-metrics.js';

const JOB_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

export function watchApp(metrics: AppMetrics, app: { db: Store; queues: Queues; hasher: Hasher }): void {
  const { email, lockExpiry, notify, sms } = app.queues;
  metrics.watch({
    pendingApprovals: () => countPendingByKind(app.db, APPROVAL_KINDS),
    async queueJobs() {
      const entries = await Promise.all(
        [email, lockExpiry, notify, sms].map(async (queue) => [queue.name, await queue.getJobCounts(...JOB_STATES)] as const),
      );
      return Object.fromEntries(entries);
    },
    hashLine: () => ({ waiting: app.hasher.pending, running: app.hasher.running }),
  });
}
