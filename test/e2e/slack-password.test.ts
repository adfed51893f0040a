// /password end to end: a modal with no input; "Change my password" DMs the one link Slack
// may carry, to its owner only; "I forgot" emails the reset link and Slack learns only a***@….
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectToken } from '../../src/core/tokens.js';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { hasText, inputTypesOf, matchText, sentAnywhere, textOf, waitForText } from '../support/slack-find.js';

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
    const view = opened.args.view;
    expect(hasText(view, /Change my password/)).toBe(true);
    expect(hasText(view, /I forgot my password/)).toBe(true);
    // Nobody types a secret into Slack: the modal has no input at all.
    expect(inputTypesOf(view)).toEqual([]);
    return opened.response.view as OpenedView;
  };
  const clickIn = (view: OpenedView, actionId: string) =>
    t.click({ user_id: ALICE, action_id: actionId, view: { id: view.id, hash: view.hash, type: 'modal', callback_id: VIEWS.password } });
  /** The calls that sent this string anywhere (texts, values, metadata), by method and channel. */
  const callsCarrying = (secret: string | RegExp) => t.slack.calls.filter((c) => sentAnywhere(c, secret)).map((c) => ({ method: c.method, channel: c.response.channel ?? c.args.channel }));

  it('“Change my password” DMs a single-use change link to its owner, and only there', async () => {
    const view = await openModal();
    await clickIn(view, ACTIONS.passwordChange);
    const dmChannel = t.slack.dmChannelFor(ALICE);
    const dm = await t.slack.waitForCall('chat.postMessage', (c) => c.response.channel === dmChannel);
    const secret = matchText(dm, /\/change-password\/([A-Za-z0-9_-]+)/)?.[1];
    expect(secret).toBeTruthy();
    const token = await inspectToken(t.deps, secret!, ['change_password']);
    expect(token.ok && token.token.account_id).toBe(alice.id);

    const updated = await waitForText(t.slack, 'views.update', /direct message/);
    expect(updated.args.view_id).toBe(view.id);
    expect(callsCarrying(secret!)).toEqual([{ method: 'chat.postMessage', channel: dmChannel }]);
    const audit = await t.deps.db.selectFrom('audit_log').select('actor').where('action', '=', 'issue_change_password_link').execute();
    expect(audit).toEqual([{ actor: alice.id }]);
  });

  it('a double click in the modal sends one link', async () => {
    const view = await openModal();
    await Promise.all([clickIn(view, ACTIONS.passwordChange), clickIn(view, ACTIONS.passwordChange)]);
    await waitForText(t.slack, 'views.update', /direct message/);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.response.channel === t.slack.dmChannelFor(ALICE))).toHaveLength(1);
  });

  it('“I forgot” emails a reset link to the address on file; Slack says only a***@example.com', async () => {
    const view = await openModal();
    await clickIn(view, ACTIONS.passwordForgot);
    const updated = await waitForText(t.slack, 'views.update', /We emailed/);
    expect(textOf(updated)).toContain('a***@example.com');
    expect(sentAnywhere(updated, 'alice@example.com')).toBe(false);
    const secret = await waitForEmail(t.store.dataDir, 'alice@example.com', /\/reset\/([A-Za-z0-9_-]+)/);
    expect((await inspectToken(t.deps, secret, ['reset'])).ok).toBe(true);
    expect(callsCarrying(secret)).toEqual([]);
    expect(callsCarrying(/\/reset\//)).toEqual([]);
    // Only the helpdesk channel hears of it: a resolved card saying a reset link was emailed, without the link.
    const posted = t.slack.callsTo('chat.postMessage');
    expect(posted.every((c) => c.args.channel === HELPDESK)).toBe(true);
    expect(textOf(await waitForText(t.slack, 'chat.postMessage', /a reset link was emailed/))).toMatch(/Resolved by/);
  });

  it('answers an argument with the usage, and opens nothing', async () => {
    await t.command(ALICE, '/password', 'hunter2');
    const answer = await t.slack.waitForCall('response_url');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(textOf(answer)).toMatch(/Usage/);
    await t.command(ALICE, '/password', 'x'.repeat(5000));
    expect(textOf(await waitForText(t.slack, 'response_url', /too long/))).toMatch(/Usage/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });

  it('answers someone without an account politely, with no modal', async () => {
    t.slack.addUser({ id: 'U300CAROL', name: 'carol', email: 'carol@elsewhere.com' });
    await t.command('U300CAROL', '/password');
    expect(textOf(await t.slack.waitForCall('response_url'))).toMatch(/can't find a keydesk account/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });
});
