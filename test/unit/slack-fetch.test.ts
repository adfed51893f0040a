// The Slack clients' fetch (src/slack/slack-fetch.ts) against a real local HTTP server: the
// Web API client and Bolt's respond() read its answers as they read the global fetch's.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackFetch } from '../../src/slack/slack-fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let origin = '';
const seen: Seen[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}');
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    answer(req, res);
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const slackFetch = createSlackFetch();
const client = (opts: Partial<webApi.WebClientOptions> = {}) =>
  new webApi.WebClient('xoxb-test', { slackApiUrl: `${origin}/api/`, fetch: slackFetch, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...opts });

describe('slackFetch', () => {
  it("carries a Web API call as the WebClient builds it and gives back Slack's answer, headers included", async () => {
    seen.length = 0;
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write, im:write' });
      res.end(JSON.stringify({ ok: true, channel: 'D1', ts: '1.2' }));
    };
    const posted = await client().chat.postMessage({ channel: 'U1', text: 'héllo', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'héllo' } }] });
    expect(posted).toMatchObject({ ok: true, channel: 'D1', ts: '1.2', response_metadata: { scopes: ['chat:write', 'im:write'] } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/chat.postMessage' });
    expect(seen[0]!.headers.authorization).toBe('Bearer xoxb-test');
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(seen[0]!.body);
    expect(form.get('text')).toBe('héllo');
    expect(JSON.parse(form.get('blocks')!)).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'héllo' } }]);
  });

  it("turns a 429's Retry-After into the client's rate-limit error", async () => {
    answer = (_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end();
    };
    await expect(client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'U1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
  });

  it('reports a 5xx as an HTTP error with its status, reason and body', async () => {
    answer = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('down for a moment');
    };
    await expect(client().chat.postMessage({ channel: 'U1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
      statusMessage: 'Service Unavailable',
      body: 'down for a moment',
    });
  });

  it("reads like a Response: ok, status, url, headers, and a body that is read once", async () => {
    answer = (_req, res) => {
      res.writeHead(404, [['content-type', 'application/json'], ['x-a', '1'], ['x-a', '2']]);
      res.end('{"error":"expired_url"}');
    };
    const res = await slackFetch(`${origin}/hooks/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
    expect([res.ok, res.status, res.statusText, res.url]).toEqual([false, 404, 'Not Found', `${origin}/hooks/x`]);
    expect(res.headers.get('X-A')).toBe('1, 2');
    expect(await res.json()).toEqual({ error: 'expired_url' });
    await expect(res.text()).rejects.toThrow(/already been read/);

    answer = (_req, r) => r.end('abc');
    const again = await slackFetch(`${origin}/x`);
    expect(again.ok).toBe(true);
    expect(Buffer.from(await again.arrayBuffer()).toString()).toBe('abc');
    expect(seen.at(-1)!.method).toBe('GET');
  });

  it('decodes a body that comes compressed, as the global fetch would', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"ok":true,"ts":"9.9"}'));
    };
    expect(await client().chat.postMessage({ channel: 'U1', text: 'x' })).toMatchObject({ ok: true, ts: '9.9' });
  });

  it('sends Headers objects and URLSearchParams bodies as they are', async () => {
    answer = (_req, res) => res.end('{}');
    await slackFetch(`${origin}/y`, { method: 'POST', headers: new Headers({ 'X-Token': 't' }), body: new URLSearchParams({ a: '1 2' }) });
    expect(seen.at(-1)!.headers['x-token']).toBe('t');
    expect(seen.at(-1)!.body).toBe('a=1+2');
  });

  it('hands a body it cannot send as it is (a file upload) to the global fetch', async () => {
    const handed: unknown[] = [];
    const withFallback = createSlackFetch({
      fallback: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        handed.push(init?.body);
        return globalThis.fetch(input, init);
      },
    });
    answer = (_req, res) => res.end('{"ok":true}');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.bin');
    const res = await withFallback(`${origin}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(handed).toEqual([form]);
    expect(seen.at(-1)!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("gives up when the caller's signal fires (the WebClient's timeout)", async () => {
    answer = () => undefined; // never answers
    await expect(slackFetch(`${origin}/slow`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect(client({ timeout: 100 }).auth.test()).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
  });
});
