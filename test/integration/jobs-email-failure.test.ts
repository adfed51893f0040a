// An email that fails for good (attempts used up, or unrecoverable) leaves an
// `email_failure` ticket on the account — with a masked address and a short error, never
// the link. "Resend" queues the same job again: same content, same Message-ID, once for
// any number of clicks. Real Redis, both stores, the production callback (emailFailureTicket).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { CoreEffects } from '../../src/core/effects.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { ticketData } from '../../src/core/tickets.js';
import { createLogger } from '../../src/logger.js';
import type { Mailer } from '../../src/mail/mailer.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { createBullEffects } from '../../jobs/effects.js';
import { createEmailWorker, emailFailureTicket, shortError, type EmailWorker } from '../../jobs/email.worker.js';
import { maskEmail } from '../../src/core/identity.js';
import { createQueues, type EmailJobData, type Queues } from '../../jobs/queues.js';
import { resendFailedEmails } from '../../src/core/email-failures.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { findAccountById } from '../../src/store/accounts.js';
import { STORE_KINDS } from '../support/stores.js';
import { seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';
import { testConfig, TEST_SECRETS_KEY } from '../support/config.js';
import { waitFor } from '../support/wait.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';

const LINK = 'https://keydesk.test/reset/Zq8-SECRET-TOKEN-4f9c2a7e1b';

describe.each(STORE_KINDS)('permanently failed emails on %s', (kind) => {
  let h: CoreHarness;
  let person: Person;
  let config: Config;
  let connection: Redis;
  let workerConnection: Redis;
  let queues: Queues;
  let secretBox: SecretBox;
  let effects: CoreEffects;
  let worker: EmailWorker | undefined;
  const sendAttempts: string[] = [];
  /** Permanent failures whose ticket the production callback has finished recording. */
  let failuresRecorded = 0;

  beforeEach(async () => {
    h = await startCore(kind);
    person = await seedPerson(h);
    config = testConfig({ DATA_DIR: h.store.dataDir, PUBLIC_URL: 'https://keydesk.test' });
    connection = connectRedis(config.redisUrl);
    workerConnection = connectRedis(config.redisUrl);
    queues = createQueues({ connection, prefix: config.queuePrefix });
    secretBox = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));
    effects = createBullEffects(queues, secretBox, { emailAttempts: 2, emailBackoffMs: 5 });
    sendAttempts.length = 0;
    failuresRecorded = 0;
    await queues.email.waitUntilReady();
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await Promise.all([queues.email, queues.lockExpiry, queues.notify].map((q) => q.obliterate({ force: true })));
    await queues.close();
    await Promise.all([connection.quit(), workerConnection.quit()]);
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    await h.stop();
  });

  const broken: Mailer = {
    send(msg) {
      sendAttempts.push(msg.messageId);
      return Promise.reject(new Error(`550 mailbox unavailable for ${msg.to}; see ${LINK}\r\nmore`));
    },
    close: () => Promise.resolve(),
  };

  function startWorker(mailer: Mailer): void {
    const recordTicket = emailFailureTicket(h.deps);
    worker = createEmailWorker({
      connection: workerConnection,
      prefix: config.queuePrefix,
      secretBox,
      mailer,
      from: config.mailFrom,
      publicUrl: config.publicUrl,
      logger: createLogger('silent'),
      onPermanentFailure: (...args) => recordTicket(...args).finally(() => (failuresRecorded += 1)),
    });
  }

  async function failureTickets() {
    return h.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'email_failure').where('account_id', '=', person.id).execute();
  }

  it('opens one email_failure ticket once all attempts are used, and its data carries no link', async () => {
    await effects.sendEmail({ kind: 'reset_link', accountId: person.id, to: person.email, locale: 'en', secret: LINK });
    startWorker(broken);
    const [job] = await queues.email.getJobs(['waiting', 'active', 'delayed', 'failed']);
    await waitFor(async () => (await queues.email.getJobState(job!.id!)) === 'failed');
    const tickets = await waitFor(async () => {
      const rows = await failureTickets();
      return rows.length > 0 ? rows : undefined;
    });

    expect(sendAttempts).toHaveLength(2);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.status).toBe('open');
    const data = ticketData(tickets[0]!);
    expect(Object.keys(data).sort()).toEqual(['detail', 'email_ids', 'failed_emails']);
    expect(data.email_ids).toBe(job!.id);
    const detail = String(data.detail);
    expect(detail).toBe(`reset_link email to ${maskEmail(person.email)} failed: 550 mailbox unavailable for ${maskEmail(person.email)}; see [link] more`);
    expect(detail).not.toContain(person.email);
    expect(detail).toContain(`email to ${maskEmail(person.email)} failed: 550 mailbox unavailable`);
    expect(detail).toContain('[link]');
    expect(detail).not.toMatch(/[\r\n]/);
    const row = JSON.stringify(tickets[0]);
    expect(row).not.toContain('SECRET-TOKEN');
    expect(row).not.toContain('keydesk.test/reset');
    expect(row).not.toContain('Zq8');
  });

  it('adds nothing for a failure that will be retried, and reuses the open ticket for a second failure', async () => {
    let calls = 0;
    const htmls: (string | undefined)[] = [];
    const flaky: Mailer = {
      send(msg) {
        calls += 1;
        htmls.push(msg.html);
        return calls === 1 ? Promise.reject(new Error('421 try later')) : Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    await effects.sendEmail({ kind: 'password_changed', accountId: person.id, to: person.email, locale: 'fr' });
    startWorker(flaky);
    const [first] = await queues.email.getJobs(['waiting', 'active', 'delayed', 'completed']);
    await waitFor(async () => (await queues.email.getJobState(first!.id!)) === 'completed');
    expect(await failureTickets()).toHaveLength(0);
    // The worker hands the mailer the HTML alternative too.
    expect(htmls.at(-1)).toContain('<html lang="fr">');
    expect(htmls.at(-1)).toContain('Votre mot de passe a été modifié');

    // Two unrecoverable failures (a payload whose seal does not open): one ticket.
    const bad: EmailJobData = { kind: 'reset_link', accountId: person.id, to: person.email, locale: 'en', sealedSecret: 'v1.bogus' };
    const a = await queues.email.add('reset_link', bad, { attempts: 5, backoff: { type: 'fixed', delay: 5 } });
    const b = await queues.email.add('reset_link', bad, { attempts: 5, backoff: { type: 'fixed', delay: 5 } });
    await waitFor(async () => (await queues.email.getJobState(a.id!)) === 'failed' && (await queues.email.getJobState(b.id!)) === 'failed');
    const tickets = await waitFor(async () => {
      const rows = await failureTickets();
      return rows.length > 0 ? rows : undefined;
    });
    await waitFor(() => failuresRecorded === 2); // both failures handled, not just the first
    expect(await failureTickets()).toHaveLength(1);
    expect(String(ticketData(tickets[0]!).detail)).toMatch(/^reset_link email to .+ failed: email job secret does not open/);
    expect((await queues.email.getJob(a.id!))!.attemptsMade).toBe(1);
  });

  it('Resend queues each failed email once more, same Message-ID, once for a burst of clicks', async () => {
    await effects.sendEmail({ kind: 'reset_link', accountId: person.id, to: person.email, locale: 'en', secret: LINK });
    await effects.sendEmail({ kind: 'password_changed', accountId: person.id, to: person.email, locale: 'en' });
    startWorker(broken);
    await waitFor(() => failuresRecorded === 2);
    const [ticket] = await failureTickets();
    const ids = String(ticketData(ticket!).email_ids).split(',');
    expect(ids).toHaveLength(2);
    expect(ticketData(ticket!).failed_emails).toBe(2);
    await worker!.close();

    // The mail server is back.
    const delivered: { messageId: string; text: string }[] = [];
    startWorker({ send: (msg) => (delivered.push({ messageId: msg.messageId, text: msg.text }), Promise.resolve()), close: () => Promise.resolve() });
    const agent = await seedPerson(h, { role: 'agent' });
    const actor = actorFromAccount((await findAccountById(h.deps.db, agent.id))!);
    // The core with the real queue behind it (the harness records effects by default).
    const deps = { ...h.deps, effects };
    const clicks = await Promise.all(Array.from({ length: 8 }, () => resendFailedEmails(deps, actor, ticket!.id)));
    const won = clicks.filter((c) => c.ok);
    expect(won).toHaveLength(1);
    expect(won[0]!.ok && won[0]!.resent).toBe(2);
    expect(clicks.filter((c) => !c.ok).map((c) => !c.ok && c.code)).toEqual(Array(7).fill('ticket_closed'));
    await waitFor(() => delivered.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered).toHaveLength(2);
    // The same Message-IDs as the failed tries: a mailbox that got one anyway keeps one.
    expect(new Set(delivered.map((d) => d.messageId))).toEqual(new Set(sendAttempts));
    expect(delivered.find((d) => d.text.includes(LINK))).toBeDefined();
    const [closed] = await failureTickets();
    expect(closed!.status).toBe('resolved');
    expect(ticketData(closed!).resent).toBe(true);
    // Closed: a second Resend is refused (a new failure would open a new ticket).
    const again = await resendFailedEmails(deps, actor, ticket!.id);
    expect(again.ok).toBe(false);
  });

  it('masks addresses and shortens errors', () => {
    expect(maskEmail('ada@example.com')).toBe('a***@example.com');
    expect(maskEmail('bartholomew.long@example.com')).toBe('b***@example.com');
    expect(maskEmail('nope')).toBe('***');
    expect(shortError(`boom at ${LINK}\n  again`)).toBe('boom at [link] again');
    expect(shortError('x'.repeat(500))).toHaveLength(160);
    expect(shortError('550 <ada@example.com>: no such user')).toBe('550 <a***@example.com>: no such user');
  });
});
