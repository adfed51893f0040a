// Can't verify → a person verifies, end to end on both stores: "I can't answer" on the reset
// page (Chromium) and in Slack's /password modal open a manual_verification card in
// #helpdesk saying what to check; "Mark verified" (behind a confirm) emails a single-use
// /set-security link; the person sets a new question, answer and PIN (and asks for a new
// address). A primary admin can't be marked verified from Slack; an admin can't mark themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../handlers/ids.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { cards, seedCast, type Cast } from '../support/helpdesk-fixtures.js';
import { waitForEmail } from '../support/outbox.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { findButton, textOf, waitForText } from '../support/slack-find.js';
import { STORE_KINDS } from '../support/stores.js';

const TOKEN = '([A-Za-z0-9_-]{43})';

describe.each(STORE_KINDS)('manual verification on %s', (kind) => {
  let t: SlackTestApp;
  let cast: Cast;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    cast = await seedCast(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const ticketOf = async (accountId: string) =>
    t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'manual_verification').where('account_id', '=', accountId).executeTakeFirstOrThrow();
  const approve = (who: { slackId: string }, ticketId: string) => t.click({ user_id: who.slackId, action_id: ACTIONS.approve, value: ticketId, channel: HELPDESK, message_ts: '1.1' });

  it('from the reset page: a card with what to check; Mark verified emails a link; the person sets new details', async () => {
    const { alice, dana } = cast;
    const page = await browser.page();
    await page.goto(`${t.app.url}/forgot`);
    await page.fill('input[name=login]', alice.email);
    await page.click('button[type=submit]');
    const reset = await waitForEmail(t.store.dataDir, alice.email, new RegExp(`/reset/${TOKEN}`));
    await page.goto(`${t.app.url}/reset/${reset}`);
    await page.click('#cant-answer button[type=submit]');
    expect(await page.textContent('body')).toContain('Someone from the helpdesk will check who you are');

    const card = await waitForText(t.slack, 'chat.postMessage', /Identity to verify/, (c) => c.args.channel === HELPDESK);
    expect(textOf(card)).toMatch(/Check who they are another way/);
    expect(textOf(card)).toContain('the reset page');
    const verify = findButton(card.args, ACTIONS.approve);
    expect(JSON.stringify(verify)).toContain('Mark verified');
    expect(JSON.stringify(verify)).toContain('Only once you checked who they are');
    const ticket = await ticketOf(alice.id);

    // Twice from the page: still one ticket.
    await page.goto(`${t.app.url}/reset/${reset}`);
    await page.click('#cant-answer button[type=submit]');
    expect(await t.deps.db.selectFrom('tickets').select('id').where('kind', '=', 'manual_verification').execute()).toHaveLength(1);

    await approve(dana, ticket.id);
    const link = await waitForEmail(t.store.dataDir, alice.email, new RegExp(`/set-security/${TOKEN}`));
    expect((await ticketOf(alice.id)).status).toBe('approved');
    await page.goto(`${t.app.url}/set-security/${link}`);
    await screenshot(page, `set-security-${kind}`);
    await page.fill('input[name=question]', 'Town my grandmother lived in?');
    await page.fill('input[name=answer]', 'Quimper');
    await page.fill('input[name=newpin]', '720461');
    await page.fill('input[name=newpin2]', '720461');
    await page.fill('input[name=email]', 'alice.moved@example.com');
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toContain('Your new security question, answer and PIN are set.');
    expect(await page.textContent('body')).toContain('alice.moved@example.com');
    await waitForEmail(t.store.dataDir, 'alice.moved@example.com', new RegExp(`/confirm-email/${TOKEN}`));
    const row = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow();
    expect(row.security_question).toBe('Town my grandmother lived in?');
    expect(await t.deps.hasher.verify(row.pin_hash!, '720461')).toBe(true);
    // The link worked once.
    expect((await page.goto(`${t.app.url}/set-security/${link}`))?.status()).toBe(410);
    const actions = (await t.deps.db.selectFrom('audit_log').select('action').where('target_account_id', '=', alice.id).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['open_ticket', 'approve_ticket', 'verify_identity', 'reset_security_details', 'request_email_change']));
  });

  it('from Slack: the /password modal’s button; a primary admin is refused from Slack, and no admin marks themselves', async () => {
    const { pat, dana, sam } = cast;
    for (const who of [pat, dana]) {
      await t.click({ user_id: who.slackId, action_id: ACTIONS.cantAnswer, value: 'cant_answer', view: { id: 'VHOME', type: 'home', callback_id: '' } });
    }
    await waitForText(t.slack, 'response_url', /identity verification request is with the helpdesk/);
    const patTicket = await ticketOf(pat.id);
    await approve(sam, patTicket.id);
    await waitForText(t.slack, 'response_url', /break-glass command on the server/);
    expect((await ticketOf(pat.id)).status).toBe('open');

    const danaTicket = await ticketOf(dana.id);
    await approve(dana, danaTicket.id);
    await waitForText(t.slack, 'response_url', /another admin must/);
    expect((await ticketOf(dana.id)).status).toBe('open');
    expect(cards(t).length).toBeGreaterThanOrEqual(2);
  });
});
