// Codes by email or SMS, on both stores: 6 digits, 10 minutes, used once, hashed at rest;
// at most 5 tries per code and 3 sends per account in 10 minutes, each reserved before the
// work it guards (bursts with the right code sent last); the enrolment choice, the login
// that asks for the code and takes it, POST /api/v1/otp's core, and /validate's core.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { login } from '../../src/core/login.js';
import { requestLoginCode } from '../../src/core/login-code.js';
import { beginCodeEnrolment, clearMfa, confirmCodeEnrolment, resendEnrolmentCode } from '../../src/core/mfa.js';
import { checkCode, CODE_TTL_MS, MAX_CODE_SENDS, MAX_CODE_TRIES, sendCode } from '../../src/core/otp-codes.js';
import { requestValidationCode, revalidateWithCode } from '../../src/core/revalidation.js';
import { issueToken } from '../../src/core/tokens.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, auditRows, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const WEB = webActor('203.0.113.44');

describe.each(STORE_KINDS)('one-time codes on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  const lastEmailCode = (accountId: string) => h.effects.last('otp_code', accountId).secret!;
  const lastSmsCode = (accountId: string) => h.effects.sms.filter((s) => s.accountId === accountId).at(-1)!.code;
  const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  /** Enrols `p` on a code method through its enrolment link, as the page does. */
  async function enrolByCode(p: Person, channel: 'email' | 'sms'): Promise<void> {
    const link = await issueToken(h.deps, p.id, 'mfa_enrol');
    const sent = await beginCodeEnrolment(h.deps, link.secret, { password: p.password, securityAnswer: p.answer }, channel, WEB);
    if (!sent.ok) throw new Error(sent.code);
    const code = channel === 'email' ? lastEmailCode(p.id) : lastSmsCode(p.id);
    const done = await confirmCodeEnrolment(h.deps, WEB, link.secret, channel, code);
    if (!done.ok) throw new Error(done.code);
  }

  it('a code is 6 digits, hashed at rest, works once and for 10 minutes', async () => {
    const p = await seedPerson(h);
    const account = await accountRow(h, p.id);
    expect((await sendCode(h.deps, account, 'login', 'email')).sent).toBe(true);
    const code = lastEmailCode(p.id);
    expect(code).toMatch(/^\d{6}$/);
    const rows = await h.deps.db.selectFrom('otp_codes').selectAll().where('account_id', '=', p.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows[0]!.expires_at - rows[0]!.created_at).toBe(CODE_TTL_MS);
    expect(await checkCode(h.deps, p.id, 'login', code)).toBe('right');
    expect(await checkCode(h.deps, p.id, 'login', code)).toBe('spent');

    await sendCode(h.deps, account, 'login', 'email');
    const late = lastEmailCode(p.id);
    h.clock.advance(CODE_TTL_MS);
    expect(await checkCode(h.deps, p.id, 'login', late)).toBe('spent');
    // A code for one purpose proves nothing for another.
    await sendCode(h.deps, account, 'validate', 'email');
    expect(await checkCode(h.deps, p.id, 'login', lastEmailCode(p.id))).toBe('spent');
  });

  it('a newer code replaces the older one; an SMS needs a phone on file', async () => {
    const p = await seedPerson(h);
    const account = await accountRow(h, p.id);
    await sendCode(h.deps, account, 'login', 'email');
    const first = lastEmailCode(p.id);
    await sendCode(h.deps, account, 'login', 'email');
    const second = lastEmailCode(p.id);
    if (first !== second) expect(await checkCode(h.deps, p.id, 'login', first)).toBe('wrong');
    expect(await checkCode(h.deps, p.id, 'login', second)).toBe('right');
    expect(await sendCode(h.deps, account, 'login', 'sms')).toEqual({ sent: false, why: 'no_channel' });
    expect(h.effects.sms).toHaveLength(0);
  });

  it('a burst of wrong codes with the right one last: at most 5 are checked, the rest refused unchecked', async () => {
    const p = await seedPerson(h);
    await sendCode(h.deps, await accountRow(h, p.id), 'login', 'email');
    const code = lastEmailCode(p.id);
    const tries = [...Array.from({ length: 14 }, () => wrongFor(code)), code];
    const results = await Promise.all(tries.map((typed) => checkCode(h.deps, p.id, 'login', typed)));
    const checked = results.filter((r) => r !== 'spent');
    expect(checked.length).toBeLessThanOrEqual(MAX_CODE_TRIES);
    expect(results.filter((r) => r === 'spent').length).toBeGreaterThanOrEqual(tries.length - MAX_CODE_TRIES);
    const row = await h.deps.db.selectFrom('otp_codes').select('failed_attempts').where('account_id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(MAX_CODE_TRIES);
    // Spent: even the right code is refused now.
    expect(await checkCode(h.deps, p.id, 'login', code)).toBe('spent');
  });

  it('a burst of sends: exactly 3 in 10 minutes, then none until the window passes', async () => {
    const p = await seedPerson(h);
    const account = await accountRow(h, p.id);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => sendCode(h.deps, account, i % 2 ? 'login' : 'validate', 'email')));
    expect(outcomes.filter((o) => o.sent)).toHaveLength(MAX_CODE_SENDS);
    expect(outcomes.filter((o) => !o.sent && o.why === 'limit')).toHaveLength(10 - MAX_CODE_SENDS);
    expect(h.effects.of('otp_code', p.id)).toHaveLength(MAX_CODE_SENDS);
    h.clock.advance(10 * 60_000 + 1);
    expect((await sendCode(h.deps, account, 'login', 'email')).sent).toBe(true);
  });

  it('enrols on SMS: the login asks for ["sms"], POST /otp sends a code, the login takes it once', async () => {
    const p = await seedPerson(h, { phone: '+33612345678' });
    await enrolByCode(p, 'sms');
    expect((await accountRow(h, p.id)).mfa_method).toBe('sms');
    expect(await login(h.deps, WEB, { login: p.email, password: p.password })).toMatchObject({ ok: false, error: 'otp_required', methods: ['sms'] });

    // Nothing is sent for a wrong password, another method or an unknown login.
    const before = h.effects.sms.length;
    expect(await requestLoginCode(h.deps, WEB, { login: p.email, password: 'not the password at all', method: 'sms' })).toBe('not_sent');
    expect(await requestLoginCode(h.deps, WEB, { login: p.email, password: p.password, method: 'email' })).toBe('not_sent');
    expect(await requestLoginCode(h.deps, WEB, { login: 'nobody@example.com', password: p.password, method: 'sms' })).toBe('not_sent');
    expect(h.effects.sms.length).toBe(before);

    expect(await requestLoginCode(h.deps, WEB, { login: p.email, password: p.password, method: 'sms' })).toBe('sent');
    const sms = h.effects.sms.at(-1)!;
    expect(sms.to).toBe('+33612345678');
    expect((await login(h.deps, WEB, { login: p.email, password: p.password, otp: wrongFor(sms.code) })).ok).toBe(false);
    expect((await login(h.deps, WEB, { login: p.email, password: p.password, otp: sms.code })).ok).toBe(true);
    expect((await login(h.deps, WEB, { login: p.email, password: p.password, otp: sms.code })).ok).toBe(false);
    expect(await auditRows(h, { action: 'otp_sent', target: p.id })).toHaveLength(2);
  });

  it("POST /otp's password check counts toward the lockout like a login", async () => {
    const p = await seedPerson(h);
    await enrolByCode(p, 'email');
    for (let i = 0; i < 5; i++) await requestLoginCode(h.deps, WEB, { login: p.email, password: `wrong guess number ${i}`, method: 'email' });
    expect((await accountRow(h, p.id)).locked_until).not.toBeNull();
    const sent = h.effects.of('otp_code', p.id).length;
    expect(await requestLoginCode(h.deps, WEB, { login: p.email, password: p.password, method: 'email' })).toBe('not_sent');
    expect(h.effects.of('otp_code', p.id).length).toBe(sent);
  });

  it('a right password on POST /otp gives its attempt back: it never locks', async () => {
    const p = await seedPerson(h);
    await enrolByCode(p, 'email');
    for (let i = 0; i < 8; i++) await requestLoginCode(h.deps, WEB, { login: p.email, password: p.password, method: 'email' });
    const row = await accountRow(h, p.id);
    expect(row.locked_until).toBeNull();
    expect(row.failed_count).toBe(0);
  });

  it('clearing MFA ends the code method; re-enrolment may pick another', async () => {
    const p = await seedPerson(h, { phone: '+33612345679' });
    await enrolByCode(p, 'email');
    expect((await clearMfa(h.deps, CLI_ACTOR, p.id)).ok).toBe(true);
    expect((await accountRow(h, p.id)).mfa_method).toBeNull();
    expect((await login(h.deps, WEB, { login: p.email, password: p.password })).ok).toBe(true);
    h.clock.advance(10 * 60_000 + 1);
    await enrolByCode(p, 'sms');
    expect(await login(h.deps, WEB, { login: p.email, password: p.password })).toMatchObject({ methods: ['sms'] });
  });

  it('an enrolment code: a wrong one is refused, SMS without a phone is refused', async () => {
    const p = await seedPerson(h);
    const link = await issueToken(h.deps, p.id, 'mfa_enrol');
    const proof = { password: p.password, securityAnswer: p.answer };
    const noPhone = await beginCodeEnrolment(h.deps, link.secret, proof, 'sms', WEB);
    expect(noPhone.ok ? 'ok' : noPhone.code).toBe('no_phone_on_file');
    const sent = await beginCodeEnrolment(h.deps, link.secret, proof, 'email', WEB);
    expect(sent.ok && sent.sentTo).toMatch(/^.\*\*\*@example\.com$/);
    const wrong = await confirmCodeEnrolment(h.deps, WEB, link.secret, 'email', wrongFor(lastEmailCode(p.id)));
    expect(wrong.ok ? 'ok' : wrong.code).toBe('wrong_code');
    expect((await accountRow(h, p.id)).mfa_method).toBeNull();
  });

  it('an enrolment code sent again: only after step 1 proved the owner; it replaces the first, within the 3 sends', async () => {
    const p = await seedPerson(h);
    const link = await issueToken(h.deps, p.id, 'mfa_enrol');
    // The link alone sends nothing: no code was sent on it after a proven step 1.
    const early = await resendEnrolmentCode(h.deps, link.secret, 'email', WEB);
    expect(early.ok ? 'ok' : early.code).toBe('token_invalid');
    expect(h.effects.of('otp_code', p.id)).toHaveLength(0);

    expect((await beginCodeEnrolment(h.deps, link.secret, { password: p.password, securityAnswer: p.answer }, 'email', WEB)).ok).toBe(true);
    const first = lastEmailCode(p.id);
    const again = await resendEnrolmentCode(h.deps, link.secret, 'email', WEB);
    expect(again.ok && again.sentTo).toMatch(/^.\*\*\*@example\.com$/);
    const second = lastEmailCode(p.id);
    expect(h.effects.of('otp_code', p.id)).toHaveLength(2);
    // No SMS: no phone on file (and no code went there on this link).
    expect((await resendEnrolmentCode(h.deps, link.secret, 'sms', WEB)).ok).toBe(false);
    // The third send is the last in 10 minutes.
    expect((await resendEnrolmentCode(h.deps, link.secret, 'email', WEB)).ok).toBe(true);
    const third = lastEmailCode(p.id);
    const fourth = await resendEnrolmentCode(h.deps, link.secret, 'email', WEB);
    expect(fourth.ok ? 'ok' : fourth.code).toBe('code_send_limit');
    expect(h.effects.of('otp_code', p.id)).toHaveLength(3);
    // Only the newest code works.
    for (const old of new Set([first, second].filter((c) => c !== third))) {
      const stale = await confirmCodeEnrolment(h.deps, WEB, link.secret, 'email', old);
      expect(stale.ok ? 'ok' : stale.code).toBe('wrong_code');
    }
    expect((await confirmCodeEnrolment(h.deps, WEB, link.secret, 'email', third)).ok).toBe(true);
    expect((await accountRow(h, p.id)).mfa_method).toBe('email');
    // Used up with the link.
    expect((await resendEnrolmentCode(h.deps, link.secret, 'email', WEB)).ok).toBe(false);
    expect(await auditRows(h, { action: 'otp_sent', target: p.id })).toHaveLength(3);
  });

  it('/validate: a code to the email or phone on file enables an account disabled for validation, once', async () => {
    const p = await seedPerson(h, { phone: '+33612345670' });
    expect((await disableAccount(h.deps, CLI_ACTOR, p.id, 'validation')).ok).toBe(true);
    await requestValidationCode(h.deps, WEB, '+33 6 12 34 56 70', 'sms');
    const code = lastSmsCode(p.id);
    const wrong = await revalidateWithCode(h.deps, WEB, p.email, wrongFor(code));
    expect(wrong.ok ? 'ok' : wrong.code).toBe('wrong_code');
    expect((await revalidateWithCode(h.deps, WEB, p.email, code)).ok).toBe(true);
    const row = await accountRow(h, p.id);
    expect(row.status).toBe('active');
    expect(row.disabled_reason).toBeNull();
    expect(await auditRows(h, { action: 'revalidate', target: p.id })).toHaveLength(1);
    expect(h.effects.last('account_enabled', p.id).facts).toEqual({ signIn: 1 });
    expect(h.effects.notices).toContainEqual(expect.objectContaining({ kind: 'account_enabled', accountId: p.id, status: 'active' }));
    expect((await revalidateWithCode(h.deps, WEB, p.email, code)).ok).toBe(false);
  });

  it('/validate sends nothing for an unknown login, an active account, or another disable reason', async () => {
    const active = await seedPerson(h);
    const byAdmin = await seedPerson(h);
    await disableAccount(h.deps, CLI_ACTOR, byAdmin.id, 'admin');
    for (const login of ['nobody@example.com', active.email, byAdmin.email]) await requestValidationCode(h.deps, WEB, login, 'email');
    expect(h.effects.of('otp_code')).toHaveLength(0);
    const refused = await revalidateWithCode(h.deps, WEB, byAdmin.email, '123456');
    expect(refused.ok ? 'ok' : refused.code).toBe('wrong_code');
    expect((await accountRow(h, byAdmin.id)).status).toBe('disabled');
  });
});
