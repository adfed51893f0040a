// Every flow through Slack, then a search of every call the app made to Slack for the
// secrets the flows used: only the change-password link may appear (in its owner's DM),
// and the access key only in the one modal shown to its owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import { getTicket } from '../../src/core/tickets.js';
import { beginCodeEnrolment, beginEnrolment, confirmCodeEnrolment, confirmEnrolment } from '../../src/core/mfa.js';
import { issueToken } from '../../src/core/tokens.js';
import { changeOwnPassword, resetPasswordByToken } from '../../src/core/passwords.js';
import { totpCodeAt } from '../../src/core/totp.js';
import type { TicketKind } from '../../src/core/types.js';
import { writeAudit } from '../../src/core/audit.js';
import { SYSTEM_ACTOR, webActor } from '../../src/core/deps.js';
import { cards, lockByLogins, mention, seedCast, seedPerson, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { postJson } from '../support/app.js';
import { readSmsOutbox, waitForSmsCode } from '../support/codes.js';
import { Browser, hidden } from '../support/page-client.js';
import { waitForEmail } from '../support/outbox.js';
import { startSlackTestApp, HELPDESK, type SlackTestApp } from '../support/slack-app.js';
import { findButton, matchText, sentAnywhere, waitForText } from '../support/slack-find.js';
import { waitFor } from '../support/wait.js';

const TOKEN = '([A-Za-z0-9_-]{43})';
const EMAILED_CODE = /one-time code is:\s*(\d{6})\b/;
const SOL_PHONE = '+33612340061';

describe('no secret travels through Slack', () => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { ADMIN_RESET_POLICY: 'random' });
    cast = await seedCast(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('runs every flow and finds only what may be there', async () => {
    const { alice, dana } = cast;
    const secrets: Record<string, string> = { password: alice.password, pin: alice.pin, answer: alice.answer };
    const web = webActor('192.0.2.1');
    const approveLatest = async (kind: TicketKind) => {
      const row = await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', kind).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      const card = cards(t).at(-1)!;
      await t.click({ user_id: dana.slackId, action_id: ACTIONS.approve, value: row.id, channel: HELPDESK, message_ts: card.ts });
      expect((await getTicket(t.deps, row.id))?.status).toBe('approved');
    };

    // Why can't I log in; then locked by bad logins; unlock asked and approved.
    await t.command(alice.slackId, '/login-help');
    await lockByLogins(t, alice);
    await t.command(alice.slackId, '/unlock');
    await approveLatest('unlock');

    // Change my password: the link comes in the DM; the page (core here) takes it.
    await t.command(alice.slackId, '/password');
    const modal = (await t.slack.waitForCall('views.open')).response.view as { id: string; hash: string };
    await t.click({ user_id: alice.slackId, action_id: ACTIONS.passwordChange, view: { id: modal.id, hash: modal.hash, type: 'modal', callback_id: VIEWS.password } });
    const dm = await waitForText(t.slack, 'chat.postMessage', /change-password/, (c) => c.response.channel === t.slack.dmChannelFor(alice.slackId));
    secrets.changeLink = matchText(dm, new RegExp(`/change-password/${TOKEN}`))![1]!;
    secrets.password2 = 'amber violin drifting north';
    expect((await changeOwnPassword(t.deps, web, secrets.changeLink, { currentPassword: alice.password, newPassword: secrets.password2, pin: alice.pin })).ok).toBe(true);

    // I forgot: the link goes by email only.
    await t.command(alice.slackId, '/password');
    const modal2 = (await t.slack.waitForCall('views.open', (c) => c.response.view !== undefined && (c.response.view as { id: string }).id !== modal.id)).response.view as { id: string; hash: string };
    await t.click({ user_id: alice.slackId, action_id: ACTIONS.passwordForgot, view: { id: modal2.id, hash: modal2.hash, type: 'modal', callback_id: VIEWS.password } });
    secrets.reset = await waitForEmail(t.store.dataDir, alice.email, new RegExp(`/reset/${TOKEN}`));
    secrets.password3 = 'quartz meadow lantern eleven';
    expect((await resetPasswordByToken(t.deps, web, secrets.reset, { securityAnswer: alice.answer, newPassword: secrets.password3 })).ok).toBe(true);

    // MFA reset asked and approved; enrolment by the emailed link.
    await t.command(alice.slackId, '/mfa-reset');
    await approveLatest('mfa_reset');
    secrets.enrol = await waitForEmail(t.store.dataDir, alice.email, new RegExp(`/mfa/enroll/${TOKEN}`));
    const begun = await beginEnrolment(t.deps, secrets.enrol, { password: secrets.password3, securityAnswer: alice.answer });
    if (!begun.ok) throw new Error(begun.code);
    secrets.totp = begun.totpSecret;
    expect((await confirmEnrolment(t.deps, web, secrets.enrol, secrets.totp, await totpCodeAt(secrets.totp, t.clock.now()))).ok).toBe(true);

    // An access key asked, approved, revealed once to its owner.
    await t.command(alice.slackId, '/access-key');
    await approveLatest('access_key');
    const reveal = await waitForText(t.slack, 'chat.postMessage', /Reveal once/, (c) => c.response.channel === t.slack.dmChannelFor(alice.slackId));
    const keyId = findButton(reveal, ACTIONS.revealKey)!.value!;
    expect(keyId).toMatch(/^[0-9a-f]{24}$/);
    await t.click({ user_id: alice.slackId, action_id: ACTIONS.revealKey, value: keyId, channel: String(reveal.response.channel), message_ts: String(reveal.response.ts) });
    const keyModal = await waitForText(t.slack, 'views.open', /kd_/);
    secrets.key = matchText(keyModal, /kd_[0-9a-f]{24}_([A-Za-z0-9]{43})/)![1]!;
    // Her keys listed, the key rotated, then reported leaked: ids and times only, never the secret.
    await t.command(alice.slackId, '/access-key', 'list');
    await waitForText(t.slack, 'response_url', /Your access keys/);
    await t.click({ user_id: alice.slackId, action_id: ACTIONS.rotateKey, value: keyId, channel: String(reveal.response.channel) });
    await waitForText(t.slack, 'response_url', /keeps working/);
    await t.click({ user_id: alice.slackId, action_id: ACTIONS.revokeKeyLeaked, value: keyId, channel: String(reveal.response.channel) });
    await waitForText(t.slack, 'response_url', /the helpdesk has a ticket/);

    // The admin resets under the random policy: the temporary password goes by email.
    await t.command(dana.slackId, '/helpdesk', `reset ${mention(alice)}`);
    const confirm = await t.slack.waitForCall('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === VIEWS.confirmAdminAction);
    await submitView(t, dana.slackId, confirm);
    secrets.temporary = await waitForEmail(t.store.dataDir, alice.email, /^\s*([A-Za-z0-9]{20})\s*$/m);

    // Codes: Sol enrols on SMS and signs in with a code from POST /api/v1/otp; an admin
    // disables her for validation in Slack; she validates on /validate (an email code,
    // mistyped, then an SMS code), and the enable notice reaches her DM. No code, nor the
    // SMS text that carried one, may be in any call.
    const sol = await seedPerson(t, { slackId: 'U600SOL', name: 'Sol Sms', role: 'user', phone: SOL_PHONE });
    const enrolLink = await issueToken(t.deps, sol.id, 'mfa_enrol');
    const began = await beginCodeEnrolment(t.deps, enrolLink.secret, { password: sol.password, securityAnswer: sol.answer }, 'sms', web);
    if (!began.ok) throw new Error(began.code);
    secrets.code_enrol = await waitForSmsCode(t.store.dataDir, SOL_PHONE);
    expect((await confirmCodeEnrolment(t.deps, web, enrolLink.secret, 'sms', secrets.code_enrol)).ok).toBe(true);
    expect((await postJson(`${t.app.url}/api/v1/otp`, { login: sol.email, password: sol.password, method: 'sms' })).status).toBe(202);
    secrets.code_login = await waitForSmsCode(t.store.dataDir, SOL_PHONE, 1);
    expect((await postJson(`${t.app.url}/api/v1/login`, { login: sol.email, password: sol.password, otp: secrets.code_login })).status).toBe(200);
    await t.command(dana.slackId, '/helpdesk', `disable ${mention(sol)} validation`);
    const disableConfirm = await t.slack.waitForCall('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === VIEWS.confirmAdminAction && sentAnywhere(c.args, /Sol/));
    await submitView(t, dana.slackId, disableConfirm);
    await waitFor(async () => (await t.deps.db.selectFrom('accounts').select('disabled_reason').where('id', '=', sol.id).executeTakeFirst())?.disabled_reason === 'validation');
    t.clock.advance(10 * 60_000 + 1); // a fresh send window
    const page = new Browser(t.app.url);
    await page.get('/validate');
    const byEmail = await page.post('/validate', { login: sol.email, channel: 'email' });
    secrets.code_validate_email = await waitForEmail(t.store.dataDir, sol.email, EMAILED_CODE);
    const mistyped = String((Number(secrets.code_validate_email) + 3) % 1_000_000).padStart(6, '0');
    expect((await page.post('/validate', { proof: hidden(byEmail.text, 'proof'), code: mistyped })).status).toBe(400);
    await page.get('/validate');
    const bySms = await page.post('/validate', { login: SOL_PHONE, channel: 'sms' });
    secrets.code_validate_sms = await waitForSmsCode(t.store.dataDir, SOL_PHONE, 2);
    expect((await page.post('/validate', { proof: hidden(bySms.text, 'proof'), code: secrets.code_validate_sms })).status).toBe(200);
    await waitForText(t.slack, 'chat.postMessage', /was enabled again/, (c) => c.response.channel === t.slack.dmChannelFor(sol.slackId));
    secrets.smsText = (await readSmsOutbox(t.store.dataDir)).at(-1)!.text;
    expect(secrets.smsText).toContain(secrets.code_validate_sms);

    // Home tabs, and bad input.
    await t.event({ type: 'app_home_opened', user: alice.slackId, tab: 'home', channel: 'D0HOME' });
    await t.event({ type: 'app_home_opened', user: dana.slackId, tab: 'home', channel: 'D0HOME2' });
    await t.command(alice.slackId, '/helpdesk', 'x'.repeat(5000));
    await t.slack.waitForCall('views.publish', (c) => c.args.user_id === dana.slackId);

    // The admin reads Alice's audit trail, and its older page: both searched below. Twenty
    // plain newer events fill the first page, so every flow above is on the Older one.
    for (let i = 0; i < 20; i++) {
      await writeAudit(t.deps.db, t.clock.now() + 1000 + i, { actor: SYSTEM_ACTOR, action: 'padding', targetAccountId: alice.id });
    }
    await t.command(dana.slackId, '/helpdesk', `audit ${mention(alice)}`);
    const trail = await t.slack.waitForCall('response_url', (c) => sentAnywhere(c.args, 'Audit trail'));
    // Every Older page, to the first one: each is searched below, and together they hold every flow above.
    const pages = [trail];
    for (let button = findButton(trail, ACTIONS.auditOlder); button?.value; ) {
      const seen = t.slack.callsTo('response_url').length;
      await t.click({ user_id: dana.slackId, action_id: ACTIONS.auditOlder, value: button.value, channel: 'C0GENERAL', message_ts: '1764064800.000900' });
      const page = await t.slack.waitForCall('response_url', (c) => t.slack.callsTo('response_url').indexOf(c) >= seen && sentAnywhere(c.args, 'older events, newest first'));
      pages.push(page);
      button = findButton(page, ACTIONS.auditOlder);
    }
    expect(pages.length).toBeGreaterThan(1);
    for (const action of ['activate', 'change_password', 'clear_mfa', 'reveal_access_key', 'admin_reset_password']) {
      expect(pages.some((p) => sentAnywhere(p.args, `\`${action}`)), action).toBe(true);
    }

    // --- The search, over every call the app made to Slack (arguments and what Slack answered).
    const calls = t.slack.calls;
    expect(calls.length).toBeGreaterThan(30);
    expect(Object.keys(secrets)).toHaveLength(16);
    // A 6-digit code is looked for as a word, not inside a message ts's fraction or an id.
    const asWord = (code: string) => new RegExp(`(?<![0-9A-Za-z.])${code}(?![0-9A-Za-z])`);
    const holders = (secret: string) => {
      const pattern = /^\d{6}$/.test(secret) ? asWord(secret) : secret;
      return calls.filter((c) => sentAnywhere(c.args, pattern) || sentAnywhere(c.response, pattern));
    };
    for (const [name, secret] of Object.entries(secrets)) {
      const found = holders(secret);
      if (name === 'changeLink') {
        expect(found.length, 'the change link is in its DM').toBeGreaterThan(0);
        for (const c of found) {
          expect(c.method).toBe('chat.postMessage');
          expect(c.response.channel).toBe(t.slack.dmChannelFor(alice.slackId));
        }
      } else if (name === 'key') {
        expect(found.map((c) => c.method)).toEqual(['views.open']);
        expect(found[0]).toBe(keyModal);
      } else {
        expect(found.map((c) => c.method), `${name} reached Slack`).toEqual([]);
      }
    }
    // No link of any other kind reached Slack.
    expect(calls.filter((c) => sentAnywhere(c, /\/(reset|activate|mfa\/enroll)\/[A-Za-z0-9_-]{20,}/)).map((c) => c.method)).toEqual([]);
  });
});
