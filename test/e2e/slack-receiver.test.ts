// The receiver's guards, over HTTP with signed requests, against the Slack emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../src/slack/signature.js';
import { seedActiveAccount } from '../support/app.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { SIGNING_SECRET, commandBody, newTriggerId, post, sign } from '../support/slack-requests.js';

describe('Slack receiver guards', () => {
  let t: SlackTestApp;
  const ALICE = 'U100ALICE';
  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' });
    await seedActiveAccount(t.deps, { email: 'alice@example.com' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const body = () => commandBody({ command: '/login-help', user_id: ALICE, trigger_id: newTriggerId(), response_url: t.slack.responseUrl('guards') });
  const form = 'application/x-www-form-urlencoded';
  const answered = () => t.slack.callsTo('response_url').length + t.slack.callsTo('users.info').length;

  it('accepts a good signature, and a timestamp 299 s old or ahead', async () => {
    const now = t.clock.now();
    for (const skew of [0, -299, 299]) {
      const res = await post(t.events, sign(body(), form, { nowMs: now, timestamp: Math.floor(now / 1000) + skew }));
      expect(res.status, `skew ${skew}`).toBe(200);
    }
    expect(t.slack.callsTo('response_url')).toHaveLength(3);
  });

  it('refuses a changed byte, a v1= prefix, missing headers, and 301 s either way — changing nothing', async () => {
    const now = t.clock.now();
    const ts = Math.floor(now / 1000);
    const good = sign(body(), form, { nowMs: now });
    const flipped = good.headers['x-slack-signature']!.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const cases = [
      { ...good, headers: { ...good.headers, 'x-slack-signature': flipped } },
      { ...good, body: good.body.replace('login-help', 'login-helq') },
      { ...good, headers: { ...good.headers, 'x-slack-signature': good.headers['x-slack-signature']!.replace('v0=', 'v1=') } },
      { ...good, headers: { 'content-type': form } },
      sign(body(), form, { nowMs: now, timestamp: ts - 301 }),
      sign(body(), form, { nowMs: now, timestamp: ts + 301 }),
      sign(body(), form, { nowMs: now, secret: 'another-secret' }),
    ];
    for (const req of cases) expect((await post(t.events, req)).status).toBe(401);
    expect(answered()).toBe(0);
  });

  it('a replayed request inside the window, and retries 1-3, are handled once', async () => {
    const now = t.clock.now();
    const once = sign(body(), form, { nowMs: now });
    expect((await post(t.events, once)).status).toBe(200);
    expect((await post(t.events, once)).status).toBe(200);
    for (const retryNum of [1, 2, 3]) {
      const retry = sign(once.body, form, { nowMs: now + retryNum * 1000, retryNum });
      expect((await post(t.events, retry)).status).toBe(200);
    }
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('refuses a body over 1 MB with 413 before checking its signature', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const res = await fetch(t.events, { method: 'POST', headers: { 'content-type': form, 'x-slack-signature': 'v0=00', 'x-slack-request-timestamp': '1' }, body: big });
    expect(res.status).toBe(413);
  });

  it('answers ssl_check and url_verification without dispatching anything', async () => {
    const now = t.clock.now();
    const ssl = await post(t.events, sign('ssl_check=1&token=x', form, { nowMs: now }));
    expect(ssl.status).toBe(200);
    expect(ssl.text).toBe('');
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await post(t.events, sign(challenge, 'application/json', { nowMs: now }));
    expect(res.json).toEqual({ challenge: 'abc123' });
    expect(answered()).toBe(0);
  });

  it('the signature helper matches Slack’s documented example', () => {
    // From api.slack.com/authentication/verifying-requests-from-slack.
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const raw =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signBody(secret, 1531420618, raw)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    void SIGNING_SECRET;
  });
});
