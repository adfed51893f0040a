// The SMTP server down (connections refused), then up but answering 451 "try again later"
// to each message once, then fine: every email is delivered exactly once, and every
// attempt that reached the server — refused or accepted — carried the job's one Message-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait.js';

const EMAILS = 20;
const PROBE = 'probe@example.com';

describe('SMTP down, then up', () => {
  let sink: SmtpSink | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp('sqlite', {
      SMTP_URL: sink.url,
      SMTP_TLS: 'off',
      EMAIL_RETRY_BASE_MS: '50',
      PUBLIC_URL: 'https://keydesk.test',
      MAIL_FROM: 'keydesk <keydesk@example.com>',
    });
  });

  afterAll(async () => {
    await t?.stop();
    await sink?.close();
  });

  it('delivers every email once, with the same Message-ID on every attempt', async () => {
    const s = sink!;
    const app = t!;
    await s.stop();
    const recipients = Array.from({ length: EMAILS }, (_, i) => `user-${i}@example.com`);
    for (const [i, to] of recipients.entries()) {
      await app.deps.effects.sendEmail({ kind: 'password_changed', accountId: `acc-${i}`, to, locale: 'en' });
    }
    // Every email has had a delivery attempt refused at the door.
    await waitFor(async () => {
      const jobs = await app.app.queues.email.getJobs(['waiting', 'active', 'delayed']);
      return jobs.length === EMAILS && jobs.every((j) => j.attemptsMade >= 1);
    }, 20_000);
    expect(s.messages).toHaveLength(0);

    s.refuseNext(EMAILS); // up again, but each message's first try is a temporary failure
    await s.start();
    await waitFor(async () => (await app.app.queues.email.getJobCounts('completed')).completed === EMAILS, 30_000);
    const jobs = await app.app.queues.email.getJobs(['completed']);
    const idOf = new Map(jobs.map((j) => [j.data.to, `<email-${j.id}@example.com>`]));

    // One more email, received: nothing else is on its way.
    await app.deps.effects.sendEmail({ kind: 'password_changed', accountId: 'acc-probe', to: PROBE, locale: 'en' });
    await s.waitFor((m) => m.to.includes(PROBE), 20_000);
    const delivered = s.messages.filter((m) => !m.to.includes(PROBE));

    expect(delivered.map((m) => m.to[0]).sort()).toEqual([...recipients].sort()); // each exactly once
    expect(s.refused).toHaveLength(EMAILS);
    for (const m of [...delivered, ...s.refused]) expect(m.messageId).toBe(idOf.get(m.to[0]!));
    expect(jobs.every((j) => j.attemptsMade >= 3)).toBe(true); // refused at the door, 451, then sent
  }, 60_000);
});
