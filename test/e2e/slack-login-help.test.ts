// /login-help end to end: the real reason, in the caller's time zone, only to them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { startSlackTestApp, HELPDESK, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';
import { buttonClick, newTriggerId } from '../support/slack-requests.js';
import { ACTIONS } from '../../handlers/ids.js';

describe('/login-help', () => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  const ALICE = 'U100ALICE';
  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'Alice@Example.com', tz: 'Europe/Paris' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const answer = async () => {
    const call = await t.slack.waitForCall('response_url');
    return { text: textOf(call), args: call.args };
  };

  it('links the account by the email Slack reports, audited, and says the account looks fine', async () => {
    expect((await t.command(ALICE, '/login-help')).status).toBe(200);
    const { args, text } = await answer();
    expect(args.response_type).toBe('ephemeral');
    expect(text).toMatch(/looks fine/);
    const row = await t.deps.db.selectFrom('accounts').select('slack_user_id').where('id', '=', alice.id).executeTakeFirst();
    expect(row?.slack_user_id).toBe(ALICE);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'link_slack').execute();
    expect(audit).toEqual([{ action: 'link_slack', actor: `slack:${ALICE}` }]);
  });

  it('shows a lock with its end in the user’s time zone and a Request unlock button', async () => {
    const lockedUntil = Date.UTC(2026, 10, 25, 11, 32);
    await t.deps.db.updateTable('accounts').set({ locked_until: lockedUntil, failed_count: 5 }).where('id', '=', alice.id).execute();
    await t.command(ALICE, '/login-help');
    const { text } = await answer();
    expect(text).toMatch(/locked/);
    expect(text).toContain('12:32'); // Paris is UTC+1 in November
    expect(text).toMatch(/Request unlock/);
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0 }).where('id', '=', alice.id).execute();
  });

  it('says why an account is disabled', async () => {
    await disableAccount(t.deps, CLI_ACTOR, alice.id, 'payment');
    await t.command(ALICE, '/login-help');
    expect((await answer()).text).toMatch(/disabled because of a billing problem/);
    await t.deps.db.updateTable('accounts').set({ status: 'active', disabled_reason: null }).where('id', '=', alice.id).execute();
  });

  const buttonsOf = (args: Record<string, unknown>) =>
    (args.blocks as { type: string; elements?: { action_id?: string }[] }[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id) : []));
  const loginHelpTickets = () => t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'login_help').execute();
  const helpdeskCards = () => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === HELPDESK);

  it.each(['fine', 'disabled'] as const)('"Ask the helpdesk" (account %s) opens one login_help ticket with a card; a second click says it is already there', async (state) => {
    await t.deps.db.deleteFrom('tickets').execute();
    if (state === 'disabled') await disableAccount(t.deps, CLI_ACTOR, alice.id, 'validation');
    try {
      await t.command(ALICE, '/login-help');
      const shown = await answer();
      expect(shown.text).toMatch(state === 'fine' ? /looks fine/ : /could not be validated/);
      expect(buttonsOf(shown.args)).toEqual([ACTIONS.askHelpdesk]);

      t.slack.clear();
      expect((await t.click({ user_id: ALICE, action_id: ACTIONS.askHelpdesk, value: state })).status).toBe(200);
      expect((await answer()).text).toMatch(/asked the helpdesk to look at your sign-in/);
      const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK);
      expect(textOf(card)).toMatch(state === 'fine' ? /nothing wrong with the account/ : /disabled \(reason: validation\)/);
      const [ticket, ...more] = await loginHelpTickets();
      expect(more).toEqual([]);
      expect(ticket).toMatchObject({ account_id: alice.id, requester_slack_id: ALICE, status: 'open', message_ts: expect.any(String) as string });

      t.slack.clear();
      await t.click({ user_id: ALICE, action_id: ACTIONS.askHelpdesk, value: state });
      expect((await answer()).text).toMatch(/already with the helpdesk/);
      expect(await loginHelpTickets()).toHaveLength(1);
      expect(helpdeskCards()).toEqual([]);
    } finally {
      await t.deps.db.updateTable('accounts').set({ status: 'active', disabled_reason: null }).where('id', '=', alice.id).execute();
      await t.deps.db.deleteFrom('tickets').execute();
    }
  });

  it('"Ask the helpdesk" in the Home tab\'s login-help modal answers in that modal, in French for a French user', async () => {
    await t.deps.db.deleteFrom('tickets').execute();
    await t.deps.db.updateTable('accounts').set({ locale: 'fr' }).where('id', '=', alice.id).execute();
    try {
      await t.interaction(buttonClick({ user_id: ALICE, action_id: ACTIONS.loginHelp, view: { id: 'VHOME1', type: 'home' }, trigger_id: newTriggerId() }));
      const opened = await t.slack.waitForCall('views.open');
      expect(textOf(opened.args.view)).toMatch(/Demander au support/);
      await t.interaction(buttonClick({ user_id: ALICE, action_id: ACTIONS.askHelpdesk, value: 'fine', view: { id: 'VMODAL1', type: 'modal' } }));
      const updated = await t.slack.waitForCall('views.update');
      expect(updated.args.view_id).toBe('VMODAL1');
      expect(textOf(updated.args.view)).toMatch(/J’ai demandé au support/);
      expect(await loginHelpTickets()).toHaveLength(1);
    } finally {
      await t.deps.db.updateTable('accounts').set({ locale: 'en' }).where('id', '=', alice.id).execute();
      await t.deps.db.deleteFrom('tickets').execute();
    }
  });

  it('answers someone without an account politely and opens a no_account ticket in the helpdesk channel', async () => {
    t.slack.addUser({ id: 'U200BOB', name: 'bob', email: 'bob@elsewhere.com' });
    await t.command('U200BOB', '/login-help');
    expect((await answer()).text).toMatch(/can't find a keydesk account/);
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK);
    expect(textOf(card)).toMatch(/U200BOB/);
    const tickets = await t.deps.db.selectFrom('tickets').select(['kind', 'requester_slack_id', 'message_ts']).execute();
    expect(tickets).toEqual([{ kind: 'no_account', requester_slack_id: 'U200BOB', message_ts: expect.any(String) as string }]);
  });
});
