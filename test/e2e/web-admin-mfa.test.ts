// The admin-driven web flows in a real browser: a `random` admin reset → temporary
// password email → sign-in → forced change page → new password; an MFA clear →
// enrolment email → password + answer → QR and key → first code → sign-in asks for a
// code. Plus a French page, chosen by the browser's Accept-Language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { clearMfa } from '../../src/core/mfa.js';
import { adminResetPassword } from '../../src/core/passwords.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';

const TOKEN = '([A-Za-z0-9_-]{43})';

describe('admin reset and MFA enrolment in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', ADMIN_RESET_POLICY: 'random' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  const login = (l: string, password: string) => postJson(`${t.app.url}/api/v1/login`, { login: l, password });
  // Emailed links (and the 303 after a temporary-password sign-in) point at PUBLIC_URL;
  // the browser goes to the test server instead.
  const local = (token: string, page: string) => `${t.app.url}/${page}/${token}`;

  it('random admin reset: temporary password email → sign-in → forced change → the new password works, the temporary one not', { timeout: 30_000 }, async () => {
    const user = await seedActiveAccount(t.deps, { email: 'temp@example.com' });
    const reset = await adminResetPassword(t.deps, CLI_ACTOR, user.id, null);
    expect(reset.ok).toBe(true);
    const temporary = await waitForEmail(t.store.dataDir, 'temp@example.com', /temporary password is:\s+(\S+)/);
    expect(temporary).toMatch(/^[A-Za-z0-9]{20}$/);

    const page = await browser.page();
    page.setDefaultTimeout(10_000);
    // The sign-in answers 303 to a PUBLIC_URL link, which the pages' CSP (form-action
    // 'self') rightly won't let a form follow to another origin: pass the real answer on
    // with its location moved to the test server.
    let location = '';
    await page.route(`${t.app.url}/login`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const answer = await route.fetch({ maxRedirects: 0 });
      location = answer.headers()['location'] ?? '';
      const moved = location.startsWith(t.deps.policy.publicUrl) ? t.app.url + location.slice(t.deps.policy.publicUrl.length) : location;
      return route.fulfill({ response: answer, headers: { ...answer.headers(), location: moved } });
    });
    await page.goto(`${t.app.url}/login`);
    await page.fill('input[name=login]', 'temp@example.com');
    await page.fill('input[name=password]', temporary);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/change-password\//);
    expect(location).toMatch(new RegExp(`^${t.deps.policy.publicUrl}/change-password/${TOKEN}$`));
    await screenshot(page, 'change-password');
    expect(await page.textContent('h1')).toMatch(/My account/);
    await page.fill('input[name=current]', temporary);
    await page.fill('input[name=password]', 'juniper quarry lantern 61');
    await page.fill('input[name=password2]', 'juniper quarry lantern 61');
    await page.fill('input[name=pin]', user.pin);
    await page.click('button[type=submit]');
    await screenshot(page, 'change-password-done');
    expect(await page.textContent('body')).toMatch(/Your password was changed\. Sign in with it\./);

    expect((await login('temp@example.com', 'juniper quarry lantern 61')).status).toBe(200);
    expect((await login('temp@example.com', temporary)).status).toBe(401);
    await waitForEmail(t.store.dataDir, 'temp@example.com', /Your password was changed on /);
  });

  it('MFA clear → enrolment email → password + answer → QR and key → first code → sign-in asks for a code', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'mfa@example.com' });
    const cleared = await clearMfa(t.deps, CLI_ACTOR, user.id);
    expect(cleared.ok).toBe(true);
    const token = await waitForEmail(t.store.dataDir, 'mfa@example.com', new RegExp(`/mfa/enroll/${TOKEN}`));

    const page = await browser.page();
    await page.goto(local(token, 'mfa/enroll'));
    await screenshot(page, 'mfa-enroll');
    await page.fill('input[name=password]', user.password);
    await page.fill('input[name=answer]', user.answer);
    await page.click('button[type=submit]');
    await screenshot(page, 'mfa-enroll-qr');
    expect(await page.getAttribute('img', 'src')).toMatch(/^data:image\/png;base64,/);
    const secret = ((await page.textContent('code.totp-key')) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    await page.fill('input[name=code]', await totpCodeAt(secret, t.clock.now()));
    await page.click('button[type=submit]');
    await screenshot(page, 'mfa-enroll-done');
    expect(await page.textContent('body')).toMatch(/Two-step sign-in is on/);

    await page.goto(`${t.app.url}/login`);
    await page.fill('input[name=login]', 'mfa@example.com');
    await page.fill('input[name=password]', user.password);
    await page.click('button[type=submit]');
    await screenshot(page, 'login-otp');
    expect(await page.inputValue('input[name=login]')).toBe('mfa@example.com');
    expect(await page.inputValue('input[name=password]')).toBe('');
    // A code works once: move to the next 30 s steps for a fresh one.
    t.clock.advance(60_000);
    await page.fill('input[name=password]', user.password);
    await page.fill('input[name=otp]', await totpCodeAt(secret, t.clock.now()));
    await page.click('button[type=submit]');
    await screenshot(page, 'login-otp-done');
    expect(await page.textContent('body')).toMatch(/Signed in as Casey Tester \(mfa@example\.com\)/);
  });

  it('French: /forgot in a fr-FR browser', async () => {
    const context = await browser.browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/forgot`);
      await screenshot(page, 'forgot-fr');
      expect(await page.getAttribute('html', 'lang')).toMatch(/^fr/);
      const body = await page.textContent('body');
      expect(body).toMatch(/Mot de passe oublié/);
      expect(body).toMatch(/E-mail ou téléphone/);
    } finally {
      await context.close();
    }
  });
});
