// Sign-in sessions over the auth API, on both stores: POST /api/v1/login hands one out,
// GET /api/v1/session slides it (never past the absolute limit), POST /api/v1/logout ends
// it, and a password change, a reset, an admin reset, an MFA clear and a disable end
// every session of the account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { clearMfa } from '../../src/core/mfa.js';
import { adminResetPassword, changeOwnPassword, resetPasswordByToken } from '../../src/core/passwords.js';
import { finishSignIn } from '../../src/core/login.js';
import { countActiveSessions, endAllSessions, signOutEverywhere } from '../../src/core/sessions.js';
import { findAccountById } from '../../src/store/accounts.js';
import { hashTokenSecret } from '../../src/core/token-secret.js';
import { issueToken } from '../../src/core/tokens.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { STORE_KINDS } from '../support/stores.js';

const IDLE_S = 600;
const MAX_S = 3600;

describe.each(STORE_KINDS)('sessions API on %s', (kind) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_IDLE_SECONDS: String(IDLE_S), SESSION_MAX_SECONDS: String(MAX_S) });
    base = `${t.app.url}/api/v1`;
  });
  afterAll(async () => {
    await t.stop();
  });

  async function signIn(user: SeededAccount): Promise<{ token: string; expiresAt: string; body: Record<string, unknown> }> {
    const res = await postJson(`${base}/login`, { login: user.email, password: user.password });
    expect(res.status).toBe(200);
    return { token: String(res.body.session_token), expiresAt: String(res.body.session_expires_at), body: res.body };
  }
  const session = (token?: string) =>
    fetch(`${base}/session`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const logout = (headers: Record<string, string> = {}) => fetch(`${base}/logout`, { method: 'POST', headers });
  const sessionStatus = async (token: string) => (await session(token)).status;

  it('login returns a session; GET /session answers with the account; the row holds only a hash', async () => {
    const user = await seedActiveAccount(t.deps, { displayName: 'Sam Session' });
    const { token, expiresAt, body } = await signIn(user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(expiresAt).toBe(new Date(t.clock.now() + IDLE_S * 1000).toISOString());
    expect(body).toMatchObject({ account_id: user.id, must_change_password: false });
    expect(body).not.toHaveProperty('change_password_token');

    const res = await session(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      account_id: user.id,
      email: user.email,
      display_name: 'Sam Session',
      role: 'user',
      session_expires_at: expiresAt,
    });

    const rows = await t.deps.db.selectFrom('sessions').selectAll().where('account_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashTokenSecret(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ ended_at: null, absolute_expires_at: t.clock.now() + MAX_S * 1000 });
  });

  it('slides the idle expiry on each use, and ends past it', async () => {
    const user = await seedActiveAccount(t.deps);
    const { token } = await signIn(user);
    t.clock.advance((IDLE_S - 1) * 1000);
    const used = await session(token);
    expect(used.status).toBe(200);
    expect(((await used.json()) as { session_expires_at: string }).session_expires_at).toBe(new Date(t.clock.now() + IDLE_S * 1000).toISOString());
    t.clock.advance((IDLE_S - 1) * 1000);
    expect(await sessionStatus(token)).toBe(200); // the slide held
    t.clock.advance(IDLE_S * 1000);
    const expired = await session(token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'invalid_session' });
    expect(await countActiveSessions(t.deps, user.id)).toBe(0);
  });

  it('ends at the absolute limit even while in use, and the slide never passes it', async () => {
    const user = await seedActiveAccount(t.deps);
    const started = t.clock.now();
    const { token } = await signIn(user);
    const absolute = started + MAX_S * 1000;
    let last = '';
    while (t.clock.now() + (IDLE_S - 60) * 1000 < absolute) {
      t.clock.advance((IDLE_S - 60) * 1000);
      const res = await session(token);
      expect(res.status).toBe(200);
      last = ((await res.json()) as { session_expires_at: string }).session_expires_at;
      expect(Date.parse(last)).toBeLessThanOrEqual(absolute);
    }
    expect(last).toBe(new Date(absolute).toISOString());
    t.clock.set(absolute);
    expect(await sessionStatus(token)).toBe(401);
  });

  it('logout ends the session with 204; any logout answers 204', async () => {
    const user = await seedActiveAccount(t.deps);
    const { token } = await signIn(user);
    const out = await logout({ authorization: `Bearer ${token}` });
    expect(out.status).toBe(204);
    expect(await out.text()).toBe('');
    expect(await sessionStatus(token)).toBe(401);
    expect((await logout({ authorization: `Bearer ${token}` })).status).toBe(204); // again
    expect((await logout()).status).toBe(204);
    expect((await logout({ authorization: 'Bearer garbage' })).status).toBe(204);
    expect((await logout({ authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(204);
    expect((await logout({ authorization: `Bearer ${'A'.repeat(43)}` })).status).toBe(204);
    const row = await t.deps.db.selectFrom('sessions').selectAll().where('token_hash', '=', hashTokenSecret(token)).executeTakeFirstOrThrow();
    expect(row.ended_reason).toBe('logout');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('target_account_id', '=', user.id).where('action', '=', 'logout').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(user.id);
  });

  it('GET /session refuses a missing, garbage or unknown token', async () => {
    for (const token of [undefined, '', 'garbage', 'A'.repeat(43), 'x'.repeat(300)]) {
      const res = await session(token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'invalid_session' });
    }
  });

  it('gives no session while the password must be changed', async () => {
    const user = await seedActiveAccount(t.deps);
    await t.deps.db.updateTable('accounts').set({ must_change_password: 1 }).where('id', '=', user.id).execute();
    const res = await postJson(`${base}/login`, { login: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.must_change_password).toBe(true);
    expect(res.body).not.toHaveProperty('session_token');
    expect(res.body).not.toHaveProperty('session_expires_at');
    expect(await countActiveSessions(t.deps, user.id)).toBe(0);
  });

  it('a password change, a reset, an admin reset, an MFA clear and a disable each end every session', async () => {
    const ended = async (user: SeededAccount, tokens: string[], reason: string) => {
      for (const token of tokens) expect(await sessionStatus(token)).toBe(401);
      const rows = await t.deps.db.selectFrom('sessions').selectAll().where('account_id', '=', user.id).execute();
      expect(rows.map((r) => r.ended_reason)).toEqual(tokens.map(() => reason));
      const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('target_account_id', '=', user.id).where('action', '=', 'sessions_ended').execute();
      expect(audit.map((a) => JSON.parse(a.detail) as unknown)).toEqual([{ count: tokens.length, reason }]);
    };

    // Own change (the /change-password link).
    const alice = await seedActiveAccount(t.deps);
    const aliceTokens = [(await signIn(alice)).token, (await signIn(alice)).token];
    expect(await countActiveSessions(t.deps, alice.id)).toBe(2);
    const change = await issueToken(t.deps, alice.id, 'change_password');
    const changed = await changeOwnPassword(t.deps, webActor('127.0.0.1'), change.secret, {
      currentPassword: alice.password,
      newPassword: 'a completely new passphrase 7',
      pin: alice.pin,
    });
    expect(changed.ok).toBe(true);
    await ended(alice, aliceTokens, 'password_changed');

    // A set-password link (what the link policy of an admin reset sends).
    const bob = await seedActiveAccount(t.deps);
    const bobTokens = [(await signIn(bob)).token];
    const link = await issueToken(t.deps, bob.id, 'set_password');
    expect((await resetPasswordByToken(t.deps, webActor('127.0.0.1'), link.secret, { newPassword: 'another brand new passphrase' })).ok).toBe(true);
    await ended(bob, bobTokens, 'password_reset');

    // An admin reset ends them at once, under every policy (here the link one: the old password still works until the link is used).
    const carol = await seedActiveAccount(t.deps);
    const carolTokens = [(await signIn(carol)).token];
    expect((await adminResetPassword(t.deps, CLI_ACTOR, carol.id, null, 'link')).ok).toBe(true);
    await ended(carol, carolTokens, 'admin_reset');
    // The temporary-password policy too.
    const dave = await seedActiveAccount(t.deps);
    const daveTokens = [(await signIn(dave)).token];
    expect((await adminResetPassword(t.deps, CLI_ACTOR, dave.id, null, 'random')).ok).toBe(true);
    await ended(dave, daveTokens, 'admin_reset');

    const erin = await seedActiveAccount(t.deps);
    const erinTokens = [(await signIn(erin)).token, (await signIn(erin)).token];
    expect((await clearMfa(t.deps, CLI_ACTOR, erin.id)).ok).toBe(true);
    await ended(erin, erinTokens, 'mfa_cleared');

    const fay = await seedActiveAccount(t.deps);
    const fayTokens = [(await signIn(fay)).token];
    expect((await disableAccount(t.deps, CLI_ACTOR, fay.id, 'admin')).ok).toBe(true);
    await ended(fay, fayTokens, 'disabled');
  });

  it('refuses a live session of an account disabled behind its back', async () => {
    const user = await seedActiveAccount(t.deps);
    const { token } = await signIn(user);
    await t.deps.db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect(await sessionStatus(token)).toBe(401);
    await t.deps.db.updateTable('accounts').set({ status: 'active' }).where('id', '=', user.id).execute();
    expect(await sessionStatus(token)).toBe(200); // nothing ended it: the account's status alone refused it
  });

  it('endAllSessions (the email change will call it) and sign out everywhere end only that account’s live sessions', async () => {
    const user = await seedActiveAccount(t.deps);
    const other = await seedActiveAccount(t.deps);
    const mine = [(await signIn(user)).token, (await signIn(user)).token];
    const theirs = (await signIn(other)).token;
    expect(await endAllSessions(t.deps.db, user.id, 'email_changed', t.clock.now(), CLI_ACTOR)).toBe(2);
    expect(await endAllSessions(t.deps.db, user.id, 'email_changed', t.clock.now(), CLI_ACTOR)).toBe(0);
    for (const token of mine) expect(await sessionStatus(token)).toBe(401);
    expect(await sessionStatus(theirs)).toBe(200);
    expect(await signOutEverywhere(t.deps, CLI_ACTOR, other.id)).toBe(1);
    expect(await sessionStatus(theirs)).toBe(401);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('target_account_id', '=', other.id).where('action', 'in', ['sessions_ended', 'sign_out_everywhere']).execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.detail) as unknown]).sort()).toEqual([
      ['sessions_ended', { count: 1, reason: 'sign_out_everywhere' }],
      ['sign_out_everywhere', { count: 1 }],
    ]);
  });

  it('a sign-in verified against a password that changed meanwhile leaves no session', async () => {
    const user = await seedActiveAccount(t.deps);
    const stale = (await findAccountById(t.deps.db, user.id))!;
    const change = await issueToken(t.deps, user.id, 'change_password');
    expect((await changeOwnPassword(t.deps, webActor('127.0.0.1'), change.secret, { currentPassword: user.password, newPassword: 'the passphrase after the change', pin: user.pin })).ok).toBe(true);
    expect(await finishSignIn(t.deps, stale, '127.0.0.1', { startSession: true, spendTempPassword: false })).toEqual({ ok: false, result: 'wrong_password' });
    const disabled = await seedActiveAccount(t.deps);
    const before = (await findAccountById(t.deps.db, disabled.id))!;
    expect((await disableAccount(t.deps, CLI_ACTOR, disabled.id, 'admin')).ok).toBe(true);
    expect(await finishSignIn(t.deps, before, '127.0.0.1', { startSession: true, spendTempPassword: false })).toEqual({ ok: false, result: 'wrong_password' });
    expect(await countActiveSessions(t.deps, user.id)).toBe(0);
    expect(await countActiveSessions(t.deps, disabled.id)).toBe(0);

    // Through the API: a burst of sign-ins with the password change sent last; once all
    // settle, whatever sessions the sign-ins got, none outlives the change.
    const racer = await seedActiveAccount(t.deps);
    const link = await issueToken(t.deps, racer.id, 'change_password');
    const logins = Array.from({ length: 8 }, () => postJson(`${base}/login`, { login: racer.email, password: racer.password }));
    const changed = changeOwnPassword(t.deps, webActor('127.0.0.1'), link.secret, { currentPassword: racer.password, newPassword: 'raced passphrase number two', pin: racer.pin });
    const [answers, outcome] = await Promise.all([Promise.all(logins), changed]);
    expect(outcome.ok).toBe(true);
    for (const a of answers) expect([200, 401]).toContain(a.status);
    expect(await countActiveSessions(t.deps, racer.id)).toBe(0);
    for (const a of answers.filter((x) => x.status === 200)) expect(await sessionStatus(String(a.body.session_token))).toBe(401);
  });

  it('a logout racing 20 uses is never undone: afterwards the session is 401', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await seedActiveAccount(t.deps);
      const { token } = await signIn(user);
      const uses = Array.from({ length: 20 }, (_, i) => i);
      const settled = await Promise.all(
        uses.map((i) => (i === 10 ? logout({ authorization: `Bearer ${token}` }).then((r) => r.status) : session(token).then((r) => r.status))),
      );
      expect(settled[10]).toBe(204);
      for (const [i, status] of settled.entries()) if (i !== 10) expect([200, 401]).toContain(status);
      expect(await sessionStatus(token)).toBe(401);
      const row = await t.deps.db.selectFrom('sessions').selectAll().where('token_hash', '=', hashTokenSecret(token)).executeTakeFirstOrThrow();
      expect(row.ended_reason).toBe('logout');
      expect(row.ended_at).not.toBeNull();
    }
  });
});
