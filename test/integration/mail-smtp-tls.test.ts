// Mail in transit: an smtp:// SMTP_URL must upgrade with STARTTLS unless SMTP_TLS=off.
// Email job → worker → the real SMTP mailer (built from the Config, as the app builds it)
// → a real SMTP sink, with STARTTLS on a self-signed certificate made for this test, or
// without STARTTLS. Only this test trusts that certificate (createMailer's test option).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullEffects } from '../../jobs/effects.js';
import { createEmailWorker, type EmailWorker } from '../../jobs/email.worker.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import type { Config } from '../../src/config.js';
import type { CoreEffects } from '../../src/core/effects.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { createMailer, type Mailer } from '../../src/mail/index.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { testConfig, TEST_SECRETS_KEY } from '../support/config.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { makeTestCertificate, type TestCertificate } from '../support/test-certificate.js';
import { waitFor } from '../support/wait.js';

const LINK = 'https://keydesk.test/reset/tls-test-SECRET-token';
const ATTEMPTS = 3;

describe('email over SMTP and TLS', () => {
  let cert: TestCertificate;
  let sink: SmtpSink | undefined;
  let config: Config;
  let connection: Redis;
  let workerConnection: Redis;
  let queues: Queues;
  let effects: CoreEffects;
  let mailer: Mailer | undefined;
  let worker: EmailWorker | undefined;
  const secretBox = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));

  beforeEach(async () => {
    cert = makeTestCertificate();
    config = testConfig({ PUBLIC_URL: 'https://keydesk.test' });
    connection = connectRedis(config.redisUrl);
    workerConnection = connectRedis(config.redisUrl);
    queues = createQueues({ connection, prefix: config.queuePrefix });
    effects = createBullEffects(queues, secretBox, { emailAttempts: ATTEMPTS, emailBackoffMs: 20 });
    await queues.email.waitUntilReady();
  });

  afterEach(async () => {
    await worker?.close();
    await mailer?.close();
    worker = undefined;
    mailer = undefined;
    await queues.close();
    await Promise.all([connection.quit(), workerConnection.quit()]);
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    await sink?.close();
    sink = undefined;
  });

  /** Starts the email worker with the mailer the app would build from SMTP_URL and SMTP_TLS. */
  function startWorker(env: Record<string, string>, trustedCa?: string): void {
    const mailConfig = testConfig({ ...env, QUEUE_PREFIX: config.queuePrefix });
    const logger = createLogger('silent');
    mailer = createMailer(mailConfig, logger, trustedCa === undefined ? {} : { trustedCa });
    worker = createEmailWorker({
      connection: workerConnection,
      prefix: config.queuePrefix,
      secretBox,
      mailer,
      from: mailConfig.mailFrom,
      publicUrl: mailConfig.publicUrl,
      logger,
    });
  }

  /** The job's state once it stops moving: completed (sent) or failed (attempts used up). */
  const settled = (jobId: string) =>
    waitFor(async () => {
      const state = await queues.email.getJobState(jobId);
      return (state === 'completed' || state === 'failed') && state;
    }, 10_000);

  const sendResetLink = () =>
    effects.sendEmail({ kind: 'reset_link', accountId: 'acc-tls', to: 'ada@example.com', locale: 'en', secret: LINK });

  it('upgrades an smtp:// URL with STARTTLS when the server offers it (SMTP_TLS unset)', async () => {
    sink = await startSmtpSink({ tls: cert });
    startWorker({ SMTP_URL: sink.url }, cert.cert);
    await sendResetLink();
    const [mail] = await sink.waitFor(1);
    expect(mail).toMatchObject({ to: ['ada@example.com'], secure: true });
    expect(mail!.text).toContain(LINK);
    expect(sink.envelopes).toEqual([{ from: 'keydesk@localhost', secure: true }]);
  });

  it('refuses to send in clear to an smtp:// server without STARTTLS: retried, then failed, nothing delivered', async () => {
    sink = await startSmtpSink();
    startWorker({ SMTP_URL: sink.url });
    await sendResetLink();
    const [job] = await queues.email.getJobs(['waiting', 'active', 'delayed', 'failed']);
    expect(await settled(job!.id!)).toBe('failed');
    const failed = (await queues.email.getJob(job!.id!))!;
    // An infrastructure error: every attempt was used (an UnrecoverableError stops at one).
    expect(failed.attemptsMade).toBe(ATTEMPTS);
    expect(failed.failedReason).toMatch(/STARTTLS/);
    expect(sink.messages).toHaveLength(0);
    expect(sink.envelopes).toHaveLength(0);
  });

  it('sends in clear to a server without STARTTLS when SMTP_TLS=off', async () => {
    sink = await startSmtpSink();
    startWorker({ SMTP_URL: sink.url, SMTP_TLS: 'off' });
    await sendResetLink();
    const [mail] = await sink.waitFor(1);
    expect(mail).toMatchObject({ to: ['ada@example.com'], secure: false });
  });

  it('verifies the certificate: an untrusted one fails the send, it never falls back to clear', async () => {
    sink = await startSmtpSink({ tls: cert });
    startWorker({ SMTP_URL: sink.url });
    await sendResetLink();
    const [job] = await queues.email.getJobs(['waiting', 'active', 'delayed', 'failed']);
    expect(await settled(job!.id!)).toBe('failed');
    expect((await queues.email.getJob(job!.id!))!.attemptsMade).toBe(ATTEMPTS);
    expect(sink.messages).toHaveLength(0);
    expect(sink.envelopes).toHaveLength(0);
  });
});
