// The web pages in a real browser: activation, then sign-in; forgot → emailed link →
// security question → new password → sign-in; the used link shows its page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { issueToken } from '../../src/core/tokens.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';

const TOKEN = '([A-Za-z0-9_-]{43})';

describe('web pages in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  const login = (l: string, password: string) => postJson(`${t.app.url}/api/v1/login`, { login: l, password });
  // The emailed link points at PUBLIC_URL; the browser goes to the test server instead.
  const local = (token: string, page: string) => `${t.app.url}/${page}/${token}`;

  it('activation: first password, PIN and question, then the login form signs in', async () => {
    const created = await createAccount(t.deps, CLI_ACTOR, { email: 'web@example.com', displayName: 'Wendy Example' });
    if (!created.ok) throw new Error(created.code);
    const token = await waitForEmail(t.store.dataDir, 'web@example.com', new RegExp(`/activate/${TOKEN}`));
    const page = await browser.page();
    await page.goto(local(token, 'activate'));
    await screenshot(page, 'activate');
    await page.fill('input[name=password]', 'saffron harbour kettle 88');
    await page.fill('input[name=password2]', 'saffron harbour kettle 88');
    await page.fill('input[name=pin]', '5831');
    await page.fill('input[name=question]', 'Name of your first pet?');
    await page.fill('input[name=answer]', 'Biscuit');
    await page.click('button[type=submit]');
    await screenshot(page, 'activate-done');
    expect((await login('web@example.com', 'saffron harbour kettle 88')).status).toBe(200);

    await page.goto(`${t.app.url}/login`);
    await screenshot(page, 'login');
    await page.fill('input[name=login]', 'web@example.com');
    await page.fill('input[name=password]', 'saffron harbour kettle 88');
    await page.click('button[type=submit]');
    await screenshot(page, 'login-done');
    expect(await page.textContent('body')).toMatch(/Signed in/i);
  });

  it('forgot by phone#extension → email → question → new password; the old one fails; the link again shows the used page', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'phone@example.com', phone: '+1 415 555 0142', extension: '7' });
    const page = await browser.page();
    await page.goto(`${t.app.url}/forgot`);
    await screenshot(page, 'forgot');
    await page.fill('input[name=login]', '+1 415 555 0142#7');
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toMatch(/If an account matches/i);
    const token = await waitForEmail(t.store.dataDir, 'phone@example.com', new RegExp(`/reset/${TOKEN}`));

    await page.goto(local(token, 'reset'));
    await screenshot(page, 'reset-question');
    await page.fill('input[name=answer]', user.answer);
    await page.click('button[type=submit]');
    await screenshot(page, 'reset-password');
    await page.fill('input[name=password]', 'copper lantern meadow 1999');
    await page.fill('input[name=password2]', 'copper lantern meadow 1999');
    await page.click('button[type=submit]');
    await screenshot(page, 'reset-done');
    expect((await login('phone@example.com', 'copper lantern meadow 1999')).status).toBe(200);
    expect((await login('phone@example.com', user.password)).status).toBe(401);

    await waitForEmail(t.store.dataDir, 'phone@example.com', /(password was changed)/i);

    const again = await page.goto(local(token, 'reset'));
    expect(again?.status()).toBe(410);
    await screenshot(page, 'reset-used');
  });

  it('forgot by email works the same way', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'mail@example.com' });
    const page = await browser.page();
    await page.goto(`${t.app.url}/forgot`);
    await page.fill('input[name=login]', 'MAIL@example.com');
    await page.click('button[type=submit]');
    const token = await waitForEmail(t.store.dataDir, 'mail@example.com', new RegExp(`/reset/${TOKEN}`));
    await page.goto(local(token, 'reset'));
    await page.fill('input[name=answer]', user.answer);
    await page.click('button[type=submit]');
    await page.fill('input[name=password]', 'velvet compass orchard 31');
    await page.fill('input[name=password2]', 'velvet compass orchard 31');
    await page.click('button[type=submit]');
    expect((await login('mail@example.com', 'velvet compass orchard 31')).status).toBe(200);
    expect((await login('mail@example.com', user.password)).status).toBe(401);
    await waitForEmail(t.store.dataDir, 'mail@example.com', /(password was changed)/i);
  });

  it('the language switch on a token page: Français shows the page in French and stores the account’s choice', async () => {
    const user = await seedActiveAccount(t.deps, { email: 'switch@example.com' });
    const { secret } = await issueToken(t.deps, user.id, 'change_password');
    const page = await browser.page();
    await page.goto(local(secret, 'change-password'));
    expect(await page.textContent('h1')).toBe('My account');
    await page.click('nav.lang button:has-text("Français")');
    await page.waitForSelector('html[lang=fr]');
    await screenshot(page, 'change-password-fr');
    expect(await page.textContent('h1')).toBe('Mon compte');
    expect(page.url()).toBe(local(secret, 'change-password'));
    const row = await t.deps.db.selectFrom('accounts').select(['locale', 'locale_chosen']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ locale: 'fr', locale_chosen: 1 });
    // Back to English by the same switch.
    await page.click('nav.lang button:has-text("English")');
    await page.waitForSelector('html[lang=en]');
    expect(await page.textContent('h1')).toBe('My account');
  });
});
