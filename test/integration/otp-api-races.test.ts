// The code limits under bursts over HTTP, on both stores: 12 concurrent logins carrying
// wrong codes with the right one sent last check at most 5 (the tries are reserved on the
// code's row before any comparison), and once spent even the right code is refused; 8
// concurrent POST /api/v1/otp send exactly 3 codes (reserved under the account's row lock),
// counted where they land: the SMTP sink and the SMS outbox. LOCKOUT_THRESHOLD is raised
// so the password lockout (also 5) is not what stops the burst: the code's own limit is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { CODE_SEND_WINDOW_MS, MAX_CODE_SENDS, MAX_CODE_TRIES } from '../../src/core/otp-codes.js';
import { findAccountById } from '../../src/store/accounts.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { emailCodesTo, enrolByCode, readSmsOutbox, waitForEmailCode, waitForSmsCode } from '../support/codes.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

const wrongFor = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

describe.each(STORE_KINDS)('code limits under bursts through the auth API on %s', (kind) => {
  let t: TestApp;
  let sink: SmtpSink;
  let n = 0;
  const api = (path: string, body: Record<string, string>) => postJson(`${t.app.url}/api/v1/${path}`, body);
  const settled = (queue: 'email' | 'sms') =>
    waitFor(async () => {
      const c = await t.app.queues[queue].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((v) => v === 0);
    }, 15_000);
  const smsTo = async (to: string) => (await readSmsOutbox(t.store.dataDir)).filter((m) => m.to === to).length;

  async function emailAccount(): Promise<SeededAccount> {
    const user = await seedActiveAccount(t.deps);
    await enrolByCode(t.deps, t.clock, user, 'email', (skip) => waitForEmailCode(sink, user.email, skip));
    return user;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOCKOUT_THRESHOLD: '50', TRUST_PROXY: '1', SMTP_URL: sink.url, SMTP_TLS: 'off', EMAIL_RETRY_BASE_MS: '50' });
  });
  afterAll(async () => {
    await t?.stop();
    await sink?.close();
  });

  it(`12 concurrent logins, wrong codes first and the right one last: at most ${MAX_CODE_TRIES} checked; spent, the right code is refused`, async () => {
    const user = await emailAccount();
    const skip = emailCodesTo(sink, user.email);
    await api('otp', { login: user.email, password: user.password, method: 'email' });
    const code = await waitForEmailCode(sink, user.email, skip);

    const typed = [...Array.from({ length: 11 }, (_, i) => wrongFor(code, i)), code];
    const answers = await Promise.all(typed.map((otp) => api('login', { login: user.email, password: user.password, otp })));
    const won = answers.filter((a) => a.status === 200);
    expect(answers.every((a) => a.status === 200 || (a.status === 401 && a.body.error === 'invalid_credentials'))).toBe(true);
    // The try is reserved before the code is compared: never a 6th reservation. The right
    // code wins only if it was among the 5 checked (most runs it is refused, all 5 tries
    // spent by wrong ones); once it won, no try is left to reserve, so fewer may have been.
    const row = await t.deps.db.selectFrom('otp_codes').select(['failed_attempts', 'used_at']).where('account_id', '=', user.id).where('purpose', '=', 'login').executeTakeFirstOrThrow();
    expect(won.length).toBeLessThanOrEqual(1);
    if (won.length === 0) expect(row.failed_attempts).toBe(MAX_CODE_TRIES);
    else expect(row.failed_attempts).toBeLessThanOrEqual(MAX_CODE_TRIES);
    expect(row.used_at === null).toBe(won.length === 0);
    // Spent (or used): the right code is refused from now on.
    expect(await api('login', { login: user.email, password: user.password, otp: code })).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    console.log(`otp-races(${kind}): 12 concurrent logins → ${won.length} accepted, ${row.failed_attempts} tries reserved`);
  });

  it('one by one: 5 wrong codes spend the code, and the right one is refused after them', async () => {
    const user = await emailAccount();
    const skip = emailCodesTo(sink, user.email);
    await api('otp', { login: user.email, password: user.password, method: 'email' });
    const code = await waitForEmailCode(sink, user.email, skip);
    for (let i = 0; i < MAX_CODE_TRIES; i++) expect((await api('login', { login: user.email, password: user.password, otp: wrongFor(code, i) })).status).toBe(401);
    expect((await api('login', { login: user.email, password: user.password, otp: code })).status).toBe(401);
    // A new code is a new set of tries.
    await api('otp', { login: user.email, password: user.password, method: 'email' });
    const next = await waitForEmailCode(sink, user.email, skip + 1);
    expect((await api('login', { login: user.email, password: user.password, otp: next })).status).toBe(200);
  });

  it(`8 concurrent POST /otp by email: all 202, exactly ${MAX_CODE_SENDS} codes reach the SMTP sink`, async () => {
    const user = await emailAccount();
    await settled('email');
    const before = emailCodesTo(sink, user.email);
    const answers = await Promise.all(Array.from({ length: 8 }, () => api('otp', { login: user.email, password: user.password, method: 'email' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    await waitForEmailCode(sink, user.email, before + MAX_CODE_SENDS - 1);
    await settled('email');
    expect(emailCodesTo(sink, user.email) - before).toBe(MAX_CODE_SENDS);
    const refused = await t.deps.db.selectFrom('audit_log').select('detail').where('target_account_id', '=', user.id).where('action', '=', 'otp_send_refused').execute();
    expect(refused).toHaveLength(8 - MAX_CODE_SENDS);
    // A newer code replaces the older: of the 3 delivered, exactly one signs in.
    const live = await t.deps.db.selectFrom('otp_codes').select('id').where('account_id', '=', user.id).where('purpose', '=', 'login').where('revoked_at', 'is', null).execute();
    expect(live).toHaveLength(1);
    const delivered = await Promise.all(Array.from({ length: MAX_CODE_SENDS }, (_, i) => waitForEmailCode(sink, user.email, before + i)));
    const signIns = [];
    for (const otp of delivered) signIns.push((await api('login', { login: user.email, password: user.password, otp })).status);
    expect(signIns.filter((s) => s === 200)).toHaveLength(1);
  });

  it(`8 concurrent POST /otp by SMS: exactly ${MAX_CODE_SENDS} files in the outbox; past the window one more`, async () => {
    const number = `+33698765${String(100 + ++n).slice(-3)}`;
    const user = await seedActiveAccount(t.deps, { phone: number });
    await enrolByCode(t.deps, t.clock, user, 'sms', (skip) => waitForSmsCode(t.store.dataDir, number, skip));
    await settled('sms');
    const before = await smsTo(number);
    const answers = await Promise.all(Array.from({ length: 8 }, () => api('otp', { login: user.email, password: user.password, method: 'sms' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    await waitForSmsCode(t.store.dataDir, number, before + MAX_CODE_SENDS - 1);
    await settled('sms');
    expect((await smsTo(number)) - before).toBe(MAX_CODE_SENDS);

    t.clock.advance(CODE_SEND_WINDOW_MS + 1);
    await api('otp', { login: user.email, password: user.password, method: 'sms' });
    const code = await waitForSmsCode(t.store.dataDir, number, before + MAX_CODE_SENDS);
    await settled('sms');
    expect((await smsTo(number)) - before).toBe(MAX_CODE_SENDS + 1);
    expect((await api('login', { login: user.email, password: user.password, otp: code })).status).toBe(200);
  });
  /** A CSRF pair for /validate, and a poster that sends its form from one client address. */
  async function validateForm(address: string) {
    const res = await fetch(`${t.app.url}/validate`);
    const cookie = /kd_csrf=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(await res.text())![1]!;
    return async (fields: Record<string, string>) => {
      const r = await fetch(`${t.app.url}/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': address },
        body: new URLSearchParams({ csrf, ...fields }).toString(),
      });
      return { status: r.status, text: await r.text() };
    };
  }

  it('/validate under bursts: 8 concurrent sends make exactly 3 codes; 12 concurrent codes (the right one last) check at most 5', async () => {
    const user = await seedActiveAccount(t.deps);
    expect((await disableAccount(t.deps, CLI_ACTOR, user.id, 'validation')).ok).toBe(true);
    await settled('email');
    const before = emailCodesTo(sink, user.email);
    const post = await validateForm(`198.51.100.${10 + ++n}`);
    const sends = await Promise.all(Array.from({ length: 8 }, () => post({ login: user.email, channel: 'email' })));
    expect(sends.map((s) => s.status)).toEqual(Array(8).fill(200));
    await waitForEmailCode(sink, user.email, before + MAX_CODE_SENDS - 1);
    await settled('email');
    expect(emailCodesTo(sink, user.email) - before).toBe(MAX_CODE_SENDS);

    // One of the 3 delivered codes is the live one (a newer send replaces the older), and
    // delivery order need not be creation order: the burst sends 9 wrong codes, then all 3.
    const delivered = await Promise.all(Array.from({ length: MAX_CODE_SENDS }, (_, i) => waitForEmailCode(sink, user.email, before + i)));
    const proof = /name="proof" value="([^"]+)"/.exec(sends[0]!.text)![1]!;
    const tries = await validateForm(`198.51.100.${10 + ++n}`);
    const wrong = Array.from({ length: 9 }, (_, i) => wrongFor(delivered[0]!, i + 1000)).filter((c) => !delivered.includes(c));
    const answers = await Promise.all([...wrong, ...delivered].map((code) => tries({ proof, code })));
    const row = await t.deps.db.selectFrom('otp_codes').select(['failed_attempts', 'used_at']).where('account_id', '=', user.id).where('purpose', '=', 'validate').where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    const won = answers.filter((a) => a.status === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    // As above: all 5 tries spent unless the live code won among them.
    if (won.length === 0) expect(row.failed_attempts).toBe(MAX_CODE_TRIES);
    else expect(row.failed_attempts).toBeLessThanOrEqual(MAX_CODE_TRIES);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 400 && a.text.includes('That code is not right'))).toBe(true);
    const account = await findAccountById(t.deps.db, user.id);
    expect(account?.status).toBe(won.length ? 'active' : 'disabled');
    console.log(`otp-races(${kind}): /validate 8 sends → ${MAX_CODE_SENDS} codes; ${answers.length} tries → ${won.length} accepted, ${row.failed_attempts} reserved`);
  });
});
