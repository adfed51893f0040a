// Hostile HTTP input: each malformed or unexpected request gets its 4xx with a small
// JSON body or a page — never a 5xx, never a stack — and no token reaches a log line,
// whatever form the request target takes.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-capture.js';
import { issueToken } from '../../src/core/tokens.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { sign } from '../support/slack-requests.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { seedActiveAccount } from '../support/app.js';
import { waitFor } from '../support/wait.js';

const STACK = /node_modules|\/work\/|\bat .*\(|\.ts:\d/;

describe('hostile HTTP input', () => {
  let t: SlackTestApp;
  let port: number;
  const { logger, lines: logLines } = capturingLogger('trace');
  const send = (method: string, target: string | Buffer, headers: Record<string, string> = {}, body?: string | Buffer, opts = {}) =>
    rawRequest(port, { method, target, headers, body }, opts);
  const expectJson = (res: RawResponse, status: number, error?: string) => {
    expect(res.status, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).not.toMatch(STACK);
    if (error) expect(JSON.parse(res.body)).toMatchObject({ error });
  };

  beforeAll(async () => {
    t = await startSlackTestApp('postgres', {}, { logger: logger });
    port = (t.app.server!.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 400 to a malformed percent-escape or invalid UTF-8 in any path, for GET and POST', async () => {
    const targets = [
      '/reset/%',
      '/mfa/enroll/%E0%A4%A',
      '/change-password/%zz',
      '/activate/%C3%28',
      '/activate/%ED%A0%80', // a UTF-16 surrogate, not UTF-8
      '/reset/caf\xe9', // a raw latin1 byte: not UTF-8 on the wire
      '/reset/\xc3\xa9t\xc3\xa9', // raw UTF-8: a request target is ASCII
      '/api/v1/%zz',
      '/forgot%',
      '/%',
    ];
    for (const target of targets) {
      for (const method of ['GET', 'POST']) {
        const res = await send(method, target, method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}, method === 'POST' ? 'a=b' : undefined);
        expectJson(res, 400, 'bad_request');
      }
    }
    expect(logLines.join('')).not.toMatch(/"status":5\d\d/);
  });

  it('serves an absolute-form target and logs no token, whatever form the path takes', async () => {
    const user = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, user.id, 'change_password');
    const served = await send('GET', `http://keydesk.example/change-password/${secret}`);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toMatch(/^text\/html/);
    const odd = [
      `HTTP://keydesk.example:8080/change-password/${secret}?a=1`,
      `https://user:${secret}@keydesk.example/healthz`,
      `//change-password/${secret}`,
      `/change-password//${secret}`,
      `/change-password/${secret}/`,
      `/change-password/${secret}/extra`,
      `/change-password%2F${secret}`,
      `/change-password/${secret}%2Fx`,
      `/change-password/./${secret}`,
      `/x/../change-password/${secret}`,
      `/CHANGE-PASSWORD/${secret}`,
      `/healthz?token=${secret}`,
      `/login?next=/change-password/${secret}`,
      `/nowhere/${secret}`,
      `/${secret}`,
      `/change-password/${secret}#frag`,
    ];
    for (const target of odd) {
      const res = await send('GET', target);
      expect(res.status, target).toBeLessThan(500);
      expect(res.body).not.toMatch(STACK);
    }
    const logs = logLines.join('');
    expect(logs).toContain('"msg":"http"');
    expect(logs).not.toContain(secret);
  });

  it('answers 405 with Allow to a wrong method on every route', async () => {
    const routes: [string, string][] = [
      ['/api/v1/login', 'POST'],
      ['/api/v1/whoami', 'GET, HEAD'],
      ['/api/v1/session', 'GET, HEAD'],
      ['/api/v1/logout', 'POST'],
      ['/healthz', 'GET, HEAD'],
      ['/readyz', 'GET, HEAD'],
      ['/forgot', 'GET, HEAD, POST'],
      ['/login', 'GET, HEAD, POST'],
      ['/reset/x', 'GET, HEAD, POST'],
      ['/change-password/x', 'GET, HEAD, POST'],
      ['/activate/x', 'GET, HEAD, POST'],
      ['/mfa/enroll/x', 'GET, HEAD, POST'],
      ['/slack/events', 'POST'],
    ];
    for (const [path, allow] of routes) {
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const res = await send(method, path);
        expectJson(res, 405, 'method_not_allowed');
        expect(res.headers.allow).toBe(allow);
      }
    }
  });

  it('answers 415 to a body whose Content-Type the route does not take', async () => {
    const form = 'application/x-www-form-urlencoded';
    const login = await send('POST', '/api/v1/login', { 'content-type': 'text/plain' }, '{"login":"a@b.c","password":"x"}');
    expectJson(login, 415, 'unsupported_media_type');
    const formToApi = await send('POST', '/api/v1/login', { 'content-type': form }, 'login=a&password=b');
    expectJson(formToApi, 415, 'unsupported_media_type');
    const none = await send('POST', '/api/v1/login', {}, '{}');
    expectJson(none, 415, 'unsupported_media_type');
    for (const path of ['/forgot', '/login']) {
      const page = await send('POST', path, { 'content-type': 'application/json' }, '{"login":"a@b.c"}');
      expect(page.status, path).toBe(415);
      const multipart = await send('POST', path, { 'content-type': 'multipart/form-data; boundary=x' }, '--x--');
      expect(multipart.status, path).toBe(415);
      const lookalike = await send('POST', path, { 'content-type': `${form}-evil` }, 'login=a');
      expect(lookalike.status, path).toBe(415);
    }
    // Slack's signature check stays first; a signed body of another type is a 415.
    const signed = sign('hello', 'text/plain', { nowMs: t.clock.now() });
    const slack = await send('POST', '/slack/events', signed.headers, signed.body);
    expectJson(slack, 415, 'unsupported_media_type');
    const unsigned = await send('POST', '/slack/events', { 'content-type': 'text/plain' }, 'hello');
    expectJson(unsigned, 401, 'invalid_request');
  });

  it('answers 413 to an oversized body on the pages and the API', async () => {
    const big = 'a='.padEnd(17 * 1024, 'x');
    for (const path of ['/forgot', '/login', '/reset/x', '/api/v1/login']) {
      const res = await send('POST', path, { 'content-type': path.startsWith('/api') ? 'application/json' : 'application/x-www-form-urlencoded' }, big);
      expect(res.status, path).toBe(413);
    }
  });

  it('answers 431 with a small JSON body to oversized headers, and 400 JSON to an unparsable request', async () => {
    const huge = await send('GET', '/healthz', { 'x-filler': 'y'.repeat(20 * 1024) });
    expectJson(huge, 431, 'request_header_fields_too_large');
    expect(huge.body.length).toBeLessThan(200);
    const garbage = await rawRequest(port, Buffer.from('GET /reset/secret-in-garbage HTTP/1.1\r\nHost x\r\n\r\n'));
    expectJson(garbage, 400, 'bad_request');
    const badVersion = await rawRequest(port, Buffer.from('GET /healthz HTTP/9.9\r\nhost: x\r\n\r\n'));
    expect(badVersion.status).toBe(400);
    expect(badVersion.body).not.toMatch(STACK);
    expect(logLines.join('')).not.toContain('secret-in-garbage');
  });

  it('finishes the answer to a complete request before hanging up on garbage pipelined behind it', async () => {
    const res = await rawRequest(port, Buffer.from('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\nNOT HTTP AT ALL\r\n\r\n'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });

  it('logs no 5xx when a client hangs up in the middle of its body', async () => {
    const before = logLines.length;
    await send('POST', '/api/v1/login', { 'content-type': 'application/json', 'content-length': '500' }, '{"login":', { halfClose: true });
    await send('POST', '/forgot', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '500' }, 'login=', { halfClose: true });
    // A request sent after both hang-ups is logged after whatever they logged.
    expect((await send('GET', '/healthz')).status).toBe(200);
    await waitFor(() => logLines.slice(before).some((l) => l.includes('"path":"/healthz"')));
    const lines = logLines.slice(before).join('');
    expect(lines).not.toMatch(/"level":50/);
    expect(lines).not.toMatch(/"status":5\d\d/);
  });

  it('answers 404 to an unknown path, and /healthz still answers 200', async () => {
    expectJson(await send('GET', '/nope'), 404, 'not_found');
    expectJson(await send('GET', '/api/v2/login'), 404, 'not_found');
    expect((await send('GET', '/healthz')).status).toBe(200);
  });
});
