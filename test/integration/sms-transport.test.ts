// The SMS transports: the outbox writes <id>.sms.json {to, text, at}; the webhook POSTs
// {to, text} to a real local server, signed t=<unix>,v1=<HMAC-SHA256 of "t.body">; a 5xx
// is retryable, a 4xx is SmsRefused.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxSms } from '../../src/sms/outbox-sms.js';
import { SmsRefused } from '../../src/sms/transport.js';
import { createWebhookSms } from '../../src/sms/webhook-sms.js';

const SECRET = 'webhook-secret-0123456789';

describe('SMS transports', () => {
  let server: http.Server;
  let url = '';
  let status = 204;
  const got: { body: string; signature: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        got.push({ body, signature: String(req.headers['x-keydesk-signature'] ?? '') });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('the webhook signs what it sends, and the receiver can check it', async () => {
    const sms = createWebhookSms({ url, secret: SECRET, now: () => 1_790_000_000_000 });
    await sms.send({ id: 'job-1', to: '+33612345678', text: 'keydesk code: 123456.' });
    const { body, signature } = got.at(-1)!;
    expect(JSON.parse(body)).toEqual({ to: '+33612345678', text: 'keydesk code: 123456.' });
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    expect(match?.[1]).toBe('1790000000');
    expect(match?.[2]).toBe(createHmac('sha256', SECRET).update(`${match?.[1]}.${body}`).digest('hex'));
  });

  it('a 5xx is an error to retry, a 4xx a refusal', async () => {
    const sms = createWebhookSms({ url, secret: SECRET });
    status = 503;
    await expect(sms.send({ id: 'job-2', to: '+33612345678', text: 'x' })).rejects.not.toBeInstanceOf(SmsRefused);
    status = 400;
    await expect(sms.send({ id: 'job-3', to: '+33612345678', text: 'x' })).rejects.toBeInstanceOf(SmsRefused);
    status = 204;
  });

  it('the outbox writes <id>.sms.json with {to, text, at}; a retry replaces it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-sms-'));
    try {
      const sms = createOutboxSms({ dataDir: dir, now: () => new Date('2026-12-02T10:00:00Z') });
      await sms.send({ id: 'job-9', to: '+33612345678', text: 'one' });
      await sms.send({ id: 'job-9', to: '+33612345678', text: 'two' });
      const file = JSON.parse(readFileSync(path.join(dir, 'outbox', 'job-9.sms.json'), 'utf8')) as unknown;
      expect(file).toEqual({ to: '+33612345678', text: 'two', at: '2026-12-02T10:00:00.000Z' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
