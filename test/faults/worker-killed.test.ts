// A worker process (`src/main.ts --worker-only`) killed with SIGKILL in the middle of an
// email job: the job runs again on another worker once its lock lapses. Killed after the
// message went out (the SMTP sink holds its 250 answer), the email arrives at least once
// and every copy carries the job's one Message-ID; killed before anything was sent (the
// sink holds its greeting), it arrives exactly once.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const PROBE = 'probe@example.com';

describe('a worker killed with SIGKILL mid-job', () => {
  const env = {
    QUEUE_PREFIX: `{kdtest-kill-${randomBytes(4).toString('hex')}}`,
    SMTP_TLS: 'off',
    EMAIL_RETRY_BASE_MS: '50',
    PUBLIC_URL: 'https://keydesk.test',
    MAIL_FROM: 'keydesk <keydesk@example.com>',
  };
  let sink: SmtpSink;
  let t: TestApp;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp('sqlite', { ...env, SMTP_URL: sink.url }, { workers: false });
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    // Each test leaves its queue empty for the next.
    await t.app.queues.email.obliterate({ force: true });
    sink.messages.length = 0;
  });

  afterAll(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await t?.stop();
    await sink?.close();
  });

  async function worker(): Promise<WorkerProcess> {
    const w = await startWorkerProcess({ ...env, SMTP_URL: sink.url, REDIS_URL: inject('redisUrl'), DATA_DIR: t.store.dataDir });
    workers.push(w);
    return w;
  }

  async function sendOne(to: string): Promise<string> {
    await t.deps.effects.sendEmail({ kind: 'password_changed', accountId: 'acc-1', to, locale: 'en' });
    const jobs = await t.app.queues.email.getJobs(['waiting', 'delayed', 'active']);
    const job = jobs.find((j) => j.data.to === to);
    return job!.id!;
  }

  /** One more email behind the first, received: nothing else is on its way. */
  async function afterProbe() {
    await t.deps.effects.sendEmail({ kind: 'password_changed', accountId: 'acc-probe', to: PROBE, locale: 'en' });
    await sink.waitFor((m) => m.to.includes(PROBE), 30_000);
    return sink.messages.filter((m) => !m.to.includes(PROBE));
  }

  it('after the message went out: delivered at least once, every copy with the same Message-ID', async () => {
    const held = sink.hold('data');
    const jobId = await sendOne('ada@example.com');
    const first = await worker();
    await held.reached; // the whole message is at the server; its 250 is not
    await first.kill('SIGKILL');
    held.release();
    expect(sink.messages).toHaveLength(1);
    expect(await t.app.queues.email.getJobState(jobId)).toBe('active'); // locked by a dead worker

    await worker();
    await waitFor(async () => (await t.app.queues.email.getJobState(jobId)) === 'completed', 30_000);
    const copies = await afterProbe();
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBe(2); // the one the dead worker sent, and the re-run
    expect(new Set(copies.map((m) => m.messageId))).toEqual(new Set([`<email-${jobId}@example.com>`]));
    expect(copies.every((m) => m.to.join() === 'ada@example.com')).toBe(true);
  }, 60_000);

  it('before anything was sent: delivered exactly once', async () => {
    const held = sink.hold('connect');
    const jobId = await sendOne('grace@example.com');
    const first = await worker();
    await held.reached; // connected, waiting for the greeting: no message sent yet
    await first.kill('SIGKILL');
    held.release();
    expect(sink.messages).toHaveLength(0);

    await worker();
    await waitFor(async () => (await t.app.queues.email.getJobState(jobId)) === 'completed', 30_000);
    const copies = await afterProbe();
    expect(copies.map((m) => m.messageId)).toEqual([`<email-${jobId}@example.com>`]);
    expect(copies[0]!.to).toEqual(['grace@example.com']);
  }, 60_000);
});
