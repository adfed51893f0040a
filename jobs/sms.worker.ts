// Sends the SMS codes the core asked for, through the transport SMS_URL chose (outbox or
// webhook). Shaped like the email worker: a payload that doesn't parse, a seal that
// doesn't open or a gateway that refuses the request itself won't get better on retry
// (UnrecoverableError); anything else (the gateway down, a timeout) is retried with backoff.
// The code and the number are never logged: only the job and account ids.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../src/redis.js';
import type { SecretBox } from '../src/core/secret-box.js';
import { translate } from '../src/i18n/index.js';
import type { Logger } from '../src/logger.js';
import { SmsRefused, type SmsTransport } from '../src/sms/index.js';
import { assertWorkerConnection, describeIssues } from './connection.js';
import { QUEUE_NAMES, smsJobSchema, smsSealContext, type SmsJobData } from './queues.js';
import { shortError } from './email.worker.js';

export interface SmsWorkerOptions {
  /** Needs maxRetriesPerRequest: null. The caller owns it and closes it after the worker. */
  connection: Redis;
  prefix: string;
  secretBox: SecretBox;
  transport: SmsTransport;
  logger: Logger;
  concurrency?: number;
}

export type SmsWorker = Worker<SmsJobData, void, string>;

/** The one line an SMS code says, in the account's language. */
export function smsText(locale: SmsJobData['locale'], code: string): string {
  return translate(locale, 'mail.sms.code', { code });
}

export function createSmsWorker(opts: SmsWorkerOptions): SmsWorker {
  assertWorkerConnection(opts.connection);
  const log = opts.logger.child({ queue: QUEUE_NAMES.sms });

  const processor = async (job: Job<SmsJobData, void, string>): Promise<void> => {
    const parsed = smsJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`sms job payload is invalid: ${describeIssues(parsed.error.issues)}`);
    const data = parsed.data;
    if (!job.id) throw new UnrecoverableError('sms job has no id');
    let code: string;
    try {
      code = opts.secretBox.open(data.sealedCode, smsSealContext(data.accountId, data.to));
    } catch {
      throw new UnrecoverableError('sms job code does not open (moved, tampered or unknown key)');
    }
    try {
      await opts.transport.send({ id: job.id, to: data.to, text: smsText(data.locale, code) });
    } catch (err) {
      if (err instanceof SmsRefused) throw new UnrecoverableError(err.message);
      throw new Error(shortError((err as Error).message));
    }
    log.info({ jobId: job.id, accountId: data.accountId, attempt: job.attemptsMade + 1 }, 'sms sent');
  };

  const worker: SmsWorker = new Worker<SmsJobData, void, string>(QUEUE_NAMES.sms, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 4,
  });
  worker.on('failed', (job, err) => {
    const final = err instanceof UnrecoverableError || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, accountId: job?.data.accountId, attemptsMade: job?.attemptsMade, err: shortError(err.message) },
      final ? 'sms failed for good' : 'sms failed; will retry',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'sms worker error'));
  return worker;
}
