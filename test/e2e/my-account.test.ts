// The "My account" flows end to end, as people meet them: signed Slack requests (/email,
// the Home tab's "Change my email", /helpdesk email), the DMed link opened in Chromium,
// emails read from the outbox, ticket cards posted in #helpdesk — on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../handlers/ids.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { postJson, seedActiveAccount, type SeededAccount } from '../support/app.js';
import { readOutbox, waitForEmail } from '../support/outbox.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, matchText, textOf, waitForText } from '../support/slack-find.js';
import { STORE_KINDS } from '../support/stores.js';

const TOKEN = '([A-Za-z0-9_-]{43})';

describe.each(STORE_KINDS)('My account on %s', (kind) => {
  let t: SlackTestApp;
  let browser: TestBrowser;
  let alice: SeededAccount;
  let bob: SeededAccount;
  const [ALICE, BOB, ADMIN, PRIMARY] = ['U100ALICE', 'U101BOB', 'U200ADMIN', 'U300PRIME'];
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    browser = await launchBrowser();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' });
    t.slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com' });
    t.slack.addUser({ id: ADMIN, name: 'dana', email: 'dana@example.com' });
    t.slack.addUser({ id: PRIMARY, name: 'pat', email: 'pat@example.com' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com', displayName: 'Alice Martin' });
    bob = await seedActiveAccount(t.deps, { email: 'bob@example.com', displayName: 'Bob Stone' });
    await seedActiveAccount(t.deps, { email: 'dana@example.com', displayName: 'Dana Admin', role: 'admin' });
    await seedActiveAccount(t.deps, { email: 'pat@example.com', displayName: 'Pat Primary', role: 'primary_admin' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const login = (l: string, password: string) => postJson(`${t.app.url}/api/v1/login`, { login: l, password });
  /** The DMed link, on the test server (it points at PUBLIC_URL), with its fragment. */
  async function dmLink(user: string, skip = 0): Promise<string> {
    const dms = () => t.slack.callsTo('chat.postMessage').filter((c) => c.response.channel === t.slack.dmChannelFor(user));
    await waitForText(t.slack, 'chat.postMessage', /change-password/, (c) => c.response.channel === t.slack.dmChannelFor(user) && dms().indexOf(c) >= skip);
    const dm = dms()[skip]!;
    const found = matchText(dm, /\/change-password\/([A-Za-z0-9_-]{43}(?:#\w+)?)/)?.[1];
    expect(found).toBeTruthy();
    return `${t.app.url}/change-password/${found!}`;
  }
  const cardIn = (pattern: RegExp) => waitForText(t.slack, 'chat.postMessage', pattern, (c) => c.args.channel === HELPDESK);

  it('/email → the DMed link opens My account at its email section → the new inbox confirms → the address changes', async () => {
    expect((await t.command(ALICE, '/email')).status).toBe(200);
    await waitForText(t.slack, 'response_url', /direct message/); // the ephemeral answer
    const link = await dmLink(ALICE);
    expect(link).toMatch(/#email$/);

    const page = await browser.page();
    await page.goto(link);
    await screenshot(page, `my-account-${kind}`);
    expect(await page.textContent('h1')).toBe('My account');
    expect(await page.locator('section:not(#cant-answer)').count()).toBe(3);
    expect(await page.textContent('#email')).toContain('alice@example.com');
    await page.fill('#email input[name=current]', alice.password);
    await page.fill('#email input[name=pin]', alice.pin);
    await page.fill('#email input[name=email]', 'Alice.New@Example.com');
    await page.click('#email button[type=submit]');
    expect(await page.textContent('body')).toContain('We sent a confirmation link to alice.new@example.com');

    const confirm = await waitForEmail(t.store.dataDir, 'alice.new@example.com', new RegExp(`/confirm-email/${TOKEN}`));
    const notMe = await waitForEmail(t.store.dataDir, 'alice@example.com', new RegExp(`/email-not-me/${TOKEN}`));
    expect(notMe).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await login('alice@example.com', alice.password)).status).toBe(200); // nothing changed yet

    await page.goto(`${t.app.url}/confirm-email/${confirm}`);
    expect(await page.textContent('body')).toContain('Use alice.new@example.com as the address');
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toContain('Your email address is now alice.new@example.com');
    expect((await login('alice.new@example.com', alice.password)).status).toBe(200);
    expect((await login('alice@example.com', alice.password)).status).toBe(401);
    for (const to of ['alice@example.com', 'alice.new@example.com']) {
      await waitForEmail(t.store.dataDir, to, /(is now alice\.new@example\.com)/);
    }
    // The confirmation link works once.
    expect((await page.goto(`${t.app.url}/confirm-email/${confirm}`))?.status()).toBe(410);
  });

  it('a taken address gets the same answer, no email to it, and an email_conflict card in #helpdesk', async () => {
    await t.click({ user_id: BOB, action_id: ACTIONS.emailChange, value: 'home', view: { id: 'VHOME', type: 'home', callback_id: '' } });
    const page = await browser.page();
    await page.goto(await dmLink(BOB));
    await page.fill('#email input[name=current]', bob.password);
    await page.fill('#email input[name=pin]', bob.pin);
    await page.fill('#email input[name=email]', 'alice.new@example.com');
    await page.click('#email button[type=submit]');
    expect(await page.textContent('body')).toContain('We sent a confirmation link to alice.new@example.com');
    const card = await cardIn(/Email address already in use/);
    // The old address is told as for a free address.
    await waitForEmail(t.store.dataDir, 'bob@example.com', /(asked to change the email address of your account to alice\.new@example\.com)/);
    expect(textOf(card)).toContain('Bob Stone');
    const toAlice = (await readOutbox(t.store.dataDir)).filter((m) => m.to.includes('alice.new@example.com') && /Bob/i.test(m.text));
    expect(toAlice).toHaveLength(0);
    expect((await readOutbox(t.store.dataDir)).filter((m) => m.to.includes('alice.new@example.com') && /confirm-email/.test(m.text))).toHaveLength(1);
  });

  it('security question and PIN change on the page; a forgotten PIN is replaced on the reset link', async () => {
    await t.click({ user_id: BOB, action_id: ACTIONS.passwordChange, value: 'home', view: { id: 'VHOME', type: 'home', callback_id: '' } });
    const page = await browser.page();
    await page.goto(await dmLink(BOB, 1));
    await page.fill('#security input[name=current]', bob.password);
    await page.fill('#security input[name=pin]', bob.pin);
    await page.fill('#security input[name=question]', 'Name of my first bike?');
    await page.fill('#security input[name=answer]', 'Rocket');
    await page.fill('#security input[name=newpin]', '639174');
    await page.fill('#security input[name=newpin2]', '639174');
    await page.click('#security button[type=submit]');
    expect(await page.textContent('body')).toContain('Your security details were changed.');
    await waitForEmail(t.store.dataDir, 'bob@example.com', /(security question or PIN)/);

    // Forgot the PIN: the reset link, the (new) answer, a new password and a new PIN.
    await page.goto(`${t.app.url}/forgot`);
    await page.fill('input[name=login]', 'bob@example.com');
    await page.click('button[type=submit]');
    const reset = await waitForEmail(t.store.dataDir, 'bob@example.com', new RegExp(`/reset/${TOKEN}`));
    await page.goto(`${t.app.url}/reset/${reset}`);
    expect(await page.textContent('body')).toContain('Name of my first bike?');
    await page.fill('input[name=answer]', 'rocket');
    await page.click('button[type=submit]');
    await page.fill('input[name=password]', 'amber quarry lantern 73');
    await page.fill('input[name=password2]', 'amber quarry lantern 73');
    await page.fill('input[name=newpin]', '508261');
    await page.fill('input[name=newpin2]', '508261');
    await screenshot(page, `reset-new-pin-${kind}`);
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toContain('Your password was changed');
    const row = await t.deps.db.selectFrom('accounts').select('pin_hash').where('id', '=', bob.id).executeTakeFirstOrThrow();
    expect(await t.deps.hasher.verify(row.pin_hash!, '508261')).toBe(true);
  });

  it('/helpdesk email: the admin starts it, the old address says "this wasn\'t me", the change is cancelled and a card opens', async () => {
    // Bob's old address already got one notice (the taken-address request above): take the next.
    const earlier = (await readOutbox(t.store.dataDir)).filter((m) => m.to.includes('bob@example.com') && /email-not-me/.test(m.text)).length;
    expect((await t.command(ADMIN, '/helpdesk', `email <@${BOB}|bob> <mailto:bob.elsewhere@example.com|bob.elsewhere@example.com>`)).status).toBe(200);
    const answer = await waitForText(t.slack, 'response_url', /confirmation link was sent to bob\.elsewhere@example\.com/);
    expect(textOf(answer)).toContain('Bob Stone');
    const confirm = await waitForEmail(t.store.dataDir, 'bob.elsewhere@example.com', new RegExp(`/confirm-email/${TOKEN}`));
    const notMe = await waitForEmail(t.store.dataDir, 'bob@example.com', new RegExp(`/email-not-me/${TOKEN}`), earlier);

    const page = await browser.page();
    await page.goto(`${t.app.url}/email-not-me/${notMe}`);
    expect(await page.textContent('body')).toContain('bob.elsewhere@example.com');
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toContain('The change was cancelled');
    await cardIn(/Email change reported as not requested/);
    expect((await page.goto(`${t.app.url}/confirm-email/${confirm}`))?.status()).toBe(404);
    expect((await login('bob@example.com', 'amber quarry lantern 73')).status).toBe(200);
  });

  it('refuses /helpdesk email on a primary admin and from a non-admin; /email takes no argument; Home offers the button', async () => {
    await t.command(ADMIN, '/helpdesk', `email <@${PRIMARY}|pat> pat.new@example.com`);
    await waitForText(t.slack, 'response_url', /break-glass command on the server/);
    await t.command(BOB, '/helpdesk', `email <@${ALICE}|alice> x@example.com`);
    await waitForText(t.slack, 'response_url', /not allowed/);
    await t.command(ALICE, '/email', 'me@example.com');
    await waitForText(t.slack, 'response_url', /can’t read “me@example\.com”/);
    await t.event({ type: 'app_home_opened', user: ALICE, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` });
    const home = await t.slack.waitForCall('views.publish', (c) => c.args.user_id === ALICE);
    expect(actionIdsOf(home.args.view)).toContain(ACTIONS.emailChange);
  });
});
