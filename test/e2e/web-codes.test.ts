// Codes by email or SMS in a real browser, against the whole app with a real SMTP sink and
// the SMS outbox: the enrolment page's choice (email, then SMS; "Send a new code" on the
// way), after which the auth API
// asks for that method; /validate for an account disabled for `validation`, by email (a
// mistyped code first: a polite error) and by phone; the /login page's "Send me a code"
// for an email and an SMS account, then the code, then signed in.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { issueToken } from '../../src/core/tokens.js';
import { findAccountById } from '../../src/store/accounts.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { emailCodesTo, enrolByCode, waitForEmailCode, waitForSmsCode } from '../support/codes.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const CONTINUE = 'button:text-is("Continue")';
const SEND = 'button:text-is("Send me a code")';
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('codes by email or SMS in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: TestBrowser;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SMTP_URL: sink.url, SMTP_TLS: 'off', EMAIL_RETRY_BASE_MS: '50' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await sink?.close();
  });
  const api = (login: string, password: string, otp?: string) => postJson(`${t.app.url}/api/v1/login`, { login, password, ...(otp ? { otp } : {}) });
  const open = async (path: string): Promise<Page> => {
    const page = await browser.page();
    page.setDefaultTimeout(10_000);
    await page.goto(`${t.app.url}${path}`);
    return page;
  };

  it('enrolment: choosing email sends a code to the SMTP sink; confirmed, the auth API asks for ["email"]', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'enrol-mail@example.com' });
    const link = await issueToken(t.deps, user.id, 'mfa_enrol');
    const page = await open(`/mfa/enroll/${link.secret}`);
    // No phone on file: no SMS choice.
    const methods = await page.locator('input[name=method]').all();
    expect(await Promise.all(methods.map((m) => m.getAttribute('value')))).toEqual(['totp', 'email']);
    await page.fill('input[name=password]', user.password);
    await page.fill('input[name=answer]', user.answer);
    await page.check('input[name=method][value=email]');
    await screenshot(page, 'codes-enrol-choice');
    await page.click(CONTINUE);
    expect(await page.textContent('body')).toMatch(/We sent a 6-digit code to e\*\*\*@example\.com/);
    const code = await waitForEmailCode(sink, user.email);
    await page.fill('input[name=code]', wrongFor(code));
    await page.click(CONTINUE);
    expect(await page.textContent('.error')).toMatch(/That code is not right/);
    // "Send a new code" (the code field may stay empty): a second code arrives and replaces the first.
    await page.click('button:text-is("Send a new code")');
    expect(await page.textContent('body')).toMatch(/We sent a new code to e\*\*\*@example\.com; the one before no longer works/);
    const newer = await waitForEmailCode(sink, user.email, 1);
    await page.fill('input[name=code]', code);
    await page.click(CONTINUE);
    expect(await page.textContent('.error')).toMatch(/That code is not right/);
    await page.fill('input[name=code]', newer);
    await page.click(CONTINUE);
    await screenshot(page, 'codes-enrol-done');
    expect(await page.textContent('body')).toMatch(/Two-step sign-in is on\..*we send it to e\*\*\*@example\.com/s);
    expect((await findAccountById(t.deps.db, user.id))?.mfa_method).toBe('email');
    expect(await api(user.email, user.password)).toMatchObject({ status: 401, body: { error: 'otp_required', methods: ['email'] } });
  });

  it('enrolment: with a phone on file, SMS is offered; the code lands in the outbox; the API then asks for ["sms"]', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'enrol-sms@example.com', phone: '+33612347001' });
    const link = await issueToken(t.deps, user.id, 'mfa_enrol');
    const page = await open(`/mfa/enroll/${link.secret}`);
    await page.fill('input[name=password]', user.password);
    await page.fill('input[name=answer]', user.answer);
    await page.check('input[name=method][value=sms]');
    await page.click(CONTINUE);
    expect(await page.textContent('body')).toMatch(/We sent a 6-digit code to \+33•+01/);
    await page.fill('input[name=code]', await waitForSmsCode(t.store.dataDir, '+33612347001'));
    await page.click(CONTINUE);
    expect(await page.textContent('body')).toMatch(/Two-step sign-in is on/);
    expect(await api(user.email, user.password)).toMatchObject({ status: 401, body: { error: 'otp_required', methods: ['sms'] } });
  });

  it('/validate by email: a mistyped code gets a polite error; the right one validates, and the account signs in', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'validate-mail@example.com' });
    expect((await disableAccount(t.deps, CLI_ACTOR, user.id, 'validation')).ok).toBe(true);
    expect((await api(user.email, user.password)).status).toBe(401);

    const page = await open('/validate');
    await screenshot(page, 'codes-validate');
    expect(await page.textContent('h1')).toBe('Validate your account');
    await page.fill('input[name=login]', 'Validate-Mail@example.com');
    expect(await page.isChecked('input[name=channel][value=email]')).toBe(true);
    await page.click(CONTINUE);
    expect(await page.textContent('body')).toMatch(/we sent it a 6-digit code/);
    const code = await waitForEmailCode(sink, user.email);
    await page.fill('input[name=code]', wrongFor(code));
    await page.click(CONTINUE);
    await screenshot(page, 'codes-validate-wrong');
    expect(await page.textContent('.error')).toBe('That code is not right, or it has expired. Ask for a new one.');
    expect(await page.textContent('body')).not.toMatch(/error|exception|stack/i);
    expect((await findAccountById(t.deps.db, user.id))?.status).toBe('disabled');

    await page.fill('input[name=code]', code);
    await page.click(CONTINUE);
    await screenshot(page, 'codes-validate-done');
    expect(await page.textContent('body')).toMatch(/Your account is validated\. You can sign in again\./);
    const row = await findAccountById(t.deps.db, user.id);
    expect(row).toMatchObject({ status: 'active', disabled_reason: null });
    expect((await api(user.email, user.password)).status).toBe(200);
  });

  it('/validate by phone: the code goes to the SMS outbox, and the account signs in', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'validate-sms@example.com', phone: '+33612347002' });
    expect((await disableAccount(t.deps, CLI_ACTOR, user.id, 'validation')).ok).toBe(true);
    const page = await open('/validate');
    await page.fill('input[name=login]', '+33 6 12 34 70 02');
    await page.check('input[name=channel][value=sms]');
    await page.click(CONTINUE);
    await page.fill('input[name=code]', await waitForSmsCode(t.store.dataDir, '+33612347002'));
    await page.click(CONTINUE);
    expect(await page.textContent('body')).toMatch(/Your account is validated/);
    expect(emailCodesTo(sink, user.email)).toBe(0);
    expect((await api(user.email, user.password)).status).toBe(200);
  });

  it('/login with an email factor: the page offers "Send me a code", then takes the code', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'login-mail@example.com' });
    await enrolByCode(t.deps, t.clock, user, 'email', (skip) => waitForEmailCode(sink, user.email, skip));
    const page = await open('/login');
    await page.fill('input[name=login]', user.email);
    await page.fill('input[name=password]', user.password);
    await page.click(CONTINUE);
    await screenshot(page, 'codes-login-send');
    expect(await page.textContent('body')).toMatch(/we send you a code by email/);
    expect(await page.inputValue('input[name=login]')).toBe(user.email);
    expect(await page.inputValue('input[name=password]')).toBe(''); // never echoed back
    expect(await page.isVisible(SEND)).toBe(true);

    const skip = emailCodesTo(sink, user.email);
    await page.fill('input[name=password]', user.password);
    await page.click(SEND);
    await screenshot(page, 'codes-login-sent');
    expect(await page.textContent('body')).toMatch(/If your password was right, we sent a 6-digit code to your email address/);
    expect(await page.inputValue('input[name=password]')).toBe('');
    const code = await waitForEmailCode(sink, user.email, skip);

    await page.fill('input[name=password]', user.password);
    await page.fill('input[name=otp]', code);
    await page.click(CONTINUE);
    await screenshot(page, 'codes-login-done');
    expect(await page.textContent('body')).toMatch(/Signed in as Casey Tester \(login-mail@example\.com\)/);
    // Used: the same code does not sign in twice.
    expect((await api(user.email, user.password, code)).status).toBe(401);
  });

  it('/login with an SMS factor, in French: « M’envoyer un code », the code from the outbox, signed in; a wrong password sends nothing', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'login-sms@example.com', phone: '+33612347003' });
    await enrolByCode(t.deps, t.clock, user, 'sms', (skip) => waitForSmsCode(t.store.dataDir, '+33612347003', skip));
    const context = await browser.browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${t.app.url}/login`);
      await page.fill('input[name=login]', user.email);
      await page.fill('input[name=password]', user.password);
      await page.click('button:text-is("Continuer")');
      expect(await page.textContent('body')).toMatch(/nous vous envoyons un code par SMS/);
      // A wrong password: the same words, and no SMS.
      await page.fill('input[name=password]', 'not the password at all');
      await page.click('button:text-is("M’envoyer un code")');
      expect(await page.textContent('body')).toMatch(/Si votre mot de passe était le bon/);
      await page.fill('input[name=password]', user.password);
      await page.click('button:text-is("M’envoyer un code")');
      await screenshot(page, 'codes-login-sms-fr');
      const code = await waitForSmsCode(t.store.dataDir, '+33612347003', 1);
      await expect(waitForSmsCode(t.store.dataDir, '+33612347003', 2, 500)).rejects.toThrow(/timed out/);
      await page.fill('input[name=password]', user.password);
      await page.fill('input[name=otp]', code);
      await page.click('button:text-is("Continuer")');
      expect(await page.textContent('body')).toMatch(/Connecté en tant que Casey Tester/);
    } finally {
      await context.close();
    }
  });
});
