// The SMTP mailer end to end: core → email job → worker → nodemailer pool → a real SMTP
// server (test/support/smtp-sink.ts), on the suite's Redis and an SQLite store. The sink
// offers no STARTTLS here, so these run with SMTP_TLS=off; TLS is mail-smtp-tls.test.ts's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_SECRETS_KEY } from '../support/config.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait.js';

const PROBE = 'probe@example.com';

/**
 * Sends one more email after a batch and waits for the sink to receive it: the known later
 * event that stands for "nothing else is coming" (instead of a fixed sleep), and the
 * batch's messages without it.
 */
async function afterProbe(t: TestApp, sink: SmtpSink) {
  await t.deps.effects.sendEmail({ kind: 'password_changed', accountId: 'acc-probe', to: PROBE, locale: 'en' });
  await sink.waitFor((m) => m.to.includes(PROBE), 10_000);
  return sink.messages.filter((m) => !m.to.includes(PROBE));
}

describe('email over SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeEach(async () => {
    sink = await startSmtpSink();
    t = await startTestApp('sqlite', {
      SMTP_URL: sink.url,
      SMTP_TLS: 'off',
      EMAIL_RETRY_BASE_MS: '50',
      PUBLIC_URL: 'https://keydesk.test',
      MAIL_FROM: 'keydesk <keydesk@example.com>',
    });
  });

  afterEach(async () => {
    await t.stop();
    await sink.close();
  });

  async function jobIds(): Promise<string[]> {
    const jobs = await t.app.queues.email.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    return jobs.map((j) => j.id!);
  }

  async function allCompleted(n: number): Promise<boolean> {
    const counts = await t.app.queues.email.getJobCounts('completed', 'waiting', 'active', 'delayed', 'failed');
    return counts.completed === n;
  }

  function sendPasswordChanged(i: number): Promise<void> {
    return t.deps.effects.sendEmail({ kind: 'password_changed', accountId: `acc-${i}`, to: `user-${i}@example.com`, locale: 'en' });
  }

  it('delivers an activation email with its link and the job’s Message-ID', async () => {
    const created = await createAccount(t.deps, CLI_ACTOR, { displayName: 'Ada Lovelace', email: 'ada@example.com' });
    expect(created.ok).toBe(true);
    const [mail] = await sink.waitFor(1);
    const [jobId] = await jobIds();
    expect(mail).toMatchObject({ messageId: `<email-${jobId}@example.com>`, to: ['ada@example.com'] });
    expect(mail!.subject).toMatch(/^keydesk: /);
    expect(mail!.text).toMatch(/https:\/\/keydesk\.test\/activate\/\S+/);
  });

  it('loses nothing while the SMTP server is down, and sends each email exactly once', async () => {
    await sink.stop();
    const n = 20;
    for (let i = 0; i < n; i++) await sendPasswordChanged(i);

    // Every email has had at least one delivery attempt refused.
    await waitFor(async () => {
      const jobs = await t.app.queues.email.getJobs(['waiting', 'active', 'delayed']);
      return jobs.length === n && jobs.every((j) => j.attemptsMade >= 1);
    }, 10_000);
    expect(sink.messages).toHaveLength(0);

    await sink.start();
    await waitFor(() => allCompleted(n), 15_000);
    const expected = (await jobIds()).map((id) => `<email-${id}@example.com>`);
    const batch = await afterProbe(t, sink); // room for a stray duplicate to show up

    const ids = batch.map((m) => m.messageId);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    expect([...ids].sort()).toEqual(expected.sort());
    expect(new Set(batch.flatMap((m) => m.to)).size).toBe(n);
  });

  it('sends 200 emails and reports the throughput', async () => {
    const n = 200;
    const started = performance.now();
    for (let i = 0; i < n; i++) await sendPasswordChanged(i);
    await sink.waitFor(n, 30_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(`smtp throughput: ${n} emails in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} emails/s`);
    expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(n);
  }, 40_000);
});

describe('email over SMTP with a worker killed mid-batch', () => {
  const env = {
    QUEUE_PREFIX: `{kdtest-${randomBytes(4).toString('hex')}}`,
    SMTP_TLS: 'off',
    EMAIL_RETRY_BASE_MS: '50',
    PUBLIC_URL: 'https://keydesk.test',
    MAIL_FROM: 'keydesk <keydesk@example.com>',
  };
  let sink: SmtpSink;
  let t: TestApp;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    sink = await startSmtpSink({ replyDelayMs: 50 });
    t = await startTestApp('sqlite', { ...env, SMTP_URL: sink.url }, { workers: false });
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await t.stop();
    await sink.close();
  });

  async function startWorkerProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/email-worker-process.ts'], {
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        REDIS_URL: inject('redisUrl'),
        SECRETS_KEY: TEST_SECRETS_KEY,
        SMTP_URL: sink.url,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes('ready') || child.exitCode !== null, 15_000);
    expect(child.exitCode).toBeNull();
    return child;
  }

  it('delivers every email at least once; a duplicate carries the same Message-ID', async () => {
    const n = 60;
    for (let i = 0; i < n; i++) {
      await t.deps.effects.sendEmail({ kind: 'password_changed', accountId: `acc-${i}`, to: `user-${i}@example.com`, locale: 'en' });
    }
    const first = await startWorkerProcess();
    await sink.waitFor(10, 15_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const beforeRestart = sink.messages.length;
    expect(beforeRestart).toBeLessThan(n);

    await startWorkerProcess();
    await waitFor(async () => (await t.app.queues.email.getJobCounts('completed')).completed === n, 20_000);
    const jobs = await t.app.queues.email.getJobs(['completed']);
    const batch = await afterProbe(t, sink);

    const expected = new Set(jobs.map((j) => `<email-${j.id}@example.com>`));
    const received = batch.map((m) => m.messageId);
    expect(new Set(received)).toEqual(expected);
    // One Message-ID per recipient: a resent email is the same email.
    const idByRecipient = new Map<string, Set<string>>();
    for (const m of batch) {
      for (const to of m.to) idByRecipient.set(to, (idByRecipient.get(to) ?? new Set()).add(m.messageId));
    }
    expect(idByRecipient.size).toBe(n);
    expect([...idByRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
    console.log(`killed mid-batch after ${beforeRestart} deliveries: ${received.length} messages for ${n} emails (${received.length - n} duplicates)`);
  }, 60_000);
});
