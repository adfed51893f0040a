// The sandbox console in Chromium, end to end: each journey is driven only through the
// page at /sandbox (console → signed Slack request → keydesk → the emulator), and checked
// where the product shows it: the pane, the modal, the inbox, keydesk's own web pages.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/core/totp.js';
import { blockKitViolation } from '../../src/sandbox/console/call-checks.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { ConsoleDriver, startTestSandbox, type TestSandbox } from '../support/sandbox-console.js';

const JOURNEY_MS = 60_000;

describe('sandbox console journeys in Chromium', () => {
  let t: TestSandbox;
  let browser: TestBrowser;
  let page: Page;
  let d: ConsoleDriver;
  const warnings: string[] = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    browser = await launchBrowser();
    page = await browser.page();
    d = new ConsoleDriver(page, t.base);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** Renderer warnings in what is on screen now, kept for the last check. */
  const noteWarnings = async (where: string) => {
    for (const w of await d.rendererWarnings()) warnings.push(`${where}: ${w}`);
  };

  /** keydesk's /login in a new tab of the same browser: the page's answer. */
  const signIn = async (login: string, password: string): Promise<string> => {
    const tab = await page.context().newPage();
    try {
      await tab.goto(`${t.base}/login`);
      await tab.fill('input[name=login]', login);
      await tab.fill('input[name=password]', password);
      await Promise.all([tab.waitForNavigation(), tab.click('button[type=submit]')]);
      await screenshot(tab, `sandbox-login-${login.split('@')[0]}`);
      return (await tab.textContent('body')) ?? '';
    } finally {
      await tab.close();
    }
  };

  /** Grace approves the newest card titled `title` in #helpdesk; the card updates in place. */
  const graceApproves = async (title: string, shot: string) => {
    await d.as('U0GRACE', 'C0HELPDESK');
    const card = d.message(title).last();
    await card.waitFor();
    await screenshot(page, `sandbox-${shot}-card`);
    await d.clickButton('Approve', { within: card });
    expect(await d.confirm()).toBe('Approve this request?');
    await card.getByText(/Approved by/).waitFor();
    expect(await card.locator('button[data-action]').count()).toBe(0);
    const stored = t.sandbox.emulator.messages('C0HELPDESK').filter((m) => (m.text ?? '').includes(title)).at(-1);
    expect(stored?.edits).toBeGreaterThan(0);
    await screenshot(page, `sandbox-${shot}-approved`);
    await noteWarnings(`${shot}: #helpdesk`);
  };

  it('a. Sam (locked) asks /login-help: locked, until a time in Asia/Kolkata', async () => {
    const row = await t.sandbox.app.deps.db.selectFrom('accounts').select('locked_until').where('email', '=', 'sam@keydesk.test').executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(row.locked_until!);

    await d.as('U0SAM', 'C0GENERAL');
    await d.command('/login-help');
    const answer = page.locator('#pane article.sb-ephemeral').filter({ hasText: /locked/ }).last();
    await answer.waitFor();
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('Your account is locked');
    expect(text).toContain(`unlocks by itself at ${clock}`);
    expect(text).toMatch(/GMT\+5:30/);
    await screenshot(page, 'sandbox-login-help-locked');
    await noteWarnings('a: #general');
  }, JOURNEY_MS);

  it('b. Sam /unlock → Grace approves in #helpdesk → Sam is told and signs in', async () => {
    await d.as('U0SAM', 'C0GENERAL');
    await d.command('/unlock');
    await page.locator('#pane article.sb-ephemeral').filter({ hasText: 'with the helpdesk' }).waitFor();
    await screenshot(page, 'sandbox-unlock-asked');

    await graceApproves('Unlock request', 'unlock');

    await d.as('U0SAM', 'D0SAM');
    await d.message(/unlocked/).first().waitFor();
    await screenshot(page, 'sandbox-unlock-dm');
    await noteWarnings('b: Sam DM');

    const password = await d.secret('U0SAM', 'password');
    expect(password).not.toBe('');
    expect(await signIn('sam@keydesk.test', password)).toMatch(/Signed in as Sam Patel/);
  }, JOURNEY_MS);

  it('c. Emma /password → I forgot → the emailed link → question → new password', async () => {
    await d.as('U0EMMA', 'C0GENERAL');
    const oldPassword = await d.secret('U0EMMA', 'password');
    const answer = await d.secret('U0EMMA', 'answer');
    await d.command('/password');
    const modal = await d.modal();
    await screenshot(page, 'sandbox-password-modal');
    await d.clickButton('I forgot my password', { within: modal });
    await modal.getByText(/We emailed/).waitFor();
    await screenshot(page, 'sandbox-password-emailed');
    await noteWarnings('c: password modal');
    await d.closeModal();

    const href = await d.openMail(/Reset your password/, 'emma@keydesk.test');
    await screenshot(page, 'sandbox-password-mail');
    expect(href.startsWith(`${t.base}/reset/`)).toBe(true);

    const tab = await page.context().newPage();
    await tab.goto(href);
    await tab.fill('input[name=answer]', answer);
    await tab.click('button[type=submit]');
    const newPassword = 'copper lantern meadow orbit';
    await tab.fill('input[name=password]', newPassword);
    await tab.fill('input[name=password2]', newPassword);
    await tab.click('button[type=submit]');
    await tab.getByText('Your password was changed').waitFor();
    await screenshot(tab, 'sandbox-password-reset-done');
    await tab.close();

    expect(await signIn('emma@keydesk.test', newPassword)).toMatch(/Signed in as Emma Brown/);
    expect(await signIn('emma@keydesk.test', oldPassword)).toMatch(/The login or password is not correct/);
  }, JOURNEY_MS);

  it('d. Léa (French) /mfa-reset → Grace approves → the enrolment email → a new authenticator', async () => {
    await d.as('U0LEA', 'C0GENERAL');
    const password = await d.secret('U0LEA', 'password');
    const answer = await d.secret('U0LEA', 'answer');
    await d.command('/mfa-reset');
    const asked = page.locator('#pane article.sb-ephemeral').filter({ hasText: 'transmise au support' });
    await asked.waitFor();
    expect(await asked.textContent()).toMatch(/Votre .* a été transmise au support/);
    await screenshot(page, 'sandbox-mfa-asked-fr');
    await noteWarnings('d: Léa #general');

    await graceApproves('MFA reset request', 'mfa');

    await d.as('U0LEA', 'D0LEA');
    const href = await d.openMail(/Configurez la validation en deux étapes/, 'lea@keydesk.test');
    await screenshot(page, 'sandbox-mfa-mail');
    expect(href.startsWith(`${t.base}/mfa/enroll/`)).toBe(true);

    const tab = await page.context().newPage();
    await tab.goto(href);
    await tab.fill('input[name=password]', password);
    await tab.fill('input[name=answer]', answer);
    await tab.click('button[type=submit]');
    await tab.locator('img[src^="data:image/png"]').waitFor();
    const secret = ((await tab.locator('code.totp-key').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(tab, 'sandbox-mfa-qr');
    await tab.fill('input[name=code]', await totpCodeAt(secret, Date.now()));
    await tab.click('button[type=submit]');
    await tab.getByText('La connexion en deux étapes est activée').waitFor();
    await screenshot(tab, 'sandbox-mfa-done');
    await tab.close();
  }, JOURNEY_MS);

  it('e. Emma /access-key → Grace approves → Reveal once shows the key, once', async () => {
    await d.as('U0EMMA', 'C0GENERAL');
    await d.command('/access-key');
    await page.locator('#pane article.sb-ephemeral').filter({ hasText: 'with the helpdesk' }).waitFor();

    await graceApproves('Access key request', 'key');

    await d.as('U0EMMA', 'D0EMMA');
    const offer = d.message('You have a new access key').last();
    await offer.waitFor();
    await screenshot(page, 'sandbox-key-offer');
    await d.clickButton('Reveal once', { within: offer });
    const modal = await d.modal();
    await modal.getByText(/kd_[0-9a-f]{24}_[0-9A-Za-z]{43}/).waitFor();
    expect(await page.locator('#modal-body').textContent()).toMatch(/kd_[0-9a-f]{24}_[0-9A-Za-z]{43}/);
    await screenshot(page, 'sandbox-key-modal');
    await noteWarnings('e: key modal');
    await d.closeModal();

    // The DM lost its button: the key was shown once, and is not shown again.
    const revealed = d.message(/was revealed at/).last();
    await revealed.waitFor();
    expect(await revealed.locator('button[data-action]').count()).toBe(0);
    expect(await d.pane.textContent()).not.toMatch(/kd_[0-9a-f]{24}_/);
    await screenshot(page, 'sandbox-key-revealed');
    await noteWarnings('e: Emma DM');
  }, JOURNEY_MS);

  it('f. Sam reports his lock → Katherine claims the Login help ticket, then resolves it', async () => {
    await d.as('U0SAM', 'D0SAM');
    const notice = d.message('Your account was locked').first();
    await notice.waitFor();
    await d.clickButton('Report', { within: notice });
    await page.locator('#pane article.sb-ephemeral').last().waitFor();
    await screenshot(page, 'sandbox-report-lock');

    await d.as('U0KATE', 'C0HELPDESK');
    const card = d.message('Login help').last();
    await card.waitFor();
    await d.clickButton('Claim', { within: card });
    await card.getByText(/Claimed by Katherine Johnson/).waitFor();
    await screenshot(page, 'sandbox-ticket-claimed');
    await d.clickButton('Resolve', { within: card });
    await card.getByText(/Resolved by Katherine Johnson/).waitFor();
    expect(await card.locator('button[data-action]').count()).toBe(0);
    await screenshot(page, 'sandbox-ticket-resolved');
    await noteWarnings('f: #helpdesk');
  }, JOURNEY_MS);

  it('g. every Slack call was ok and within Block Kit limits; the renderer warned about nothing', () => {
    const calls = t.sandbox.emulator.calls;
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.ok).map((c) => `${c.method}: ${c.error ?? ''}`)).toEqual([]);
    expect(calls.map((c) => ({ method: c.method, violation: blockKitViolation(c) })).filter((c) => c.violation !== null)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('sandbox console over Socket Mode', () => {
  let t: TestSandbox;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startTestSandbox({ socket: true });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it("Sam's /login-help gets its ephemeral answer", async () => {
    const page = await browser.page();
    const d = new ConsoleDriver(page, t.base);
    await d.as('U0SAM', 'C0GENERAL');
    await page.getByText('Socket Mode').waitFor();
    await d.command('/login-help');
    await page.locator('#pane article.sb-ephemeral').filter({ hasText: 'Your account is locked' }).waitFor();
    await screenshot(page, 'sandbox-socket-login-help');
    expect(await d.rendererWarnings()).toEqual([]);
  }, JOURNEY_MS);
});
