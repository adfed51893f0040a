// /password end to end: a modal with no input; "Change my password" DMs the one link Slack
// may carry, to its owner only; "I forgot" emails the reset link and Slack learns only a***@….
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectToken } from '../../src/core/tokens.js';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';

interface OpenedView {
  id: string;
  hash: string;
  type: string;
  callback_id: string;
}

describe('/password', () => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  const ALICE = 'U100ALICE';
  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const openModal = async (): Promise<OpenedView> => {
    expect((await t.command(ALICE, '/password')).status).toBe(200);
    const opened = await t.slack.waitForCall('views.open');
    const view = JSON.stringify(opened.args.view);
    expect(view).toMatch(/Change my password/);
    expect(view).toMatch(/I forgot my password/);
    // Nobody types a secret into Slack: the modal has no input at all.
    expect(view).not.toMatch(/"type":"(input|plain_text_input)"/);
    return opened.response.view as OpenedView;
  };
  const clickIn = (view: OpenedView, actionId: string) =>
    t.click({ user_id: ALICE, action_id: actionId, view: { id: view.id, hash: view.hash, type: 'modal', callback_id: VIEWS.password } });
  const allCalls = () => t.slack.calls.map((c) => ({ method: c.method, channel: c.args.channel, text: JSON.stringify(c.args) }));

  it('“Change my password” DMs a single-use change link to its owner, and only there', async () => {
    const view = await openModal();
    await clickIn(view, ACTIONS.passwordChange);
    const dmChannel = t.slack.dmChannelFor(ALICE);
    const dm = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === dmChannel);
    const secret = /\/change-password\/([A-Za-z0-9_-]+)/.exec(JSON.stringify(dm.args))?.[1];
    expect(secret).toBeTruthy();
    const token = await inspectToken(t.deps, secret!, ['change_password']);
    expect(token.ok && token.token.account_id).toBe(alice.id);

    const updated = await t.slack.waitForCall('views.update', (c) => /direct message/.test(JSON.stringify(c.args)));
    expect(updated.args.view_id).toBe(view.id);
    const carrying = allCalls().filter((c) => c.text.includes(secret!));
    expect(carrying).toEqual([{ method: 'chat.postMessage', channel: dmChannel, text: expect.any(String) as string }]);
    const audit = await t.deps.db.selectFrom('audit_log').select('actor').where('action', '=', 'issue_change_password_link').execute();
    expect(audit).toEqual([{ actor: alice.id }]);
  });

  it('a double click in the modal sends one link', async () => {
    const view = await openModal();
    await Promise.all([clickIn(view, ACTIONS.passwordChange), clickIn(view, ACTIONS.passwordChange)]);
    await t.slack.waitForCall('views.update', (c) => /direct message/.test(JSON.stringify(c.args)));
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === t.slack.dmChannelFor(ALICE))).toHaveLength(1);
  });

  it('“I forgot” emails a reset link to the address on file; Slack says only a***@example.com', async () => {
    const view = await openModal();
    await clickIn(view, ACTIONS.passwordForgot);
    const updated = await t.slack.waitForCall('views.update', (c) => /We emailed/.test(JSON.stringify(c.args)));
    expect(JSON.stringify(updated.args)).toContain('a***@example.com');
    expect(JSON.stringify(updated.args)).not.toContain('alice@example.com');
    const secret = await waitForEmail(t.store.dataDir, 'alice@example.com', /\/reset\/([A-Za-z0-9_-]+)/);
    expect((await inspectToken(t.deps, secret, ['reset'])).ok).toBe(true);
    for (const call of allCalls()) {
      expect(call.text).not.toContain(secret);
      expect(call.text).not.toMatch(/\/reset\//);
    }
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers an argument with the usage, and opens nothing', async () => {
    await t.command(ALICE, '/password', 'hunter2');
    const answer = await t.slack.waitForCall('response_url');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.args)).toMatch(/Usage/);
    await t.command(ALICE, '/password', 'x'.repeat(5000));
    expect(JSON.stringify((await t.slack.waitForCall('response_url', (c) => /too long/.test(JSON.stringify(c.args)))).args)).toMatch(/Usage/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });

  it('answers someone without an account politely, with no modal', async () => {
    t.slack.addUser({ id: 'U300CAROL', name: 'carol', email: 'carol@elsewhere.com' });
    await t.command('U300CAROL', '/password');
    expect(JSON.stringify((await t.slack.waitForCall('response_url')).args)).toMatch(/can't find a keydesk account/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });
});
