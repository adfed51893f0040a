// Core conformance, MFA: clear, re-enrol through the emailed link (password + security
// answer, then a first code), login with codes accepted once, MFA required by role, and
// the TOTP secret sealed at rest — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, webActor, type CoreDeps } from '../../src/core/deps.js';
import { login } from '../../src/core/login.js';
import { beginEnrolment, clearMfa, confirmEnrolment, sendMfaEnrolment } from '../../src/core/mfa.js';
import { inspectToken } from '../../src/core/tokens.js';
import { newTotpSecret, totpCodeAt } from '../../src/core/totp.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  accountRow,
  actorOf,
  auditRows,
  expectNoSecretsInAudit,
  secretOfLink,
  seedPerson,
  startCore,
  type CoreHarness,
  type Person,
} from '../support/core.js';

const WEB = webActor('203.0.113.30');
const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);

describe.each(STORE_KINDS)('core MFA on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  /** Enrols through the link the last mfa_enrol_link email carried; returns the TOTP secret and link secret. */
  async function enrolFromEmail(p: Person) {
    const link = secretOfLink(h.effects.last('mfa_enrol_link', p.id).secret, 'mfa/enroll');
    const begun = await beginEnrolment(h.deps, link, { password: p.password, securityAnswer: p.answer });
    if (!begun.ok) throw new Error(`beginEnrolment: ${begun.code}`);
    const confirmed = await confirmEnrolment(h.deps, WEB, link, begun.totpSecret, await totpCodeAt(begun.totpSecret, h.clock.now()));
    if (!confirmed.ok) throw new Error(`confirmEnrolment: ${confirmed.code}`);
    return { totpSecret: begun.totpSecret, link };
  }

  const tryLogin = (deps: CoreDeps, p: Person, password: string, otp?: string) => login(deps, WEB, { login: p.email, password, otp });

  it('clears MFA, then enrols through the emailed link: password + answer first, then a first code', async () => {
    const admin = await seedPerson(h, { role: 'admin' });
    const p = await seedPerson(h);
    expect((await clearMfa(h.deps, await actorOf(h, admin.id), p.id)).ok).toBe(true);
    // A notice (no secret) and, separately, the enrolment link.
    const notice = h.effects.last('mfa_cleared', p.id);
    expect(notice.to).toBe(p.email);
    expect(notice.secret).toBeUndefined();
    const mail = h.effects.last('mfa_enrol_link', p.id);
    expect(mail.to).toBe(p.email);
    const link = secretOfLink(mail.secret, 'mfa/enroll');

    const noPassword = await beginEnrolment(h.deps, link, { password: 'wrong wrong wrong wrong', securityAnswer: p.answer });
    expect(codeOf(noPassword)).toBe('wrong_password');
    const noAnswer = await beginEnrolment(h.deps, link, { password: p.password, securityAnswer: 'Elm Street' });
    expect(codeOf(noAnswer)).toBe('wrong_answer');
    const begun = await beginEnrolment(h.deps, link, { password: p.password, securityAnswer: ' rue des ACACIAS ' });
    if (!begun.ok) throw new Error(begun.code);
    expect(begun.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(begun.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(begun.uri).toContain('issuer=keydesk');
    expect((await accountRow(h, p.id)).totp_secret_enc).toBeNull();

    const wrongCode = await confirmEnrolment(h.deps, WEB, link, begun.totpSecret, '000000');
    expect(codeOf(wrongCode)).toBe('wrong_otp');
    const code = await totpCodeAt(begun.totpSecret, h.clock.now());
    expect((await confirmEnrolment(h.deps, WEB, link, begun.totpSecret, code)).ok).toBe(true);
    expect(codeOf(await inspectToken(h.deps, link, ['mfa_enrol']))).toBe('token_used');

    const row = await accountRow(h, p.id);
    expect(row.totp_secret_enc).not.toBeNull();
    expect(row.totp_secret_enc).not.toContain(begun.totpSecret);
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(h.deps.secrets.open(row.totp_secret_enc!, `totp:${p.id}`)).toBe(begun.totpSecret);

    expect((await auditRows(h, { action: 'clear_mfa', target: p.id }))[0]).toMatchObject({ actor: admin.id, client_address: '198.51.100.7' });
    expect((await auditRows(h, { action: 'enrol_mfa', target: p.id }))[0]).toMatchObject({ actor: 'web', client_address: '203.0.113.30' });
    await expectNoSecretsInAudit(h, [p.password, p.pin, p.answer, link, begun.totpSecret, begun.uri]);
  });

  it('takes only the secret step 1 offered: the link alone cannot enrol a made-up secret', async () => {
    const p = await seedPerson(h);
    await clearMfa(h.deps, CLI_ACTOR, p.id);
    const link = secretOfLink(h.effects.last('mfa_enrol_link', p.id).secret, 'mfa/enroll');
    const mine = newTotpSecret();
    const skipped = await confirmEnrolment(h.deps, WEB, link, mine, await totpCodeAt(mine, h.clock.now()));
    expect(codeOf(skipped)).toBe('token_invalid');
    expect((await accountRow(h, p.id)).totp_secret_enc).toBeNull();
    // The owner still enrols with the same link.
    const { totpSecret } = await enrolFromEmail(p);
    expect(totpSecret).not.toBe(mine);
  });

  it('voids the enrolment link after five wrong proofs', async () => {
    const p = await seedPerson(h);
    await clearMfa(h.deps, CLI_ACTOR, p.id);
    const link = secretOfLink(h.effects.last('mfa_enrol_link', p.id).secret, 'mfa/enroll');
    for (let i = 0; i < 5; i++) await beginEnrolment(h.deps, link, { password: `guess ${i} guess guess`, securityAnswer: p.answer });
    expect(codeOf(await beginEnrolment(h.deps, link, { password: p.password, securityAnswer: p.answer }))).toBe('token_invalid');
  });

  it('asks for a code only after the right password, accepts each code once, and counts a replay as a failure', async () => {
    const p = await seedPerson(h);
    await clearMfa(h.deps, CLI_ACTOR, p.id);
    const { totpSecret } = await enrolFromEmail(p);

    expect(await tryLogin(h.deps, p, p.password)).toMatchObject({ ok: false, error: 'otp_required', result: 'otp_required' });
    expect(await tryLogin(h.deps, p, 'not my password at all')).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'wrong_password' });
    const enrolCode = await totpCodeAt(totpSecret, h.clock.now());
    // The code that confirmed enrolment is spent too.
    expect(await tryLogin(h.deps, p, p.password, enrolCode)).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'wrong_otp' });

    h.clock.advance(30_000);
    const code = await totpCodeAt(totpSecret, h.clock.now());
    expect(await tryLogin(h.deps, p, 'not my password at all', code)).toMatchObject({ ok: false, error: 'invalid_credentials' });
    expect(await tryLogin(h.deps, p, p.password, code)).toMatchObject({ ok: true, accountId: p.id });
    expect((await accountRow(h, p.id)).failed_count).toBe(0);

    const replay = await tryLogin(h.deps, p, p.password, code);
    expect(replay).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'wrong_otp' });
    expect((await accountRow(h, p.id)).failed_count).toBe(1);
    expect(await tryLogin(h.deps, p, p.password, '123456')).toMatchObject({ ok: false, result: 'wrong_otp' });
    expect((await accountRow(h, p.id)).failed_count).toBe(2);

    // The next step's code works (once), even within the ±1 step window.
    h.clock.advance(30_000);
    const next = await totpCodeAt(totpSecret, h.clock.now());
    const raced = await Promise.all([tryLogin(h.deps, p, p.password, next), tryLogin(h.deps, p, p.password, next)]);
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    await expectNoSecretsInAudit(h, [p.password, p.pin, p.answer, totpSecret]);
  });

  it('clearing MFA again lets the password alone log in', async () => {
    const p = await seedPerson(h);
    await clearMfa(h.deps, CLI_ACTOR, p.id);
    await enrolFromEmail(p);
    expect(await tryLogin(h.deps, p, p.password)).toMatchObject({ ok: false, error: 'otp_required' });
    await clearMfa(h.deps, CLI_ACTOR, p.id);
    expect(await accountRow(h, p.id)).toMatchObject({ totp_secret_enc: null, totp_last_step: null });
    expect((await tryLogin(h.deps, p, p.password)).ok).toBe(true);
  });

  it('MFA_REQUIRED_ROLES=admin: an admin without MFA fails login with mfa_not_enrolled until enrolled', async () => {
    const deps = h.withEnv({ MFA_REQUIRED_ROLES: 'admin' });
    const admin = await seedPerson(h, { role: 'admin' });
    const user = await seedPerson(h);
    expect(await tryLogin(deps, admin, admin.password)).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'mfa_not_enrolled' });
    expect(await tryLogin(deps, admin, 'not the password at all')).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'wrong_password' });
    expect((await tryLogin(deps, user, user.password)).ok).toBe(true);
    const attempts = await h.deps.db.selectFrom('login_attempts').select('result').where('account_id', '=', admin.id).orderBy('at').execute();
    expect(attempts.map((a) => a.result)).toContain('mfa_not_enrolled');

    expect((await sendMfaEnrolment(deps, CLI_ACTOR, admin.id)).ok).toBe(true);
    const { totpSecret } = await enrolFromEmail(admin);
    expect(codeOf(await sendMfaEnrolment(deps, CLI_ACTOR, admin.id))).toBe('mfa_already_enrolled');
    h.clock.advance(30_000);
    expect(await tryLogin(deps, admin, admin.password, await totpCodeAt(totpSecret, h.clock.now()))).toMatchObject({ ok: true });
  });
});
