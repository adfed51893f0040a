// Second factors by code through the auth API, over HTTP against the whole app on both
// stores: the 401 otp_required names the account's method; POST /api/v1/otp answers the
// same 202 whatever happens and sends a code only for the right password; the code reaches
// the SMTP sink (email) or DATA_DIR/outbox/*.sms.json (SMS) through the real workers; a
// login takes it once and not after 10 minutes; /otp's wrong password counts toward the
// lockout like a login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, disableAccount } from '../../src/core/accounts.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { beginEnrolment, confirmEnrolment } from '../../src/core/mfa.js';
import { CODE_TTL_MS } from '../../src/core/otp-codes.js';
import { issueToken } from '../../src/core/tokens.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { findAccountById } from '../../src/store/accounts.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { emailCodesTo, enrolByCode, readSmsOutbox, waitForEmailCode, waitForSmsCode } from '../support/codes.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { Browser } from '../support/page-client.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

const WRONG = 'not the password, but long enough';

/** Date and X-Request-Id differ on every response whoever asks; everything else must match. */
function visibleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'x-request-id') out[name] = value;
  });
  return out;
}

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe.each(STORE_KINDS)('codes by email or SMS through the auth API on %s', (kind) => {
  let t: TestApp;
  let sink: SmtpSink;
  let n = 0;
  const api = (path: string, body: Record<string, string>) => postJson(`${t.app.url}/api/v1/${path}`, body);
  const raw = async (path: string, body: Record<string, string>) => {
    const res = await fetch(`${t.app.url}/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, headers: visibleHeaders(res.headers), body: await res.text() };
  };
  const phone = () => `+3361234${String(5000 + ++n).padStart(4, '0')}`;
  /** Every email job has ended (completed or failed): nothing more is on its way to the sink. */
  const emailsSettled = () =>
    waitFor(async () => {
      const c = await t.app.queues.email.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).every((v) => v === 0);
    }, 15_000);
  const smsSettled = () =>
    waitFor(async () => {
      const c = await t.app.queues.sms.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).every((v) => v === 0);
    }, 15_000);

  async function emailAccount(): Promise<SeededAccount> {
    const user = await seedActiveAccount(t.deps);
    await enrolByCode(t.deps, t.clock, user, 'email', (skip) => waitForEmailCode(sink, user.email, skip));
    return user;
  }
  async function smsAccount(): Promise<SeededAccount & { phone: string }> {
    const number = phone();
    const user = await seedActiveAccount(t.deps, { phone: number });
    await enrolByCode(t.deps, t.clock, user, 'sms', (skip) => waitForSmsCode(t.store.dataDir, number, skip));
    return { ...user, phone: number };
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SMTP_URL: sink.url, SMTP_TLS: 'off', EMAIL_RETRY_BASE_MS: '50' });
  });
  afterAll(async () => {
    await t?.stop();
    await sink?.close();
  });

  it('a right password asks for the account’s method: ["email"], ["sms"] or ["totp"]; a wrong one shows none', async () => {
    const byEmail = await emailAccount();
    const bySms = await smsAccount();
    const byApp = await seedActiveAccount(t.deps);
    const link = await issueToken(t.deps, byApp.id, 'mfa_enrol');
    const begun = await beginEnrolment(t.deps, link.secret, { password: byApp.password, securityAnswer: byApp.answer });
    if (!begun.ok) throw new Error(begun.code);
    const owner = (await findAccountById(t.deps.db, byApp.id))!;
    expect((await confirmEnrolment(t.deps, actorFromAccount(owner), link.secret, begun.totpSecret, await totpCodeAt(begun.totpSecret, t.clock.now()))).ok).toBe(true);

    for (const [user, method] of [
      [byEmail, 'email'],
      [bySms, 'sms'],
      [byApp, 'totp'],
    ] as const) {
      const res = await api('login', { login: user.email, password: user.password });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'otp_required', methods: [method] });
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'methods']);
      const wrong = await api('login', { login: user.email, password: WRONG });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
      expect(wrong.body).not.toHaveProperty('methods');
    }
  });

  it('POST /api/v1/otp answers the same 202 for an unknown login, a wrong password, a locked, a disabled or a never-activated account, another method and the right password; only the last sends', async () => {
    const user = await emailAccount();
    const locked = await emailAccount();
    for (let i = 0; i < 5; i++) await api('login', { login: locked.email, password: WRONG });
    expect((await findAccountById(t.deps.db, locked.id))?.locked_until).toBeGreaterThan(t.clock.now());
    const disabled = await emailAccount();
    expect((await disableAccount(t.deps, CLI_ACTOR, disabled.id, 'admin')).ok).toBe(true);
    const pending = await createAccount(t.deps, CLI_ACTOR, { email: `pending-${++n}@example.com`, displayName: 'Not Yet' });
    if (!pending.ok) throw new Error(pending.code);
    const inactive = pending.account.email;
    await emailsSettled(); // the lock email and the enrolment codes are out of the way
    const before = { user: emailCodesTo(sink, user.email), locked: emailCodesTo(sink, locked.email), disabled: emailCodesTo(sink, disabled.email) };

    const answers = {
      unknown: await raw('otp', { login: 'nobody-here@example.com', password: WRONG, method: 'email' }),
      wrong: await raw('otp', { login: user.email, password: WRONG, method: 'email' }),
      locked: await raw('otp', { login: locked.email, password: locked.password, method: 'email' }),
      otherMethod: await raw('otp', { login: user.email, password: user.password, method: 'sms' }),
      notActivated: await raw('otp', { login: inactive, password: WRONG, method: 'email' }),
      disabled: await raw('otp', { login: disabled.email, password: disabled.password, method: 'email' }),
      right: await raw('otp', { login: user.email, password: user.password, method: 'email' }),
    };
    for (const answer of Object.values(answers)) {
      expect(answer.status).toBe(202);
      expect(JSON.parse(answer.body)).toEqual({ status: 'accepted' });
      expect(answer).toEqual(answers.right);
    }
    await waitForEmailCode(sink, user.email, before.user);
    await emailsSettled();
    expect(emailCodesTo(sink, user.email)).toBe(before.user + 1);
    expect(emailCodesTo(sink, locked.email)).toBe(before.locked);
    expect(emailCodesTo(sink, disabled.email)).toBe(before.disabled);
    const sent = await t.deps.db.selectFrom('audit_log').select('target_account_id').where('action', '=', 'otp_sent').where('detail', 'like', '%login%').execute();
    expect(sent.filter((r) => r.target_account_id === user.id)).toHaveLength(1);
    expect(sent.filter((r) => r.target_account_id === locked.id)).toHaveLength(0);
  });

  it('email: the code reaches the SMTP sink; the login takes it once; a reused code fails', async () => {
    const user = await emailAccount();
    const skip = emailCodesTo(sink, user.email);
    expect((await api('otp', { login: user.email, password: user.password, method: 'email' })).status).toBe(202);
    const code = await waitForEmailCode(sink, user.email, skip);
    const mail = sink.messages.filter((m) => m.to.includes(user.email)).at(-1)!;
    expect(mail.subject).toMatch(/Your keydesk code$/);

    expect(await api('login', { login: user.email, password: user.password, otp: wrongFor(code) })).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    const ok = await api('login', { login: user.email, password: user.password, otp: code });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ account_id: user.id, must_change_password: false });
    expect(String(ok.body.session_token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await api('login', { login: user.email, password: user.password, otp: code });
    expect(again).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    // The right password without a code still asks for one (the wrong tries did not lock).
    expect(await api('login', { login: user.email, password: user.password })).toMatchObject({ status: 401, body: { error: 'otp_required', methods: ['email'] } });
  });

  it('SMS: the code lands in DATA_DIR/outbox/<id>.sms.json {to, text, at} and works once', async () => {
    const user = await smsAccount();
    const skip = (await readSmsOutbox(t.store.dataDir)).filter((m) => m.to === user.phone).length;
    expect((await api('otp', { login: user.email, password: user.password, method: 'sms' })).status).toBe(202);
    const code = await waitForSmsCode(t.store.dataDir, user.phone, skip);
    const file = (await readSmsOutbox(t.store.dataDir)).filter((m) => m.to === user.phone).at(-1)!;
    expect(file.file).toMatch(/^[0-9a-f-]{36}\.sms\.json$/);
    expect(file.text).toBe(`keydesk code: ${code}. It works once, for 10 minutes. Never share it.`);
    expect(Number.isNaN(Date.parse(file.at))).toBe(false);
    // Nothing by email for an SMS account.
    await emailsSettled();
    expect(emailCodesTo(sink, user.email)).toBe(0);

    expect((await api('login', { login: user.email, password: user.password, otp: code })).status).toBe(200);
    expect((await api('login', { login: user.email, password: user.password, otp: code })).status).toBe(401);
  });

  it('a code 10 minutes old is refused; a new one works', async () => {
    const user = await emailAccount();
    const skip = emailCodesTo(sink, user.email);
    await api('otp', { login: user.email, password: user.password, method: 'email' });
    const late = await waitForEmailCode(sink, user.email, skip);
    t.clock.advance(CODE_TTL_MS);
    expect(await api('login', { login: user.email, password: user.password, otp: late })).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });

    await api('otp', { login: user.email, password: user.password, method: 'email' });
    const fresh = await waitForEmailCode(sink, user.email, skip + 1);
    t.clock.advance(CODE_TTL_MS - 1000);
    expect((await api('login', { login: user.email, password: user.password, otp: fresh })).status).toBe(200);
  });

  it("POST /otp's wrong password counts toward the lockout like a login; locked, the right password sends nothing", async () => {
    const user = await smsAccount();
    for (let i = 0; i < 3; i++) expect((await api('otp', { login: user.email, password: `${WRONG} ${i}`, method: 'sms' })).status).toBe(202);
    expect((await findAccountById(t.deps.db, user.id))?.failed_count).toBe(3);
    for (let i = 0; i < 2; i++) await api('login', { login: user.email, password: `${WRONG} ${i}` });
    const row = await findAccountById(t.deps.db, user.id);
    expect(row?.locked_until).toBe(t.clock.now() + 3_600_000);
    const attempts = await t.deps.db.selectFrom('login_attempts').select('result').where('account_id', '=', user.id).where('result', '=', 'wrong_password').execute();
    expect(attempts).toHaveLength(5);

    await smsSettled();
    const before = (await readSmsOutbox(t.store.dataDir)).filter((m) => m.to === user.phone).length;
    expect((await api('otp', { login: user.email, password: user.password, method: 'sms' })).status).toBe(202);
    expect(await api('login', { login: user.email, password: user.password })).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    await smsSettled();
    expect((await readSmsOutbox(t.store.dataDir)).filter((m) => m.to === user.phone)).toHaveLength(before);
  });
  it('the /login page\'s "Send me a code": CSRF required; the same page for a wrong and a right password; only the right one sends; a wrong one counts toward the lockout', async () => {
    const user = await emailAccount();
    await emailsSettled();
    const before = emailCodesTo(sink, user.email);
    const page = new Browser(t.app.url);
    await page.get('/login');
    const step = await page.post('/login', { login: user.email, password: user.password });
    expect(step.status).toBe(401);
    expect(step.text).toContain('name="send" value="1"');
    expect(step.text).toContain('name="method" value="email"');
    expect(step.text).not.toContain(user.password);

    expect((await page.post('/login', { login: user.email, password: user.password, method: 'email', send: '1' }, { csrf: null })).status).toBe(403);
    const normalize = (text: string) => text.replace(/name="csrf" value="[^"]+"/g, '');
    const wrong = await page.post('/login', { login: user.email, password: WRONG, method: 'email', send: '1' });
    const unknown = await page.post('/login', { login: 'nobody-here@example.com', password: WRONG, method: 'email', send: '1' });
    const right = await page.post('/login', { login: user.email, password: user.password, method: 'email', send: '1' });
    expect(right.status).toBe(200);
    expect(right.text).not.toContain(user.password);
    for (const other of [wrong, unknown]) {
      expect(other.status).toBe(right.status);
      expect(normalize(other.text).replaceAll('nobody-here@example.com', user.email)).toBe(normalize(right.text));
    }
    const code = await waitForEmailCode(sink, user.email, before);
    await emailsSettled();
    expect(emailCodesTo(sink, user.email)).toBe(before + 1);
    expect((await findAccountById(t.deps.db, user.id))?.failed_count).toBe(1);

    const signedIn = await page.post('/login', { login: user.email, password: user.password, otp: code });
    expect(signedIn.status).toBe(200);
    expect(signedIn.text).toMatch(/Signed in as/);
  });
});
