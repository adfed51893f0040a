// /mfa-reset end to end: a user's request is a ticket with an approval card, carried out by
// performApproved once approved; an admin's `/mfa-reset @user` confirms in a modal, clears
// at once, tells the person by DM; a primary admin's MFA is never cleared from Slack.
import { translate } from '../../src/i18n/index.js';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actorFromAccount } from '../../src/core/authority.js';
import { findAccountById } from '../../src/store/accounts.js';
import { decideApproval } from '../../src/core/tickets.js';
import { createLogger } from '../../src/logger.js';
import { performApproved } from '../../src/core/approvals/performers.js';
import { helpdeskEffects } from '../../handlers/helpdesk-channel.js';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { readOutbox, waitForEmail } from '../support/outbox.js';
import { newTriggerId } from '../support/slack-requests.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { findButton, hasText, sentAnywhere, textOf, waitForText } from '../support/slack-find.js';

describe('/mfa-reset', () => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  let admin: SeededAccount;
  let primary: SeededAccount;
  const [ALICE, ADMIN, PRIMARY] = ['U100ALICE', 'U200ADMIN', 'U300BOSS'];

  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com' });
    t.slack.addUser({ id: ADMIN, name: 'dana', email: 'dana@example.com' });
    t.slack.addUser({ id: PRIMARY, name: 'boss', email: 'boss@example.com' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com', displayName: 'Alice Martin' });
    admin = await seedActiveAccount(t.deps, { email: 'dana@example.com', displayName: 'Dana Admin', role: 'admin' });
    primary = await seedActiveAccount(t.deps, { email: 'boss@example.com', displayName: 'The Boss', role: 'primary_admin' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    for (const who of [alice, primary]) {
      await t.deps.db.updateTable('accounts').set({ totp_secret_enc: t.deps.secrets.seal('JBSWY3DPEHPK3PXP', `totp:${who.id}`) }).where('id', '=', who.id).execute();
    }
  });

  const mfaOf = async (id: string) => (await findAccountById(t.deps.db, id))?.totp_secret_enc ?? null;
  const answer = (pattern: RegExp) => waitForText(t.slack, 'response_url', pattern);
  const auditCount = async () => (await t.deps.db.selectFrom('audit_log').select('id').execute()).length;

  it('files a user’s request as a ticket with an approval card; asking again shows the first', async () => {
    await t.command(ALICE, '/mfa-reset');
    expect((await answer(/is with the helpdesk/)).args.response_type).toBe('ephemeral');
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && !c.args.thread_ts);
    expect(hasText(card, /MFA reset request/)).toBe(true);
    expect(findButton(card, ACTIONS.approve)).toBeDefined();
    await t.command(ALICE, '/mfa-reset');
    await answer(/already asked/);
    const tickets = await t.deps.db.selectFrom('tickets').select(['kind', 'status', 'account_id']).execute();
    expect(tickets).toEqual([{ kind: 'mfa_reset', status: 'open', account_id: alice.id }]);
  });

  it('once approved, performApproved clears the MFA and the enrolment link is emailed', async () => {
    const ticket = (await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'mfa_reset').executeTakeFirst())!;
    const decider = actorFromAccount((await findAccountById(t.deps.db, admin.id))!);
    const decided = await decideApproval(t.deps, decider, ticket.id, 'approve');
    expect(decided.ok).toBe(true);
    const ctx = { deps: t.deps, helpdeskChannel: HELPDESK, logger: createLogger('silent') };
    const client = new webApi.WebClient(t.slack.botToken, { slackApiUrl: t.slack.url });
    const done = await performApproved(t.deps, helpdeskEffects(ctx, client), decided.ok ? decided.ticket : ticket, decider);
    expect(done).toEqual({ ok: true, note: { key: 'slack.ticketNote.mfaCleared', params: { email: 'a***@example.com' } } });
    expect(translate('en', done.note.key, done.note.params)).toBe('MFA cleared; an enrolment link was emailed to a***@example.com.');
    expect(await mfaOf(alice.id)).toBeNull();
    expect(await waitForEmail(t.store.dataDir, 'alice@example.com', /\/mfa\/enroll\/([A-Za-z0-9_-]+)/)).toBeTruthy();
  });

  it('the Approve button on the card carries it out through performApproved', async () => {
    await t.command(ALICE, '/mfa-reset');
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && !c.args.thread_ts);
    const ticket = (await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'mfa_reset').where('status', '=', 'open').executeTakeFirst())!;
    await t.click({ user_id: ADMIN, action_id: ACTIONS.approve, value: ticket.id, channel: HELPDESK, message_ts: String(card.response.ts) });
    await waitForText(t.slack, 'chat.postMessage', /MFA cleared/, (c) => c.args.thread_ts === card.response.ts);
    expect(await mfaOf(alice.id)).toBeNull();
    expect((await t.deps.db.selectFrom('tickets').select('status').where('id', '=', ticket.id).executeTakeFirst())?.status).toBe('approved');
  });

  it('lets an admin clear someone’s MFA after a confirm modal; the person is told by DM', async () => {
    await t.command(ADMIN, '/mfa-reset', `<@${ALICE}|alice>`);
    const opened = await t.slack.waitForCall('views.open');
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEWS.confirmAdminAction);
    expect(textOf(view)).toMatch(/Clear the MFA device of \*Alice Martin\* \(a\*\*\*@example.com\)/);
    expect(await mfaOf(alice.id)).not.toBeNull(); // nothing happens before "Yes"

    const submitted = await t.interaction({
      type: 'view_submission',
      team: { id: 'T0001', domain: 'acme' },
      user: { id: ADMIN, team_id: 'T0001' },
      api_app_id: 'A0KEYDESK',
      token: 'deprecated-verification-token',
      trigger_id: newTriggerId(),
      view: { ...view, id: (opened.response.view as { id: string }).id, type: 'modal', state: { values: {} }, hash: 'h' },
    });
    expect(submitted.status).toBe(200);
    expect((await answer(/Cleared the MFA device of \*Alice Martin\*/)).args.response_type).toBe('ephemeral');
    expect(await mfaOf(alice.id)).toBeNull();
    const dm = t.slack.messages(t.slack.dmChannelFor(ALICE));
    expect(textOf(dm)).toMatch(/Dana Admin\* cleared the MFA device on your keydesk account/);
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor', 'target_account_id']).where('action', '=', 'clear_mfa').orderBy('at', 'desc').executeTakeFirst();
    expect(audit).toEqual({ actor: admin.id, target_account_id: alice.id });
    // The enrolment link went by email, never through Slack.
    await waitForEmail(t.store.dataDir, 'alice@example.com', /\/mfa\/enroll\/([A-Za-z0-9_-]+)/, 2);
    const links = (await readOutbox(t.store.dataDir)).flatMap((m) => [...m.text.matchAll(/\/mfa\/enroll\/([A-Za-z0-9_-]+)/g)].map((x) => x[1]!));
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) expect(t.slack.calls.filter((c) => sentAnywhere(c, link))).toEqual([]);
  });

  it('refuses a primary admin’s MFA with the core’s message, audited, and opens no modal', async () => {
    await t.command(ADMIN, '/mfa-reset', `<@${PRIMARY}|boss>`);
    expect(textOf(await answer(/primary admin/))).toMatch(/break-glass command/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await mfaOf(primary.id)).not.toBeNull();
    const refused = await t.deps.db.selectFrom('audit_log').select('actor').where('action', '=', 'refused:clear_mfa').where('target_account_id', '=', primary.id).execute();
    expect(refused).toEqual([{ actor: admin.id }]);
  });

  it('refuses a primary admin’s own request before any ticket exists', async () => {
    await t.command(PRIMARY, '/mfa-reset');
    await answer(/break-glass command/);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('account_id', '=', primary.id).execute()).toEqual([]);
  });

  it('refuses a non-admin’s `/mfa-reset @user`, audited', async () => {
    await t.command(ALICE, '/mfa-reset', `<@${ADMIN}|dana>`);
    await answer(/not allowed/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await t.deps.db.selectFrom('audit_log').select('actor').where('action', '=', 'refused:clear_mfa').where('actor', '=', alice.id).execute()).toHaveLength(1);
  });

  it('answers bad arguments with the usage and changes nothing', async () => {
    const before = { tickets: (await t.deps.db.selectFrom('tickets').select('id').execute()).length, audit: await auditCount() };
    await t.command(ADMIN, '/mfa-reset', '@nobody');
    expect(textOf(await answer(/No keydesk account matches “@nobody”/))).toMatch(/Usage/);
    await t.command(ADMIN, '/mfa-reset', '<@U999NOBODY>');
    expect(textOf(await answer(/No keydesk account matches that user/))).toMatch(/Usage/);
    await t.command(ADMIN, '/mfa-reset', 'y'.repeat(5000));
    expect(textOf(await answer(/too long/))).toMatch(/Usage/);
    await t.command(ADMIN, '/mfa-reset', 'everyone please');
    await answer(/I can’t read/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect((await t.deps.db.selectFrom('tickets').select('id').execute()).length).toBe(before.tickets);
    expect(await auditCount()).toBe(before.audit);
    expect(await mfaOf(alice.id)).not.toBeNull();
  });
});
