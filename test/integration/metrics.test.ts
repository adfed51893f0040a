// /metrics over real HTTP: off (404) by default, behind METRICS_TOKEN (401 / 200) on the
// public port, or on METRICS_PORT (127.0.0.1, no token); and what it shows after real
// logins, a lock, emails, tickets and Slack calls — on both stores.
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockExpiryJobId } from '../../jobs/queues.js';
import { SYSTEM_ACTOR } from '../../src/core/deps.js';
import { issueToken } from '../../src/core/tokens.js';
import { requestTicket } from '../../src/core/tickets.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { freePort } from '../support/free-port.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(url: string, token: string | null = TOKEN): Promise<string> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('/metrics is off unless configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', {}, { workers: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 404 on the public port without METRICS_TOKEN, even with a token sent', async () => {
    expect((await fetch(`${t.app.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect(t.app.metricsUrl).toBeNull();
  });
});

describe.each(STORE_KINDS)('/metrics behind METRICS_TOKEN on %s', (kind) => {
  let t: TestApp;
  let user: SeededAccount;
  const loginAs = (login: string, password: string) => postJson(`${t.app.url}/api/v1/login`, { login, password });

  beforeAll(async () => {
    t = await startTestApp(kind, { METRICS_TOKEN: TOKEN, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    user = await seedActiveAccount(t.deps);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 401 without the bearer token, with a wrong one or another scheme', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await fetch(`${t.app.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    }
  });

  it('counts logins by result, the lock and its unlock, emails sent, queues, approvals and requests by route', async () => {
    expect((await loginAs(user.email, user.password)).status).toBe(200);
    expect((await loginAs('nobody@example.com', 'whatever it is')).status).toBe(401);
    // Five wrong passwords lock the account (LOCKOUT_THRESHOLD 5), and its lock email is queued.
    for (let i = 0; i < 5; i++) expect((await loginAs(user.email, 'not the password at all')).status).toBe(401);
    expect((await loginAs(user.email, user.password)).status).toBe(401); // locked
    // A reset link through a token route: its path must never reach a label.
    const reset = await issueToken(t.deps, user.id, 'reset');
    expect((await fetch(`${t.app.url}/reset/${reset.secret}`)).status).toBe(200);
    await requestTicket(t.deps, SYSTEM_ACTOR, { kind: 'unlock', accountId: user.id, requesterSlackId: null });

    // The lock email is sent by this app's worker: the counter moves once it is.
    let text = '';
    await waitFor(async () => {
      text = await scrape(t.app.url);
      return sample(text, 'keydesk_emails_sent_total{kind="account_locked"}') === 1;
    }, 15_000);
    expect(sample(text, 'keydesk_logins_total{result="success"}')).toBe(1);
    expect(sample(text, 'keydesk_logins_total{result="unknown_login"}')).toBe(1);
    expect(sample(text, 'keydesk_logins_total{result="wrong_password"}')).toBe(5);
    expect(sample(text, 'keydesk_logins_total{result="locked"}')).toBe(1);
    expect(sample(text, 'keydesk_account_locks_total')).toBe(1);
    expect(sample(text, 'keydesk_pending_approvals{kind="unlock"}')).toBe(1);
    expect(sample(text, 'keydesk_pending_approvals{kind="mfa_reset"}')).toBe(0);
    // The lock's expiry waits an hour in the lock-expiry queue.
    expect(sample(text, 'keydesk_queue_jobs{queue="lock-expiry",state="delayed"}')).toBe(1);
    expect(sample(text, 'keydesk_queue_jobs{queue="email",state="waiting"}')).toBe(0);
    expect(sample(text, 'keydesk_queue_jobs{queue="email",state="failed"}')).toBe(0);
    expect(sample(text, 'keydesk_queue_jobs{queue="notify",state="active"}')).toBe(0);
    expect(sample(text, 'keydesk_queue_jobs{queue="sms",state="failed"}')).toBe(0);
    expect(sample(text, 'keydesk_hash_queue_length')).toBe(0);
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/api/v1/login",method="POST",status="200"}')).toBe(1);
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/api/v1/login",method="POST",status="401"}')).toBe(7);
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/reset/:token",method="GET",status="200"}')).toBe(1);
    // 401s to /metrics count too, under their route.
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/metrics",method="GET",status="401"}')).toBe(6);
    expect(text).not.toContain(reset.secret);
    expect(text).toContain('keydesk_process_resident_memory_bytes');
    // Every metric is keydesk's.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^keydesk_/);

    // The lock ends by its job (promoted instead of waiting the hour): one unlock, how="expired".
    t.clock.advance(3_600_000);
    const locked = (await t.deps.db.selectFrom('accounts').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow()).locked_until!;
    await (await t.app.queues.lockExpiry.getJob(lockExpiryJobId(user.id, locked)))!.promote();
    await waitFor(async () => sample(await scrape(t.app.url), 'keydesk_account_unlocks_total{how="expired"}') === 1, 15_000);
  });

  it('counts emails that failed for good, by kind, and the failed queue', async () => {
    // A sealed link that doesn't open can never be sent: the job fails at once, for good.
    await t.app.queues.email.add('email', { kind: 'reset_link', accountId: user.id, to: user.email, locale: 'en', sealedSecret: 'not-a-seal' }, { attempts: 3 });
    let text = '';
    await waitFor(async () => {
      text = await scrape(t.app.url);
      return sample(text, 'keydesk_emails_failed_total{kind="reset_link",final="true"}') === 1;
    }, 15_000);
    expect(sample(text, 'keydesk_emails_failed_total{kind="reset_link",final="false"}')).toBeUndefined();
    expect(sample(text, 'keydesk_queue_jobs{queue="email",state="failed"}')).toBe(1);
  });
});

describe('/metrics on METRICS_PORT (127.0.0.1, no token)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // No workers: a queued email stays waiting, where the gauge can see it.
    t = await startTestApp('sqlite', { METRICS_PORT: String(port) }, { workers: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves every metric there without a token, and nothing on the public port', async () => {
    expect(t.app.metricsUrl).toBe(`http://127.0.0.1:${port}`);
    // The public port has no /metrics without METRICS_TOKEN.
    expect((await fetch(`${t.app.url}/metrics`)).status).toBe(404);
    await seedActiveAccount(t.deps); // its activation email is queued, nobody takes it
    const text = await scrape(t.app.metricsUrl!, null);
    expect(sample(text, 'keydesk_queue_jobs{queue="email",state="waiting"}')).toBe(1);
    expect(sample(text, 'keydesk_emails_sent_total{kind="activation"}')).toBeUndefined();
    // The metrics server shares the guards: other paths are 404, other methods 405.
    expect((await fetch(`${t.app.metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${t.app.metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('is bound to the loopback address only: another interface of this host is refused', async () => {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!other) return; // a host with loopback only: nothing else to try
    await expect(fetch(`http://${other}:${port}/metrics`)).rejects.toThrow();
    // The public server listens everywhere, so that address does reach keydesk.
    const publicPort = new URL(t.app.url).port;
    expect((await fetch(`http://${other}:${publicPort}/healthz`)).status).toBe(200);
  });
});

describe('Slack calls on /metrics, and /readyz', () => {
  let t: SlackTestApp;
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t.stop();
  });

  const readyz = async () => {
    const res = await fetch(`${t.app.url}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is ready when the store, Redis and Slack answer; Slack is asked once per 30 s', async () => {
    t.slack.clear();
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', store: 'up', redis: 'up', slack: 'up' } });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', store: 'up', redis: 'up', slack: 'up' } });
    expect(t.slack.callsTo('auth.test')).toHaveLength(1);
    // /healthz does not ask Slack at all.
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(t.slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('is not ready while Slack refuses the token, rate-limits or hangs; ready again once it answers', async () => {
    t.slack.failNext('auth.test', 'invalid_auth');
    // The kept answer holds for 30 s on the app's clock.
    expect((await readyz()).status).toBe(200);
    t.clock.advance(30_000);
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not_ready', store: 'up', redis: 'up', slack: 'down' } });
    expect((await readyz()).status).toBe(503); // kept too: a down Slack is not asked on every probe

    t.slack.failNext('auth.test', 'ratelimited', { retryAfter: 1 });
    t.clock.advance(30_000);
    expect((await readyz()).body.slack).toBe('down');

    // Slack hangs: the probe gives up after its 2 s deadline.
    const hold = t.slack.holdNext('auth.test');
    t.clock.advance(30_000);
    const started = Date.now();
    expect((await readyz()).body.slack).toBe('down');
    expect(Date.now() - started).toBeLessThan(10_000);
    hold.release();

    t.clock.advance(30_000);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', store: 'up', redis: 'up', slack: 'up' } });

    const text = await scrape(t.app.url);
    // start-up's auth.test, then the probes: 200 (×3: the first test's, the ok ones here), one 429.
    expect(sample(text, 'keydesk_slack_api_calls_total{method="auth.test",status="429"}')).toBe(1);
    expect(sample(text, 'keydesk_slack_api_rate_limited_total{method="auth.test"}')).toBe(1);
    expect(sample(text, 'keydesk_slack_api_calls_total{method="auth.test",status="200"}')).toBeGreaterThanOrEqual(4);
  });

  it('counts every call a listener makes to Slack, by method, as the emulator saw them', async () => {
    const series = (method: string) => `keydesk_slack_api_calls_total{method="${method}",status="200"}`;
    const before = await scrape(t.app.url);
    t.slack.clear();
    t.slack.addUser({ id: 'U100METRIC', name: 'ada', email: 'ada.metrics@example.com' });
    expect((await t.command('U100METRIC', '/login-help')).status).toBe(200);
    await t.slack.waitForCall('response_url');
    const after = await scrape(t.app.url);
    // users.info (who is asking) through the Web API client, the answer through respond().
    for (const method of ['users.info', 'response_url']) {
      const seen = t.slack.callsTo(method).length;
      expect(seen, method).toBeGreaterThan(0);
      expect((sample(after, series(method)) ?? 0) - (sample(before, series(method)) ?? 0), method).toBe(seen);
    }
  });
});
