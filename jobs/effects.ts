// CoreEffects on BullMQ: the core asks for an email, a lock expiry or a Slack notice, this
// turns the ask into a job. Nothing secret goes into a job in clear: the secret is sealed first.
import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { systemClock, type Clock } from '../src/core/clock.js';
import type { CoreEffects, EmailKind, EmailRequest, NotifyEvent, SmsRequest } from '../src/core/effects.js';
import type { SecretBox } from '../src/core/secret-box.js';
import { KINDS_WITH_SECRET } from '../src/mail/render-email.js';
import {
  emailJobSchema,
  emailSealContext,
  lockExpiryJobId,
  lockExpiryJobSchema,
  NOTICE_BATCH_MAX,
  notifyJobSchema,
  smsJobSchema,
  smsSealContext,
  type EmailJobData,
  type Queues,
} from './queues.js';

export interface BullEffectsOptions {
  clock?: Clock;
  /** Email delivery attempts (default 10). */
  emailAttempts?: number;
  /**
   * First retry delay in ms (default 7 s); exponential backoff doubles it each time, so
   * 10 attempts span 7 s × (2⁹ − 1) ≈ 60 minutes.
   */
  emailBackoffMs?: number;
  /** SMS delivery attempts (default 5) and first retry delay (default 7 s, doubling). */
  smsAttempts?: number;
  smsBackoffMs?: number;
  /**
   * Queue Slack notices (default true). False when Slack is off: no notify worker runs
   * then, and jobs nobody will take would only pile up in Redis.
   */
  notify?: boolean;
}

/** Which kinds exist to carry a link or temporary password (and must have one). */
export function emailCarriesSecret(kind: EmailKind): boolean {
  return KINDS_WITH_SECRET.has(kind);
}

export function createBullEffects(queues: Queues, secretBox: SecretBox, opts: BullEffectsOptions = {}): CoreEffects {
  const clock = opts.clock ?? systemClock;
  const emailJobOptions: JobsOptions = {
    attempts: opts.emailAttempts ?? 10,
    backoff: { type: 'exponential', delay: opts.emailBackoffMs ?? 7_000, jitter: 0.2 },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };

  // A rate-limited Slack call is retried with backoff (5 s, 10 s, 20 s … about 10 minutes
  // in all); past that the notice is stale anyway.
  const notifyJobOptions: JobsOptions = {
    attempts: 8,
    backoff: { type: 'exponential', delay: 5_000, jitter: 0.2 },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };

  const smsJobOptions: JobsOptions = {
    attempts: opts.smsAttempts ?? 5,
    backoff: { type: 'exponential', delay: opts.smsBackoffMs ?? 7_000, jitter: 0.2 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 24 * 3600 },
  };

  return {
    async sendEmail(request: EmailRequest): Promise<void> {
      const carries = emailCarriesSecret(request.kind);
      if (carries && !request.secret) throw new Error(`a ${request.kind} email needs its secret`);
      if (!carries && request.secret !== undefined) throw new Error(`a ${request.kind} email carries no secret`);
      const data: EmailJobData = emailJobSchema.parse({
        kind: request.kind,
        accountId: request.accountId,
        to: request.to,
        locale: request.locale,
        sealedSecret:
          request.secret === undefined
            ? undefined
            : secretBox.seal(request.secret, emailSealContext(request.kind, request.accountId, request.to)),
        facts: request.facts,
      } satisfies Record<keyof EmailJobData, unknown>);
      // A random id (not Redis's counter) so the Message-ID derived from it stays unique
      // even if Redis is ever emptied and its counters restart.
      await queues.email.add(request.kind, data, { ...emailJobOptions, jobId: randomUUID() });
    },

    async sendSms(request: SmsRequest): Promise<void> {
      const data = smsJobSchema.parse({
        accountId: request.accountId,
        to: request.to,
        locale: request.locale,
        sealedCode: secretBox.seal(request.code, smsSealContext(request.accountId, request.to)),
      });
      // Retried like an email; a code lives 10 minutes, so 5 tries over about 2 minutes.
      await queues.sms.add('code', data, { ...smsJobOptions, jobId: randomUUID() });
    },

    async scheduleLockExpiry(accountId: string, lockedUntil: number): Promise<void> {
      const data = lockExpiryJobSchema.parse({ accountId, lockedUntil });
      await queues.lockExpiry.add('expire', data, {
        jobId: lockExpiryJobId(accountId, lockedUntil),
        delay: Math.max(0, lockedUntil - clock.now()),
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },

    async notify(...events: NotifyEvent[]): Promise<void> {
      if (opts.notify === false || events.length === 0) return;
      if (events.length === 1) {
        await queues.notify.add(events[0]!.kind, notifyJobSchema.parse(events[0]), notifyJobOptions);
        return;
      }
      // Many at once (a lock-expiry sweep): a job per NOTICE_BATCH_MAX, all added in one
      // round trip. A job's own work in Redis costs about as much as the DM it carries.
      const jobs = [];
      for (let i = 0; i < events.length; i += NOTICE_BATCH_MAX) {
        const data = notifyJobSchema.parse({ kind: 'batch', notices: events.slice(i, i + NOTICE_BATCH_MAX) });
        jobs.push({ name: 'batch', data, opts: notifyJobOptions });
      }
      await queues.notify.addBulk(jobs);
    },

    async resendEmail(emailId: string): Promise<boolean> {
      const job = await queues.email.getJob(emailId);
      if (!job || !(await job.isFailed())) return false;
      try {
        // A fresh round of attempts: the failure may have been a long outage now over.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      } catch {
        return false; // moved on meanwhile (removed, or retried by another click)
      }
    },

    async cancelLockExpiry(accountId: string, lockedUntil: number): Promise<void> {
      // Removes the delayed job (also one that fired early and went back to wait: it keeps
      // its id). A job running right now is locked and stays (remove returns 0): harmless,
      // since the core re-checks locked_until before it clears anything.
      await queues.lockExpiry.remove(lockExpiryJobId(accountId, lockedUntil));
    },
  };
}
