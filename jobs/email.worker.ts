// Sends the emails the core asked for. A payload that doesn't parse, a seal that doesn't
// open or a template that can't render won't get better on retry: UnrecoverableError.
// Anything else (the mailer, Redis) is rethrown and retried with backoff.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../src/redis.js';
import type { CoreDeps } from '../src/core/deps.js';
import { maskEmail } from '../src/core/identity.js';
import type { SecretBox } from '../src/core/secret-box.js';
import { recordEmailFailure, type EmailFailure } from '../src/core/email-failures.js';
import type { EmailKind } from '../src/core/effects.js';
import type { Logger } from '../src/logger.js';
import type { Mailer } from '../src/mail/mailer.js';
import { renderEmail, type RenderedEmail } from '../src/mail/render-email.js';
import { outageLog } from '../src/outage-log.js';
import { assertWorkerConnection, describeIssues, lockSettings, type JobLockOptions } from './connection.js';
import { emailJobSchema, emailMessageId, emailSealContext, QUEUE_NAMES, type EmailJobData } from './queues.js';

export interface EmailWorkerOptions extends JobLockOptions {
  /** Needs maxRetriesPerRequest: null. The caller owns it and closes it after the worker. */
  connection: Redis;
  prefix: string;
  secretBox: SecretBox;
  mailer: Mailer;
  /** The From header (MAIL_FROM). */
  from: string;
  publicUrl: string;
  logger: Logger;
  /**
   * Default 16: a send mostly waits (on the SMTP pool, on Redis), so more jobs in hand than
   * pooled connections keeps every connection busy; the pool queues the rest.
   */
  concurrency?: number;
  /**
   * Called once when an email fails for good (attempts used up, or unrecoverable), with a
   * one-line detail that names the kind, the masked address and a short error — never the
   * link or password. Errors it throws are logged, not retried.
   */
  onPermanentFailure?: OnPermanentFailure;
  /** Counts sends and failures (/metrics). */
  metrics?: EmailMetrics;
}

/** What the email worker counts; src/metrics/ keeps the counts. */
export interface EmailMetrics {
  emailSent(kind: EmailKind): void;
  /** `final`: the job failed for good (attempts used up, or unrecoverable); else it will be retried. */
  emailFailed(kind: EmailKind | 'invalid', final: boolean): void;
}

export type OnPermanentFailure = (failure: EmailFailure) => Promise<unknown>;

/** An error as one short line: links taken out, addresses masked. */
export function shortError(message: string): string {
  const line = message
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[link]')
    .replace(/[^\s@<>(),;:"']+@[^\s@<>(),;:"']+/g, (address) => maskEmail(address))
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line || 'unknown error';
}

export function emailFailureDetail(kind: string, to: string, message: string): string {
  return `${kind} email to ${maskEmail(to)} failed: ${shortError(message)}`;
}

/** The production onPermanentFailure: filed on the account's open `email_failure` ticket, or a new one. */
export function emailFailureTicket(deps: CoreDeps): OnPermanentFailure {
  return async (failure) => {
    const opened = await recordEmailFailure(deps, failure);
    // Its card goes to the helpdesk channel like any ticket's.
    if (opened.created) await deps.effects.notify({ kind: 'ticket_opened', ticketId: opened.ticket.id });
    return opened;
  };
}

export type EmailWorker = Worker<EmailJobData, void, string>;

export function createEmailWorker(opts: EmailWorkerOptions): EmailWorker {
  assertWorkerConnection(opts.connection);
  const log = opts.logger.child({ queue: QUEUE_NAMES.email });

  const processor = async (job: Job<EmailJobData, void, string>): Promise<void> => {
    const parsed = emailJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`email job payload is invalid: ${describeIssues(parsed.error.issues)}`);
    }
    const data = parsed.data;
    if (!job.id) throw new UnrecoverableError('email job has no id');

    let secret: string | undefined;
    if (data.sealedSecret !== undefined) {
      try {
        secret = opts.secretBox.open(data.sealedSecret, emailSealContext(data.kind, data.accountId, data.to));
      } catch {
        throw new UnrecoverableError('email job secret does not open (moved, tampered or unknown key)');
      }
    }

    let rendered: RenderedEmail;
    try {
      rendered = renderEmail(data.kind, data.locale, { secret, facts: data.facts, publicUrl: opts.publicUrl });
    } catch (err) {
      throw new UnrecoverableError(`email job cannot be rendered: ${(err as Error).message}`);
    }

    await opts.mailer.send({
      messageId: emailMessageId(job.id, opts.from),
      from: opts.from,
      to: data.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    });
    opts.metrics?.emailSent(data.kind);
    log.info({ jobId: job.id, kind: data.kind, accountId: data.accountId, attempt: job.attemptsMade + 1 }, 'email sent');
  };

  const worker: EmailWorker = new Worker<EmailJobData, void, string>(QUEUE_NAMES.email, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 16,
    ...lockSettings(opts),
  });
  worker.on('failed', (job, err) => {
    const final = err instanceof UnrecoverableError || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, kind: job?.data.kind, accountId: job?.data.accountId, attemptsMade: job?.attemptsMade, err: err.message },
      final ? 'email failed for good' : 'email failed; will retry',
    );
    const parsed = emailJobSchema.safeParse(job?.data);
    opts.metrics?.emailFailed(parsed.success ? parsed.data.kind : 'invalid', final);
    if (!final || !job || !opts.onPermanentFailure) return;
    if (!parsed.success) return; // no account to tell about a payload that never parsed
    const { accountId, kind, to } = parsed.data;
    opts.onPermanentFailure({ accountId, kind, detail: emailFailureDetail(kind, to, err.message), emailId: job.id ?? '' }).catch((e: unknown) => {
      log.error({ jobId: job.id, accountId, err: (e as Error).message }, 'could not record the email failure');
    });
  });
  // Redis down: one line per outage, not one per reconnect attempt.
  worker.on('error', outageLog(log, 'email worker error'));
  return worker;
}
