// What ends, what refuses and what stays on record, on both stores: change links are
// rate-limited per account; disabling ends every live link; a temporary password works
// for one sign-in and is "current" only through the change link that sign-in earned;
// every refused attempt leaves a row; login_attempts can't be rewritten.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessKey, revealAccessKey, verifyAccessKey } from '../../src/core/access-keys.js';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { expireLock } from '../../src/core/lockout.js';
import { login } from '../../src/core/login.js';
import { beginEnrolment } from '../../src/core/mfa.js';
import { adminResetPassword, changeOwnPassword, issueChangePasswordLink, requestPasswordReset, resetPasswordByToken, verifyResetAnswer } from '../../src/core/passwords.js';
import { inspectToken, issueToken } from '../../src/core/tokens.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, actorOf, auditRows, secretOfLink, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const WEB = webActor('203.0.113.30');
const NEW_PASSWORD = 'granite orchard whistle 88 bay';
const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);

describe.each(STORE_KINDS)('core limits on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  const tryLogin = (p: Pick<Person, 'email'>, password: string) => login(h.deps, WEB, { login: p.email, password });

  it('a sign-in sends the same SQL whatever the clock says (each statement prepared once, not per login)', async () => {
    const p = await seedPerson(h);
    const statementsOf = async (password: string): Promise<string[]> => {
      const seen: string[] = [];
      const executor = h.deps.db.getExecutor();
      const db = h.deps.db.withPlugin({
        transformQuery: (args) => (seen.push(executor.compileQuery(args.node, args.queryId).sql), args.node),
        transformResult: (args) => Promise.resolve(args.result),
      });
      await login({ ...h.deps, db }, WEB, { login: p.email, password });
      return seen;
    };
    const first = await statementsOf(p.password);
    h.clock.advance(61_000);
    expect(await statementsOf(p.password)).toEqual(first);
    const wrong = await statementsOf('not the password');
    h.clock.advance(61_000);
    expect(await statementsOf('not the password')).toEqual(wrong);
    expect(wrong.some((q) => /update "accounts"/i.test(q))).toBe(true);
  });

  it('change-password links: at most 3 an hour per account, then a polite refusal', async () => {
    const p = await seedPerson(h);
    const actor = await actorOf(h, p.id);
    for (let i = 0; i < 3; i++) expect((await issueChangePasswordLink(h.deps, actor, p.id)).ok).toBe(true);
    const fourth = await issueChangePasswordLink(h.deps, actor, p.id);
    expect(codeOf(fourth)).toBe('link_limit');
    expect(fourth.ok ? '' : fourth.message('fr')).toContain('3 liens');
    expect(await auditRows(h, { action: 'change_link_throttled', target: p.id })).toHaveLength(1);
    h.clock.advance(3_600_001);
    expect((await issueChangePasswordLink(h.deps, actor, p.id)).ok).toBe(true);
  });

  it('disabling revokes every open link: a reset link then refuses and the password stays', async () => {
    const p = await seedPerson(h);
    await requestPasswordReset(h.deps, WEB, p.email);
    const reset = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
    const enrol = await issueToken(h.deps, p.id, 'mfa_enrol');
    const change = await issueToken(h.deps, p.id, 'change_password');
    const before = (await accountRow(h, p.id)).password_hash;

    expect((await disableAccount(h.deps, CLI_ACTOR, p.id, 'admin')).ok).toBe(true);
    expect(codeOf(await resetPasswordByToken(h.deps, WEB, reset, { securityAnswer: p.answer, newPassword: NEW_PASSWORD }))).toBe('token_invalid');
    expect(codeOf(await verifyResetAnswer(h.deps, reset, p.answer))).toBe('token_invalid');
    expect(codeOf(await beginEnrolment(h.deps, enrol.secret, { password: p.password, securityAnswer: p.answer }))).toBe('token_invalid');
    expect(codeOf(await changeOwnPassword(h.deps, WEB, change.secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin }))).toBe('token_invalid');
    for (const [secret, purpose] of [[reset, 'reset'], [enrol.secret, 'mfa_enrol'], [change.secret, 'change_password']] as const) {
      expect(codeOf(await inspectToken(h.deps, secret, [purpose]))).toBe('token_invalid');
    }
    expect((await accountRow(h, p.id)).password_hash).toBe(before);
  });

  it('reset and enrolment refuse a disabled account even with a link issued after it was disabled', async () => {
    const p = await seedPerson(h);
    expect((await disableAccount(h.deps, CLI_ACTOR, p.id, 'payment')).ok).toBe(true);
    const reset = await issueToken(h.deps, p.id, 'reset');
    const enrol = await issueToken(h.deps, p.id, 'mfa_enrol');
    expect(codeOf(await resetPasswordByToken(h.deps, WEB, reset.secret, { securityAnswer: p.answer, newPassword: NEW_PASSWORD }))).toBe('token_invalid');
    expect(codeOf(await beginEnrolment(h.deps, enrol.secret, { password: p.password, securityAnswer: p.answer }))).toBe('token_invalid');
  });

  it('a temporary password signs in once within 24 h and is "current" only through the change link that sign-in issued', async () => {
    const p = await seedPerson(h);
    expect((await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'random')).ok).toBe(true);
    const temporary = h.effects.last('temp_password', p.id).secret!;

    // Before its one sign-in: the DM link and the enrolment page don't take it.
    const dmLink = await issueChangePasswordLink(h.deps, await actorOf(h, p.id), p.id);
    if (!dmLink.ok) throw new Error(dmLink.code);
    const dmSecret = secretOfLink(dmLink.link, 'change-password');
    const viaDm = await changeOwnPassword(h.deps, WEB, dmSecret, { currentPassword: temporary, newPassword: NEW_PASSWORD, pin: p.pin });
    expect(codeOf(viaDm)).toBe('temp_password_sign_in_first');
    const enrol = await issueToken(h.deps, p.id, 'mfa_enrol');
    expect(codeOf(await beginEnrolment(h.deps, enrol.secret, { password: temporary, securityAnswer: p.answer }))).toBe('temp_password_sign_in_first');

    // Its one sign-in.
    const first = await tryLogin(p, temporary);
    expect(first.ok && first.mustChangePassword).toBe(true);
    expect((await tryLogin(p, temporary)).ok).toBe(false);
    const earned = first.ok ? first.changePasswordToken! : '';

    // After it: a newer DM link still refuses it; the earned link is the only way.
    const later = await issueChangePasswordLink(h.deps, await actorOf(h, p.id), p.id);
    expect(codeOf(later)).toBe('ok');
    const laterSecret = later.ok ? secretOfLink(later.link, 'change-password') : '';
    const failures = (await accountRow(h, p.id)).failed_count;
    expect(codeOf(await changeOwnPassword(h.deps, WEB, laterSecret, { currentPassword: temporary, newPassword: NEW_PASSWORD, pin: p.pin }))).toBe('temp_password_sign_in_first');
    expect((await accountRow(h, p.id)).failed_count).toBe(failures); // the right temporary password is no guess
    // The newer DM link revoked the earned one (one change link at a time): sign-in can't be redone…
    expect(codeOf(await changeOwnPassword(h.deps, WEB, earned, { currentPassword: temporary, newPassword: NEW_PASSWORD, pin: p.pin }))).toBe('token_invalid');
  });

  it('locks that end together: concurrent expiry jobs clear each lock once, tell each owner once, and sweep a lock whose job was lost', async () => {
    const people = await Promise.all(Array.from({ length: 30 }, () => seedPerson(h)));
    const endsAt = h.clock.now() + 60_000;
    await h.deps.db.updateTable('accounts').set({ locked_until: endsAt, failed_count: 5 }).where('id', 'in', people.map((p) => p.id)).execute();
    h.clock.set(endsAt);
    // Jobs for the first 8 only, all at once: the other 22 jobs are "lost".
    const outcomes = await Promise.all(people.slice(0, 8).map((p) => expireLock(h.deps, p.id, endsAt)));
    expect(outcomes.every((o) => o === 'cleared' || o === 'gone')).toBe(true);
    expect(outcomes).toContain('cleared');
    const still = await h.deps.db.selectFrom('accounts').select('id').where('id', 'in', people.map((p) => p.id)).where('locked_until', 'is not', null).execute();
    expect(still).toEqual([]);
    for (const p of people) {
      expect(await auditRows(h, { action: 'lock_expired', target: p.id })).toHaveLength(1);
      expect(h.effects.of('account_unlocked', p.id)).toHaveLength(1);
      expect(h.effects.notices.filter((n) => n.kind === 'account_unlocked' && n.accountId === p.id)).toHaveLength(1);
    }
    // The swept locks' own jobs are cancelled (the 22 lost ones, and the 8 of which another
    // job swept the lock), so they don't each run to find it gone; no lock is cancelled twice.
    const cancels = h.effects.locks.filter((l) => l.op === 'cancel');
    expect(cancels.every((c) => c.lockedUntil === endsAt)).toBe(true);
    expect(new Set(cancels.map((c) => c.accountId)).size).toBe(cancels.length);
    for (const p of people.slice(8)) expect(cancels.some((c) => c.accountId === p.id)).toBe(true);
    // A job that runs after the sweep finds its lock gone; a new lock is never swept early.
    expect(await expireLock(h.deps, people[29]!.id, endsAt)).toBe('gone');
    await h.deps.db.updateTable('accounts').set({ locked_until: endsAt + 3_600_000 }).where('id', '=', people[0]!.id).execute();
    expect(await expireLock(h.deps, people[1]!.id, endsAt)).toBe('gone');
    expect((await accountRow(h, people[0]!.id)).locked_until).toBe(endsAt + 3_600_000);
  });

  it('a burst of sign-ins with one temporary password: exactly one wins, with a session; the rest are wrong passwords', async () => {
    const p = await seedPerson(h);
    expect((await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'random')).ok).toBe(true);
    const temporary = h.effects.last('temp_password', p.id).secret!;
    // Four, under the lockout's threshold of five, so each one is verified, not refused unseen.
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => login(h.deps, WEB, { login: p.email, password: temporary }, { startSession: true })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    // Its password must change first: the one winner gets the change link, not a session.
    const winner = outcomes.find((o) => o.ok);
    expect(winner?.ok && winner.mustChangePassword && winner.session === undefined).toBe(true);
    for (const o of outcomes.filter((x) => !x.ok)) expect(o).toMatchObject({ ok: false, result: 'wrong_password' });
    const attempts = await h.deps.db.selectFrom('login_attempts').select('result').where('account_id', '=', p.id).execute();
    expect(attempts.filter((a) => a.result === 'success')).toHaveLength(1);
  });

  it('the change link a temporary sign-in earned takes the temporary password once', async () => {
    const p = await seedPerson(h);
    expect((await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'random')).ok).toBe(true);
    const temporary = h.effects.last('temp_password', p.id).secret!;
    const first = await tryLogin(p, temporary);
    if (!first.ok) throw new Error(first.result);
    const done = await changeOwnPassword(h.deps, WEB, first.changePasswordToken!, { currentPassword: temporary, newPassword: NEW_PASSWORD, pin: p.pin });
    expect(done.ok).toBe(true);
    expect((await tryLogin(p, NEW_PASSWORD)).ok).toBe(true);
    expect((await tryLogin(p, temporary)).ok).toBe(false);
  });

  it('records what was refused: wrong answers and proofs, locked attempts, bad keys, /forgot for unknown logins', async () => {
    const p = await seedPerson(h);
    const reset = await issueToken(h.deps, p.id, 'reset');
    expect(codeOf(await verifyResetAnswer(h.deps, reset.secret, 'not it at all', WEB))).toBe('wrong_answer');
    const enrol = await issueToken(h.deps, p.id, 'mfa_enrol');
    expect(codeOf(await beginEnrolment(h.deps, enrol.secret, { password: 'not the password', securityAnswer: p.answer }, WEB))).toBe('wrong_password');
    await requestPasswordReset(h.deps, WEB, 'nobody-here@example.com');
    for (let i = 0; i < 6; i++) await tryLogin(p, `wrong ${i} wrong wrong`);

    const issued = await issueAccessKey(h.deps, CLI_ACTOR, p.id);
    if (!issued.ok) throw new Error(issued.code);
    const revealed = await revealAccessKey(h.deps, await actorOf(h, p.id), issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    expect(await verifyAccessKey(h.deps, `${revealed.accessKey.slice(0, -2)}xx`, '203.0.113.30')).toBeNull();
    expect(await verifyAccessKey(h.deps, 'kd_nosuchkey_0000000000000000000000000000000000000000000', '203.0.113.30')).toBeNull();

    const actions = (await auditRows(h)).map((r) => r.action);
    expect(actions).toContain('wrong_security_answer');
    expect(actions).toContain('wrong_enrolment_proof');
    const unknown = await auditRows(h, { action: 'reset_request_unknown' });
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ client_address: '203.0.113.30', target_account_id: null });
    expect(JSON.stringify(unknown)).not.toContain('nobody-here');

    const attempts = await h.deps.db.selectFrom('login_attempts').select(['account_id', 'result']).execute();
    expect(attempts.filter((a) => a.account_id === p.id && a.result === 'locked')).toHaveLength(1);
    expect(attempts.filter((a) => a.result === 'invalid_key').map((a) => a.account_id)).toEqual(expect.arrayContaining([p.id, null]));
  });

  it('login_attempts is append-only in the store', async () => {
    const p = await seedPerson(h);
    await tryLogin(p, 'a wrong one, recorded');
    await expect(h.deps.db.updateTable('login_attempts').set({ result: 'success' }).execute()).rejects.toThrow(/append-only/);
    await expect(h.deps.db.deleteFrom('login_attempts').execute()).rejects.toThrow(/append-only/);
  });
});
