// `/unlock @user` by an admin (confirm modal, then at once), its refusals and bad
// arguments, and the self-service buttons that lead to the same flows: "Request unlock"
// and "Resend activation email".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import { answers, auditOf, auditRows, forgetAudit, cards, emailJobs, lockByCore, mention, onlyAnswer, seedCast, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';
import { buttonClick, newTriggerId } from '../support/slack-requests.js';

describe('/unlock @user, Request unlock and Resend activation', () => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp();
    cast = await seedCast(t);
    t.slack.addUser({ id: 'U900NOBODY', name: 'nobody', email: 'nobody@elsewhere.com' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await t.deps.db.deleteFrom('tickets').execute();
    await forgetAudit(t);
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0, failure_window_start: null }).execute();
  });

  const lockedUntil = async (id: string) => (await findAccountById(t.deps.db, id))!.locked_until;
  const auditCount = async () => (await auditRows(t)).length;

  it('an admin confirms in a modal, then the account is unlocked at once, audited, and its owner told by DM', async () => {
    await lockByCore(t, cast.alice.id);
    const triggerId = newTriggerId();
    await t.command(cast.dana.slackId, '/unlock', mention(cast.alice), { triggerId });
    const opened = t.slack.callsTo('views.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.args.trigger_id).toBe(triggerId);
    const view = opened[0]!.args.view as { callback_id: string; private_metadata: string; submit: { text: string } };
    expect(view.callback_id).toBe(VIEWS.confirmAdminAction);
    expect(view.submit.text).toBe('Yes');
    expect(textOf(view)).toMatch(/Unlock \*Alice User\* \(a\*\*\*@example\.com\) now\?/);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ action: 'unlock', accountId: cast.alice.id });
    // Nothing happens before "Yes".
    expect(await lockedUntil(cast.alice.id)).not.toBeNull();
    expect(answers(t)).toEqual([]);

    expect((await submitView(t, cast.dana.slackId, opened[0]!)).status).toBe(200);
    expect(await lockedUntil(cast.alice.id)).toBeNull();
    expect(await auditOf(t, 'unlock')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.alice.id })]);
    expect(textOf(onlyAnswer(t))).toMatch(/Unlocked \*Alice User\*/);
    const dm = await t.slack.waitForCall('chat.postMessage', (c) => c.response.channel === t.slack.dmChannelFor(cast.alice.slackId) && /admin unlocked/.test(String(c.args.text)));
    expect(dm.args.text).toMatch(/An admin unlocked your account/);
  });

  it('a non-admin gets a polite refusal, audited, and no modal; a forged "Yes" from them is refused by the core', async () => {
    await lockByCore(t, cast.alice.id);
    await t.command(cast.alex.slackId, '/unlock', mention(cast.alice));
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await auditOf(t, 'refused:unlock')).toEqual([expect.objectContaining({ actor: cast.alex.id })]);

    // The modal an admin got, submitted by the agent: the metadata grants nothing.
    await t.command(cast.dana.slackId, '/unlock', mention(cast.alice));
    const opened = t.slack.callsTo('views.open')[0]!;
    t.slack.clear();
    await submitView(t, cast.alex.slackId, opened);
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(await lockedUntil(cast.alice.id)).not.toBeNull();
    expect(await auditOf(t, 'refused:unlock')).toHaveLength(2);
  });

  it('says when the person is not locked, and opens no modal', async () => {
    await t.command(cast.dana.slackId, '/unlock', mention(cast.alice));
    expect(textOf(onlyAnswer(t))).toMatch(/Alice User\* isn’t locked/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });

  it.each([
    ['a Slack user with no account', '<@U900NOBODY|nobody>', /No keydesk account matches/],
    ['a name Slack did not turn into a mention', '@nobody', /can’t read “@nobody”/],
    ['two users', `${mention({ slackId: 'U100ALICE', name: 'alice' })} <@U310SAM>`, /can’t read/],
    ['a 5,000-character argument', 'x'.repeat(5000), /too long/],
  ])('answers %s with the usage, changing nothing', async (_what, text, problem) => {
    await lockByCore(t, cast.alice.id);
    const before = await auditCount();
    await t.command(cast.dana.slackId, '/unlock', text);
    const answer = textOf(onlyAnswer(t));
    expect(answer).toMatch(problem);
    expect(answer).toMatch(/\/unlock @user/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await auditCount()).toBe(before);
    expect(await t.deps.db.selectFrom('tickets').select('id').execute()).toEqual([]);
    expect(await lockedUntil(cast.alice.id)).not.toBeNull();
    const nobody = await t.deps.db.selectFrom('accounts').select('id').where('slack_user_id', '=', 'U900NOBODY').execute();
    expect(nobody).toEqual([]);
  });

  it('"Request unlock" under /login-help opens the same ticket as /unlock; on the Home tab it answers in a modal', async () => {
    await lockByCore(t, cast.alice.id);
    await t.click({ user_id: cast.alice.slackId, action_id: ACTIONS.requestUnlock, value: 'login_help' });
    const [ticket] = await t.deps.db.selectFrom('tickets').selectAll().execute();
    expect(ticket).toMatchObject({ kind: 'unlock', account_id: cast.alice.id, requester_slack_id: cast.alice.slackId });
    expect(cards(t)).toHaveLength(1);
    expect(onlyAnswer(t)).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(onlyAnswer(t))).toMatch(/is with the helpdesk/);

    t.slack.clear();
    const home = buttonClick({ user_id: cast.alice.slackId, action_id: ACTIONS.requestUnlock, value: 'home', view: { id: 'VHOME1', type: 'home' } });
    await t.interaction(home);
    const modal = t.slack.callsTo('views.open');
    expect(modal).toHaveLength(1);
    expect(textOf(modal[0]!.args.view)).toMatch(/You already asked/);
    expect(await t.deps.db.selectFrom('tickets').select('id').execute()).toHaveLength(1);
    expect(cards(t)).toEqual([]);
  });

  it('"Resend activation email" emails a fresh link to the clicker’s own address and says where, masked', async () => {
    t.slack.addUser({ id: 'U600PENNY', name: 'penny', email: 'penny@example.com' });
    const created = await createAccount(t.deps, CLI_ACTOR, { email: 'penny@example.com', displayName: 'Penny Pending', slackUserId: 'U600PENNY' });
    if (!created.ok) throw new Error(created.code);
    await t.click({ user_id: 'U600PENNY', action_id: ACTIONS.resendActivation, value: 'login_help' });
    const answer = textOf(onlyAnswer(t));
    expect(answer).toMatch(/We emailed p\*\*\*@example\.com a new activation link/);
    expect(answer).not.toContain('penny@example.com');
    expect((await emailJobs(t, 'penny@example.com')).filter((j) => j.kind === 'activation')).toHaveLength(2);
    expect(await auditOf(t, 'resend_activation')).toEqual([expect.objectContaining({ actor: created.account.id })]);

    t.slack.clear();
    await t.click({ user_id: cast.alice.slackId, action_id: ACTIONS.resendActivation, value: 'login_help' });
    expect(textOf(onlyAnswer(t))).toMatch(/already activated/);
    // Only the activation email of her account's creation.
    expect((await emailJobs(t, cast.alice.email)).filter((j) => j.kind === 'activation')).toHaveLength(1);
  });

  it('"Resend activation email" sends 3 an hour; the 4th click says when to try again, and sends nothing', async () => {
    t.slack.addUser({ id: 'U600PERCY', name: 'percy', email: 'percy@example.com' });
    const created = await createAccount(t.deps, CLI_ACTOR, { email: 'percy@example.com', displayName: 'Percy Pending', slackUserId: 'U600PERCY' });
    if (!created.ok) throw new Error(created.code);
    for (let i = 0; i < 3; i++) {
      t.slack.clear();
      await t.click({ user_id: 'U600PERCY', action_id: ACTIONS.resendActivation, value: 'login_help' });
      expect(textOf(onlyAnswer(t))).toMatch(/a new activation link/);
    }
    t.slack.clear();
    await t.click({ user_id: 'U600PERCY', action_id: ACTIONS.resendActivation, value: 'login_help' });
    expect(textOf(onlyAnswer(t))).toMatch(/already sent you 3 activation emails in the last hour.*try again after \d{4}-\d\d-\d\d \d\d:\d\d UTC.*ask the helpdesk/s);
    // The creation's email and 3 resends.
    expect((await emailJobs(t, 'percy@example.com')).filter((j) => j.kind === 'activation')).toHaveLength(4);
    expect(await auditOf(t, 'resend_activation_throttled')).toEqual([expect.objectContaining({ actor: created.account.id })]);
  });
});
