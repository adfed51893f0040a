// Property: whatever request reaches any route (POST /api/v1/otp and /validate included) — hostile targets, methods, headers,
// bodies — keydesk answers below 500 without a stack or a file path, changes no account,
// stays healthy, and logs none of the tokens or passwords the requests carried.
// On both stores. FUZZ_RUNS (default 2000) sets the number of requests; FUZZ_SEED replays a run.
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-capture.js';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { newSessionRow } from '../../src/core/sessions.js';
import { issueToken } from '../../src/core/tokens.js';
import { seedActiveAccount } from '../support/app.js';
import { encodeHostile, hostileRequestArb, type HostileRequest } from '../support/hostile-requests.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { STORE_KINDS } from '../support/stores.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);

/** What a body must not show unless the request itself carried it (a form echoes its login). */
/** The fuzzed app serves /metrics behind this token; some requests carry it. */
const METRICS_TOKEN = 'fuzz-metrics-token-4b1f0c9e2a7d';

const LEAKS = [/\/work\//, /node_modules/, /\bat [^\n]*\(/, /\.ts:\d/, /file:\/\//, /\n\s+at /];

describe.each(STORE_KINDS)('fuzzing every route with hostile requests, on %s', (kind) => {
  let t: SlackTestApp;
  let port: number;
  const { logger, lines: logLines } = capturingLogger('trace');
  const secrets = new Set<string>();
  const accounts = () => t.deps.db.selectFrom('accounts').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await startSlackTestApp(kind, { METRICS_TOKEN }, { logger: logger });
    port = (t.app.server!.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.stop();
  });

  it(`answers ${RUNS} generated requests below 500, changing nothing and logging no secret`, { timeout: Math.max(60_000, RUNS * 40) }, async () => {
    const user = await seedActiveAccount(t.deps);
    const pending = await createAccount(t.deps, CLI_ACTOR, { email: 'fuzz-pending@example.com', displayName: 'Pat Pending' });
    if (!pending.ok) throw new Error(pending.code);
    const tokens = {
      '/reset': (await issueToken(t.deps, user.id, 'reset')).secret,
      '/change-password': (await issueToken(t.deps, user.id, 'change_password')).secret,
      '/mfa/enroll': (await issueToken(t.deps, user.id, 'mfa_enrol')).secret,
      '/activate': (await issueToken(t.deps, pending.account.id, 'activation')).secret,
      '/confirm-email': (await issueToken(t.deps, user.id, 'email_change', { newEmail: 'fuzz-new@example.com' })).secret,
      '/email-not-me': (await issueToken(t.deps, user.id, 'email_change_report')).secret,
    };
    const session = newSessionRow(t.deps, user.id, '127.0.0.1');
    await t.deps.db.insertInto('sessions').values(session.row).execute();
    const sessionToken = session.issued.token;
    for (const s of [...Object.values(tokens), sessionToken, user.password, user.answer, METRICS_TOKEN]) secrets.add(s);
    const forms: Record<string, { cookie: string; csrf: string; fields?: Record<string, string> }> = {};
    for (const path of ['/forgot', '/login', '/validate']) {
      const res = await fetch(`${t.app.url}${path}`);
      const cookie = /kd_csrf=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
      const csrf = /name="csrf" value="([^"]+)"/.exec(await res.text())?.[1];
      if (!cookie || !csrf) throw new Error(`no CSRF pair on ${path}`);
      forms[path] = { cookie, csrf };
    }
    // /validate's second step: a real sealed proof (for a login that needs no validating),
    // so some fuzzed codes reach the core's check.
    const step2 = await fetch(`${t.app.url}/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: forms['/validate']!.cookie },
      body: new URLSearchParams({ csrf: forms['/validate']!.csrf, login: user.email, channel: 'email' }).toString(),
    });
    const proof = /name="proof" value="([^"]+)"/.exec(await step2.text())?.[1];
    if (step2.status !== 200 || !proof) throw new Error('no proof from /validate');
    forms['/validate']!.fields = { proof };
    const before = await accounts();

    // The seed is what reproduces a failure: print it before the first request.
    console.log(`fuzz-routes: ${RUNS} requests, seed ${SEED} (replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
    const started = Date.now();
    let answered = 0;
    const statuses = new Map<number, number>();
    /** What the code routes answered, by method and status: shows the fuzz reached their core. */
    const reached = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(hostileRequestArb({ tokens, forms, sessionToken, metricsToken: METRICS_TOKEN, nowMs: () => t.clock.now(), responseUrl: t.slack.responseUrl('fuzz') }), async (req: HostileRequest) => {
        for (const s of req.secrets) secrets.add(s);
        const bytes = encodeHostile(req, t.clock.now());
        // A body shorter than its Content-Length would wait forever: hang up after it.
        const res: RawResponse = await rawRequest(port, bytes, { halfClose: req.length === 'long', head: req.method === 'HEAD' });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const route = /^\/(api\/v1\/otp|validate)$/.exec(req.target)?.[0];
        if (route) reached.set(`${req.method} ${route} ${res.status}`, (reached.get(`${req.method} ${route} ${res.status}`) ?? 0) + 1);
        if (res.closed) {
          // Only a request the server cannot finish (its body never arrives) goes unanswered.
          expect(req.length, `no answer to ${req.method} ${req.target}`).toBe('long');
          return;
        }
        answered++;
        expect(res.status, `${req.method} ${req.target} → ${res.status} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${req.method} ${req.target} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        const sent = bytes.toString('latin1');
        for (const leak of LEAKS) {
          if (!leak.test(sent)) expect(res.body, `${req.method} ${req.target}`).not.toMatch(leak);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );

    const ms = Date.now() - started;
    // The figures a CI log should show.
    console.log(`fuzz-routes: ${RUNS} requests (${answered} answered) in ${ms} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    console.log(`fuzz-routes: code routes ${JSON.stringify(Object.fromEntries([...reached].sort()))}`);

    expect(await accounts()).toEqual(before);
    // No fuzzed /api/v1/otp or /validate made a code: none named an account it could send to.
    expect(await t.deps.db.selectFrom('otp_codes').selectAll().execute()).toEqual([]);
    const health = await fetch(`${t.app.url}/healthz`);
    expect(health.status).toBe(200);
    const logs = logLines.join('');
    expect(logs).toContain('"msg":"http"');
    // No 5xx that a hung-up client never saw, and no error logged on the way.
    expect(logs).not.toMatch(/"status":5\d\d/);
    expect(logs).not.toMatch(/"level":(50|60)/);
    for (const s of secrets) expect(logs.includes(s), `a secret reached the log: ${s}`).toBe(false);

    // What the requests did to /metrics: route labels are route patterns only, never a
    // path a client wrote, so no token reaches a label either.
    const scraped = await fetch(`${t.app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    const metrics = await scraped.text();
    const routes = new Set([...metrics.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) expect(route).toMatch(/^(unmatched|\/[a-z0-9/.:-]*)$/);
    for (const route of routes) expect(route === 'unmatched' || !route!.includes('%')).toBe(true);
    for (const s of secrets) expect(metrics.includes(s), `a secret reached /metrics: ${s}`).toBe(false);
  });
});
