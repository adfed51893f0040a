// /login-help end to end: the real reason, in the caller's time zone, only to them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { startSlackTestApp, HELPDESK, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';

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
