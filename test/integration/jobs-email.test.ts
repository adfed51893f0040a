// sendEmail → email job → email worker → outbox .eml, on the suite's real Redis and on a Redis Cluster.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { CoreEffects } from '../../src/core/effects.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import type { Mailer, MailMessage } from '../../src/mail/mailer.js';
import { createOutboxMailer, parseOutboxMessage, type OutboxMailer } from '../../src/mail/outbox-mailer.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { createBullEffects } from '../../jobs/effects.js';
import { createEmailWorker, type EmailWorker } from '../../jobs/email.worker.js';
import { createQueues, emailSealContext, type EmailJobData, type Queues } from '../../jobs/queues.js';
import { testConfig, TEST_SECRETS_KEY } from '../support/config.js';
import { waitFor } from '../support/wait.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';

const LINK = 'https://keydesk.test/reset/Zq8-SECRET-TOKEN-4f9c2a7e1b';
const TEMP_PASSWORD = 'tmp-Hunter2-Very-Secret-Pw';


describe.each(REDIS_KINDS)('email jobs on %s Redis', (kind) => {
  const redisUrl = useRedis(kind);
  let config: Config;
  let dataDir: string;
  let connection: Redis;
  let workerConnection: Redis;
  let queues: Queues;
  let secretBox: SecretBox;
  let effects: CoreEffects;
  let outbox: OutboxMailer;
  let worker: EmailWorker | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-jobs-'));
    config = testConfig({ REDIS_URL: redisUrl(), DATA_DIR: dataDir, PUBLIC_URL: 'https://keydesk.test', MAIL_FROM: 'keydesk <keydesk@example.com>' });
    connection = connectRedis(config.redisUrl);
    workerConnection = connectRedis(config.redisUrl);
    queues = createQueues({ connection, prefix: config.queuePrefix });
    secretBox = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));
    effects = createBullEffects(queues, secretBox, { emailBackoffMs: 20 });
    outbox = createOutboxMailer({ dataDir });
    await queues.email.waitUntilReady();
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await Promise.all([queues.email, queues.lockExpiry, queues.notify].map((q) => q.obliterate({ force: true })));
    await queues.close();
    await outbox.close();
    await Promise.all([connection.quit(), workerConnection.quit()]);
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(mailer: Mailer = outbox): EmailWorker {
    worker = createEmailWorker({
      connection: workerConnection,
      prefix: config.queuePrefix,
      secretBox,
      mailer,
      from: config.mailFrom,
      publicUrl: config.publicUrl,
      logger: createLogger('silent'),
    });
    return worker;
  }

  async function onlyJobId(): Promise<string> {
    const jobs = await queues.email.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs).toHaveLength(1);
    return jobs[0]!.id!;
  }

  async function finalState(jobId: string): Promise<string> {
    return waitFor(async () => {
      const state = await queues.email.getJobState(jobId);
      return state === 'completed' || state === 'failed' ? state : undefined;
    });
  }

  function outboxFiles(): string[] {
    try {
      return readdirSync(outbox.dir);
    } catch {
      return [];
    }
  }

  it('stores only a sealed secret in Redis and writes one .eml carrying the link', async () => {
    await effects.sendEmail({
      kind: 'reset_link',
      accountId: 'acc-1',
      to: 'ada@example.com',
      locale: 'en',
      secret: LINK,
      facts: { expiresAt: Date.UTC(2026, 10, 25, 10, 30) },
    });
    const jobId = await onlyJobId();

    // What BullMQ hands back, and what sits in Redis, byte for byte.
    const job = (await queues.email.getJob(jobId))!;
    expect(JSON.stringify(job.data)).not.toContain(LINK);
    expect(JSON.stringify(job.data)).not.toContain('SECRET-TOKEN');
    expect(job.data).toMatchObject({ kind: 'reset_link', accountId: 'acc-1', to: 'ada@example.com', locale: 'en' });
    expect(job.data.sealedSecret).toMatch(/^v1\./);
    const raw = await connection.hgetall(`${config.queuePrefix}:email:${jobId}`);
    expect(Object.keys(raw)).toContain('data');
    const rawText = Object.entries(raw).flat().join('\n');
    expect(rawText).toContain('sealedSecret');
    expect(rawText).not.toContain('SECRET-TOKEN');
    expect(rawText).not.toContain('keydesk.test/reset');

    startWorker();
    expect(await finalState(jobId)).toBe('completed');

    const files = outboxFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z-email-${jobId}@example\\.com\\.eml$`));
    const eml = parseOutboxMessage(readFileSync(path.join(outbox.dir, files[0]!)));
    expect(eml.headers).toMatchObject({
      'message-id': `<email-${jobId}@example.com>`,
      to: 'ada@example.com',
      from: 'keydesk <keydesk@example.com>',
      subject: 'keydesk: Reset your password',
    });
    expect(eml.text).toContain(`\n${LINK}\n`);
    expect(eml.text).toContain('expires on 25 November 2026 at 10:30 UTC.');
  });

  it('seals a temporary password too, and sends in French', async () => {
    await effects.sendEmail({ kind: 'temp_password', accountId: 'acc-2', to: 'bob@example.com', locale: 'fr', secret: TEMP_PASSWORD });
    const jobId = await onlyJobId();
    const raw = await connection.hgetall(`${config.queuePrefix}:email:${jobId}`);
    expect(Object.values(raw).join('\n')).not.toContain('Hunter2');

    startWorker();
    expect(await finalState(jobId)).toBe('completed');
    const [file] = outboxFiles();
    const eml = parseOutboxMessage(readFileSync(path.join(outbox.dir, file!)));
    expect(eml.headers.subject).toBe('keydesk: Votre mot de passe temporaire');
    expect(eml.text).toContain(`\n${TEMP_PASSWORD}\n`);
    expect(eml.text).toContain('Votre mot de passe temporaire est :');
  });

  it('retries a failed send with the same Message-ID, leaving one file', async () => {
    const seen: string[] = [];
    const flaky: Mailer = {
      async send(msg: MailMessage) {
        seen.push(msg.messageId);
        await outbox.send(msg); // delivered, but the acknowledgement is "lost"
        if (seen.length === 1) throw new Error('SMTP connection reset');
      },
      close: () => Promise.resolve(),
    };
    await effects.sendEmail({ kind: 'activation', accountId: 'acc-3', to: 'cy@example.com', locale: 'en', secret: LINK });
    const jobId = await onlyJobId();
    startWorker(flaky);
    expect(await finalState(jobId)).toBe('completed');

    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(`<email-${jobId}@example.com>`);
    expect(seen[1]).toBe(seen[0]);
    const job = (await queues.email.getJob(jobId))!;
    expect(job.attemptsMade).toBe(2);
    expect(outboxFiles()).toHaveLength(1);
  });

  it('fails a payload that does not parse at once, without retrying', async () => {
    const job = await queues.email.add('bogus', { kind: 'nonsense', to: 'not-an-address' } as unknown as EmailJobData, {
      attempts: 5,
      backoff: { type: 'fixed', delay: 10 },
    });
    const sent: MailMessage[] = [];
    startWorker({ send: (m) => Promise.resolve(void sent.push(m)), close: () => Promise.resolve() });
    expect(await finalState(job.id!)).toBe('failed');
    const failed = (await queues.email.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/payload is invalid/);
    expect(sent).toHaveLength(0);
  });

  it('refuses a sealed secret moved to another account or address', async () => {
    const sealed = secretBox.seal(LINK, emailSealContext('reset_link', 'acc-victim', 'victim@example.com'));
    const moved: EmailJobData = { kind: 'reset_link', accountId: 'acc-victim', to: 'attacker@example.com', locale: 'en', sealedSecret: sealed };
    const job = await queues.email.add('reset_link', moved, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    startWorker();
    expect(await finalState(job.id!)).toBe('failed');
    const failed = (await queues.email.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/does not open/);
    expect(outboxFiles()).toHaveLength(0);
  });

  it('refuses at enqueue a secret-carrying email without its secret, and a secret on one that carries none', async () => {
    await expect(effects.sendEmail({ kind: 'reset_link', accountId: 'a', to: 'a@example.com', locale: 'en' })).rejects.toThrow(/needs its secret/);
    await expect(
      effects.sendEmail({ kind: 'password_changed', accountId: 'a', to: 'a@example.com', locale: 'en', secret: 'x' }),
    ).rejects.toThrow(/carries no secret/);
    expect(await queues.email.count()).toBe(0);
  });
});
