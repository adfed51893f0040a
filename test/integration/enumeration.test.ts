// Enumeration stays closed: from outside, an unknown login, a known login with a wrong
// password, a locked login and one never activated get the same status, headers and body
// on POST /api/v1/login and on POST /forgot — over HTTP against the real app, on both
// stores. login_attempts shows the four really took different paths. (Timing is measured
// by `npm run bench`, not here.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { STORE_KINDS } from '../support/stores.js';

const WRONG = 'not the password, but long enough';

/**
 * The headers a response's identity could hide in. Date and X-Request-Id differ on every
 * response whoever asks (the request id is a fresh UUID), so they carry nothing.
 */
function visibleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name === 'date') return;
    if (name === 'x-request-id') {
      out[name] = /^[0-9a-f-]{36}$/.test(value) ? 'uuid' : value;
      return;
    }
    out[name] = value;
  });
  return out;
}

/** Takes out what is random per response (a CSRF field or cookie nonce), nothing else. */
const withoutNonces = (text: string): string =>
  text.replace(/name="csrf" value="[^"]+"/g, 'name="csrf" value=""').replace(/kd_csrf=[^;]+/g, 'kd_csrf=');

describe.each(STORE_KINDS)('enumeration on %s', (kind) => {
  let t: TestApp;
  let known: SeededAccount;
  let locked: SeededAccount;
  let inactiveEmail: string;
  const unknownEmail = 'nobody-at-all@example.com';

  beforeAll(async () => {
    t = await startTestApp(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    known = await seedActiveAccount(t.deps, { email: 'known@example.com' });
    locked = await seedActiveAccount(t.deps, { email: 'locked@example.com' });
    const inactive = await createAccount(t.deps, CLI_ACTOR, { displayName: 'Not Yet', email: 'inactive@example.com' });
    if (!inactive.ok) throw new Error(inactive.code);
    inactiveEmail = inactive.account.email;
    // Locked the way an attacker would lock it: wrong guesses up to the threshold (5).
    for (let i = 0; i < 5; i++) await postJson(`${t.app.url}/api/v1/login`, { login: locked.email, password: WRONG });
    expect((await findAccountById(t.deps.db, locked.id))?.locked_until).toBeGreaterThan(t.clock.now());
  });
  afterAll(async () => {
    await t.stop();
  });

  /** How many attempts of each result login_attempts holds for an account (null: no account). */
  async function results(accountId: string | null): Promise<Record<string, number>> {
    const q = t.deps.db.selectFrom('login_attempts').select('result');
    const rows = await (accountId === null ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId)).execute();
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.result] = (counts[r.result] ?? 0) + 1;
    return counts;
  }

  it('POST /api/v1/login: unknown, wrong password, locked and not activated answer alike', async () => {
    const ask = async (login: string, password: string) => {
      const res = await fetch(`${t.app.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      return { status: res.status, headers: visibleHeaders(res.headers), body: await res.text() };
    };
    const wrongPassword = await ask(known.email, WRONG);
    const unknown = await ask(unknownEmail, WRONG);
    // The locked account's right password: it must not show the lock.
    const lockedRight = await ask(locked.email, locked.password);
    const lockedWrong = await ask(locked.email, WRONG);
    const notActivated = await ask(inactiveEmail, WRONG);

    expect(wrongPassword.status).toBe(401);
    expect(JSON.parse(wrongPassword.body)).toEqual({ error: 'invalid_credentials', message: 'The login or password is not correct.' });
    for (const other of [unknown, lockedRight, lockedWrong, notActivated]) expect(other).toEqual(wrongPassword);

    // Four different paths behind one answer.
    expect(await results(known.id)).toEqual({ wrong_password: 1 });
    expect(await results(null)).toEqual({ unknown_login: 1 });
    expect(await results(locked.id)).toEqual({ wrong_password: 5, locked: 2 });
    const inactive = await t.deps.db.selectFrom('accounts').select('id').where('email', '=', inactiveEmail).executeTakeFirstOrThrow();
    expect(await results(inactive.id)).toEqual({ not_activated: 1 });
  });

  it('POST /forgot: unknown, known, locked and not activated answer alike (CSRF nonce aside)', async () => {
    // At most 5 POSTs per 10 minutes per address reach the core; this test makes 4.
    const ask = async (login: string) => {
      const form = await fetch(`${t.app.url}/forgot`);
      const formText = await form.text();
      const cookie = /kd_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
      const csrf = /name="csrf" value="([^"]+)"/.exec(formText)?.[1];
      expect(cookie && csrf).toBeTruthy();
      const res = await fetch(`${t.app.url}/forgot`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kd_csrf=${cookie}` },
        body: new URLSearchParams({ csrf: csrf!, login }).toString(),
        redirect: 'manual',
      });
      const headers = visibleHeaders(res.headers);
      return {
        status: res.status,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, withoutNonces(v)])),
        body: withoutNonces(await res.text()),
      };
    };
    const knownAnswer = await ask(known.email);
    const unknown = await ask(unknownEmail);
    const lockedAnswer = await ask(locked.email);
    const notActivated = await ask(inactiveEmail);

    expect(knownAnswer.status).toBe(200);
    expect(knownAnswer.body).toContain('If an account matches, we emailed it.');
    for (const other of [unknown, lockedAnswer, notActivated]) expect(other).toEqual(knownAnswer);

    // Behind the one page, the known login was sent a reset link and the unknown and
    // inactive ones were not (whether a locked account gets one is passwords.ts's call).
    const jobs = await t.app.queues.email.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    const resetTo = jobs.filter((j) => j.data.kind === 'reset_link').map((j) => j.data.to);
    expect(resetTo).toContain(known.email);
    expect(resetTo).not.toContain(unknownEmail);
    expect(resetTo).not.toContain(inactiveEmail);
  });
});
