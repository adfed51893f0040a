// X-Request-Id over real HTTP: a short, safe id is kept, anything else replaced by a fresh
// one; either way it is echoed, and every log line of that request carries it as reqId —
// the server's own line, and those of the Slack listener and Bolt behind /slack/events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, seedActiveAccount } from '../support/app.js';
import { capturingLogger } from '../support/log-capture.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { commandBody, post, sign } from '../support/slack-requests.js';
import { rawRequest } from '../support/raw-http.js';
import type { AddressInfo } from 'node:net';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  let t: SlackTestApp;
  const { logger, lines } = capturingLogger('trace');
  const linesWith = (reqId: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === reqId);

  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', {}, { logger });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps a safe id, echoes it, and the request log line carries it', async () => {
    for (const id of ['lb-0042.abc', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'Root:1_2', 'x'.repeat(64)]) {
      const res = await fetch(`${t.app.url}/healthz`, { headers: { 'x-request-id': id } });
      expect(res.headers.get('x-request-id')).toBe(id);
      expect(linesWith(id).map((l) => [l.msg, l.status])).toEqual([['http', 200]]);
    }
  });

  it('makes a fresh id when none is sent, or the one sent is too long or unsafe', async () => {
    const seen = new Set<string>();
    for (const id of [undefined, '', 'x'.repeat(65), 'has space', 'quote"d', 'semi;colon', 'new%0Aline', 'caf\u00e9']) {
      const res = await fetch(`${t.app.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(id === undefined ? {} : { 'x-request-id': id }) },
        body: JSON.stringify({ login: 'nobody@example.com', password: 'irrelevant here' }),
      });
      expect(res.status).toBe(401);
      const echoed = res.headers.get('x-request-id')!;
      expect(echoed, String(id)).toMatch(UUID);
      seen.add(echoed);
      expect(linesWith(echoed).filter((l) => l.msg === 'http')).toHaveLength(1);
      if (id) expect(linesWith(id), id).toEqual([]);
    }
    expect(seen.size).toBe(8);
  });

  it('is echoed on every kind of answer: 404, 405, 400 for a bad target, 413', async () => {
    const port = (t.app.server!.address() as AddressInfo).port;
    const cases: [string, number][] = [
      [`GET /nowhere HTTP/1.1\r\nhost: x\r\nx-request-id: r-404\r\nconnection: close\r\n\r\n`, 404],
      [`DELETE /healthz HTTP/1.1\r\nhost: x\r\nx-request-id: r-405\r\nconnection: close\r\n\r\n`, 405],
      [`GET /%zz HTTP/1.1\r\nhost: x\r\nx-request-id: r-400\r\nconnection: close\r\n\r\n`, 400],
      [`POST /api/v1/login HTTP/1.1\r\nhost: x\r\nx-request-id: r-413\r\ncontent-type: application/json\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n`, 413],
    ];
    for (const [bytes, status] of cases) {
      const res = await rawRequest(port, Buffer.from(bytes, 'latin1'), { halfClose: status === 413 });
      expect(res.status).toBe(status);
      const id = `r-${status}`;
      expect(res.headers['x-request-id'], id).toBe(id);
      expect(linesWith(id).some((l) => l.msg === 'http' && l.status === status), id).toBe(true);
    }
  });

  it('reaches the log lines of the Slack listener and Bolt, each request its own', async () => {
    const users = { 'slack-req-a': 'U100GRACE', 'slack-req-b': 'U100HOPPER' } as const;
    for (const [i, userId] of Object.values(users).entries()) {
      await seedActiveAccount(t.deps, { email: `person${i}.reqid@example.com` });
      t.slack.addUser({ id: userId, name: `person${i}`, email: `person${i}.reqid@example.com` });
    }
    const send = (reqId: keyof typeof users) => {
      const body = commandBody({ command: '/login-help', text: '', user_id: users[reqId], response_url: t.slack.responseUrl(reqId) });
      const signed = sign(body, 'application/x-www-form-urlencoded', { nowMs: t.clock.now() });
      return post(t.events, { ...signed, headers: { ...signed.headers, 'x-request-id': reqId } });
    };
    // Two at once: each line must name the request it was logged for.
    const [a, b] = await Promise.all([send('slack-req-a'), send('slack-req-b')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const [id, userId] of Object.entries(users)) {
      const other = Object.values(users).find((u) => u !== userId)!;
      const mine = linesWith(id);
      expect(mine.some((l) => l.msg === 'http'), id).toBe(true);
      // Bolt's own lines (its Web API client asking users.info about this request's user) carry the id too…
      expect(mine.some((l) => l.component === 'bolt' && String(l.msg).includes(userId)), id).toBe(true);
      // …and none of them is about the other request's user.
      expect(mine.filter((l) => String(l.msg).includes(other)), id).toEqual([]);
    }
    // And the login through the API: the core's work logs under its request too.
    const res = await postJson(`${t.app.url}/api/v1/login`, { login: 'grace.reqid@example.com', password: 'wrong' }, { 'x-request-id': 'api-req-1' });
    expect(res.headers.get('x-request-id')).toBe('api-req-1');
  });
});
