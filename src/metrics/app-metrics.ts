// keydesk's Prometheus metrics, on prom-client: one Registry per app instance (tests start
// several apps in one process, and the global default registry would mix their counts or
// refuse a second metric of the same name). Every name starts with `keydesk_`.
// Counters are pushed by the layers through small ports each layer defines (CoreMetrics,
// HttpMetrics, EmailMetrics, SlackCallMetrics); gauges of state that lives elsewhere (pending
// approvals in the store, queue lengths in Redis, the hashing line) are read at scrape time.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UnlockHow } from '../core/effects.js';
import type { CoreMetrics } from '../core/metrics.js';
import type { AttemptResult } from '../core/types.js';

/** What the scrape reads from elsewhere. Each source is given a deadline: a scrape never hangs on Redis or the store. */
export interface MetricSources {
  /** Open or claimed approvals, by ticket kind. */
  pendingApprovals(): Promise<Record<string, number>>;
  /** Jobs by queue, then by state (waiting, active, failed, delayed). */
  queueJobs(): Promise<Record<string, Record<string, number>>>;
  /** The hashing line: waiting for a slot, and running. */
  hashLine(): { waiting: number; running: number };
}

const SOURCE_TIMEOUT_MS = 2000;

/** The methods a label may name; anything else (a hostile or exotic verb) counts as `other`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('metric source timed out')), SOURCE_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

export class AppMetrics implements CoreMetrics {
  readonly registry = new Registry();
  private sources: MetricSources | null = null;
  private defaultsOn = false;

  private readonly httpDuration = new Histogram({
    name: 'keydesk_http_request_duration_seconds',
    help: 'HTTP requests by route pattern (never the raw path: it may hold a token), method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'keydesk_logins_total',
    help: 'Sign-ins (auth API and /login page) by how they ended',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly locks = new Counter({ name: 'keydesk_account_locks_total', help: 'Accounts locked by too many failures', registers: [this.registry] });
  private readonly unlocks = new Counter({
    name: 'keydesk_account_unlocks_total',
    help: 'Locks ended, by how (expired, unlock by an admin, password_reset)',
    labelNames: ['how'] as const,
    registers: [this.registry],
  });
  private readonly emailsSent = new Counter({
    name: 'keydesk_emails_sent_total',
    help: 'Emails accepted by the mailer, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly emailsFailed = new Counter({
    name: 'keydesk_emails_failed_total',
    help: 'Email send attempts that failed, by kind, and whether it was the last attempt (final="true") or will be retried',
    labelNames: ['kind', 'final'] as const,
    registers: [this.registry],
  });
  private readonly slackCalls = new Counter({
    name: 'keydesk_slack_api_calls_total',
    help: 'HTTP requests to the Slack Web API (each retry counts), by method and HTTP status ("error": no answer)',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly slackRateLimited = new Counter({
    name: 'keydesk_slack_api_rate_limited_total',
    help: 'Slack Web API answers 429 (rate limited), by method',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });

  constructor() {
    const sources = () => this.sources;
    new Gauge({
      name: 'keydesk_pending_approvals',
      help: 'Approvals (unlock, MFA reset, access key, manual verification) open or claimed, by kind; read from the store at scrape',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const s = sources();
        if (!s) return;
        const counts = await withDeadline(s.pendingApprovals()).catch(() => null);
        for (const [kind, n] of Object.entries(counts ?? {})) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'keydesk_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, active, failed, delayed); read from Redis at scrape',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const s = sources();
        if (!s) return;
        const queues = await withDeadline(s.queueJobs()).catch(() => null);
        for (const [queue, states] of Object.entries(queues ?? {})) {
          for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
        }
      },
    });
    new Gauge({
      name: 'keydesk_hash_queue_length',
      help: 'Password hashes waiting for a slot in the hashing line (past HASH_QUEUE_LIMIT the auth API answers busy)',
      registers: [this.registry],
      collect() {
        this.set(sources()?.hashLine().waiting ?? 0);
      },
    });
    new Gauge({
      name: 'keydesk_hash_running',
      help: 'Password hashes running now (at most HASH_CONCURRENCY)',
      registers: [this.registry],
      collect() {
        this.set(sources()?.hashLine().running ?? 0);
      },
    });
  }

  /** Where the scrape-time gauges read from (the composition root knows the store, queues and hasher). */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  /**
   * Node's process metrics too (memory, CPU, event loop lag, GC), under the same prefix.
   * Only when /metrics is served: they install observers that live as long as the process.
   */
  withProcessMetrics(): void {
    if (this.defaultsOn) return;
    this.defaultsOn = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'keydesk_' });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  // CoreMetrics
  loginEnded(result: AttemptResult): void {
    this.logins.inc({ result });
  }
  accountLocked(): void {
    this.locks.inc();
  }
  accountUnlocked(how: UnlockHow): void {
    this.unlocks.inc({ how });
  }

  // HttpMetrics (src/web/http.ts)
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method: METHODS.has(method) ? method : 'other', status: String(status) }, seconds);
  }

  // EmailMetrics (jobs/email.worker.ts)
  emailSent(kind: string): void {
    this.emailsSent.inc({ kind });
  }
  emailFailed(kind: string, final: boolean): void {
    this.emailsFailed.inc({ kind, final: String(final) });
  }

  // SlackCallMetrics (src/slack/counting-fetch.ts)
  slackCall(method: string, status: number | 'error'): void {
    this.slackCalls.inc({ method, status: String(status) });
    if (status === 429) this.slackRateLimited.inc({ method });
  }
}
