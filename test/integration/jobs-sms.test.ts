// sendSms → sms job → the real sms worker → the signed webhook transport, on the suite's
// Redis, against a real local HTTP gateway: a 503 is retried with backoff and the message
// delivered once (every attempt signed, the same idempotency key); a 400 ends the job at
// its first attempt; a gateway down for good gets the 5 attempts, no more. The code and
// the number travel sealed in Redis and never reach a log line.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { CoreEffects } from '../../src/core/effects.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { createWebhookSms } from '../../src/sms/webhook-sms.js';
import { createBullEffects } from '../../jobs/effects.js';
import { createSmsWorker, type SmsWorker } from '../../jobs/sms.worker.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { capturingLogger } from '../support/log-capture.js';
import { postJson, seedActiveAccount, startTestApp } from '../support/app.js';
import { codeOfSms, enrolByCode } from '../support/codes.js';
import { testConfig, TEST_SECRETS_KEY } from '../support/config.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'gateway-shared-secret-5f2a9c';
const CODE = '482913';
const PHONE = '+33612349876';

interface Received {
  body: string;
  signature: string;
  idempotencyKey: string;
}

describe('SMS jobs through the webhook', () => {
  let server: http.Server;
  let url = '';
  /** Statuses the gateway answers, in order; the last one repeats. */
  let script: number[] = [];
  let received: Received[] = [];
  let config: Config;
  let connection: Redis;
  let workerConnection: Redis;
  let queues: Queues;
  let effects: CoreEffects;
  let worker: SmsWorker | undefined;
  let capture: ReturnType<typeof capturingLogger>;
  const secretBox = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-keydesk-signature'] ?? ''), idempotencyKey: String(req.headers['idempotency-key'] ?? '') });
        res.statusCode = script.length > 1 ? script.shift()! : (script[0] ?? 200);
        res.end(res.statusCode >= 400 ? `refused ${body}` : 'ok'); // an error body quoting the message, as gateways do
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  beforeEach(async () => {
    received = [];
    script = [200];
    config = testConfig({ SMS_URL: `webhook+${url}`, SMS_WEBHOOK_SECRET: SECRET });
    connection = connectRedis(config.redisUrl);
    workerConnection = connectRedis(config.redisUrl);
    queues = createQueues({ connection, prefix: config.queuePrefix });
    effects = createBullEffects(queues, secretBox, { smsBackoffMs: 20 });
    capture = capturingLogger('trace');
    await queues.sms.waitUntilReady();
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await Promise.all([queues.email, queues.sms, queues.lockExpiry, queues.notify].map((q) => q.obliterate({ force: true })));
    await queues.close();
    await Promise.all([connection.quit(), workerConnection.quit()]);
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
  });

  function startWorker(): SmsWorker {
    if (config.sms.kind !== 'webhook') throw new Error('the test config must choose the webhook');
    worker = createSmsWorker({
      connection: workerConnection,
      prefix: config.queuePrefix,
      secretBox,
      transport: createWebhookSms({ url: config.sms.url, secret: config.sms.secret }),
      logger: capture.logger,
    });
    return worker;
  }

  async function onlyJobId(): Promise<string> {
    const jobs = await queues.sms.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs).toHaveLength(1);
    return jobs[0]!.id!;
  }

  const finalState = (jobId: string) =>
    waitFor(async () => {
      const state = await queues.sms.getJobState(jobId);
      return state === 'completed' || state === 'failed' ? state : undefined;
    });

  function expectSigned(r: Received): void {
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature);
    expect(match).not.toBeNull();
    expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(60);
    expect(match![2]).toBe(createHmac('sha256', SECRET).update(`${match![1]}.${r.body}`).digest('hex'));
  }

  const expectNoSecretLogged = () => {
    const logs = capture.lines.join('\n');
    expect(logs).not.toContain(CODE);
    expect(logs).not.toContain(PHONE);
  };

  it('a 503 then a 200: retried, delivered once, every attempt signed with one idempotency key', async () => {
    script = [503, 200];
    await effects.sendSms({ accountId: 'acc-1', to: PHONE, locale: 'en', code: CODE });
    const jobId = await onlyJobId();
    // Redis holds the code sealed: neither it nor the text in clear.
    const raw = Object.values(await connection.hgetall(`${config.queuePrefix}:sms:${jobId}`)).join('\n');
    expect(raw).toContain('sealedCode');
    expect(raw).not.toContain(CODE);

    startWorker();
    expect(await finalState(jobId)).toBe('completed');
    expect(received).toHaveLength(2);
    for (const r of received) {
      expectSigned(r);
      expect(JSON.parse(r.body)).toEqual({ to: PHONE, text: `keydesk code: ${CODE}. It works once, for 10 minutes. Never share it.` });
      expect(r.idempotencyKey).toBe(jobId);
    }
    expect((await queues.sms.getJob(jobId))!.attemptsMade).toBe(2);
    // Nothing else on its way: no second delivery after the 200.
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(2);
    expect(capture.lines.join('\n')).toMatch(/sms failed; will retry/);
    expect(capture.lines.join('\n')).toMatch(/sms sent/);
    expectNoSecretLogged();
  });

  it('a 400 fails the job for good at its first attempt: one request, no retry', async () => {
    script = [400];
    await effects.sendSms({ accountId: 'acc-2', to: PHONE, locale: 'fr', code: CODE });
    const jobId = await onlyJobId();
    startWorker();
    expect(await finalState(jobId)).toBe('failed');
    const job = (await queues.sms.getJob(jobId))!;
    expect(job.attemptsMade).toBe(1);
    // The status only: the gateway's body (which quoted the message) is not kept.
    expect(job.failedReason).toBe('SMS webhook answered 400');
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1);
    expectSigned(received[0]!);
    expect((JSON.parse(received[0]!.body) as { text: string }).text).toContain(CODE); // in French, but the code all the same
    expect(capture.lines.join('\n')).toMatch(/sms failed for good/);
    expectNoSecretLogged();
  });

  it('a gateway answering 503 for good gets the 5 attempts with backoff, then the job fails', async () => {
    script = [503];
    await effects.sendSms({ accountId: 'acc-3', to: PHONE, locale: 'en', code: CODE });
    const jobId = await onlyJobId();
    startWorker();
    expect(await finalState(jobId)).toBe('failed');
    expect((await queues.sms.getJob(jobId))!.attemptsMade).toBe(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(5);
    expectNoSecretLogged();
  });
  it('the whole app with SMS_URL=webhook+http://127.0.0.1: enrolment and POST /api/v1/otp reach the gateway signed; the code signs in', async () => {
    script = [200];
    const app = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SMS_URL: `webhook+${url}`, SMS_WEBHOOK_SECRET: SECRET }, { logger: capture.logger });
    try {
      const number = '+33612349877';
      const user = await seedActiveAccount(app.deps, { phone: number });
      const codeAt = (skip: number) =>
        waitFor(() => {
          const got = received.filter((r) => (JSON.parse(r.body) as { to: string }).to === number)[skip];
          return got ? codeOfSms((JSON.parse(got.body) as { text: string }).text) : undefined;
        });
      await enrolByCode(app.deps, app.clock, user, 'sms', codeAt);
      expect((await postJson(`${app.app.url}/api/v1/otp`, { login: user.email, password: user.password, method: 'sms' })).status).toBe(202);
      const code = await codeAt(1);
      for (const r of received) expectSigned(r);
      expect((await postJson(`${app.app.url}/api/v1/login`, { login: user.email, password: user.password, otp: code })).status).toBe(200);
      const logs = capture.lines.join('\n');
      expect(logs).toMatch(/sms sent/);
      expect(logs).not.toContain(code);
      expect(logs).not.toContain(number);
    } finally {
      await app.stop();
    }
  });
});
