// /helpdesk user | reset | disable | enable | tickets | help end to end: who may use what,
// the confirm modal before acting, what the store, the audit log and the email queue show
// afterwards, the primary admin out of reach, and bad arguments answered with the usage.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';
import { answers, auditOf, auditRows, forgetAudit, emailJobs, lockByCore, mention, onlyAnswer, seedCast, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { blockWithId, findButton, sentAnywhere, textOf } from '../support/slack-find.js';

describe('/helpdesk', () => {
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
    await forgetAudit(t);
  });

  const answerText = () => textOf(onlyAnswer(t));
  const account = async (id: string) => (await findAccountById(t.deps.db, id))!;
  const helpdesk = (who: { slackId: string }, text: string) => t.command(who.slackId, '/helpdesk', text);
  /** Runs a command that opens the confirm modal, then presses "Yes" as the same person. */
  async function confirm(who: { slackId: string }, text: string) {
    await helpdesk(who, text);
    const opened = t.slack.callsTo('views.open');
    expect(opened, answers(t).join('\n')).toHaveLength(1);
    t.slack.clear();
    await submitView(t, who.slackId, opened[0]!);
    return opened[0]!.args.view as { blocks: unknown[]; private_metadata: string };
  }

  it('user @x: a status card for agents and admins (Unlock only for an admin, while locked); refused for others', async () => {
    await lockByCore(t, cast.alice.id);
    await helpdesk(cast.dana, `user ${mention(cast.alice)}`);
    const card = onlyAnswer(t);
    expect(textOf(card)).toContain('Alice User');
    expect(textOf(card)).toContain('alice@example.com');
    expect(findButton(blockWithId(card, BLOCKS.userStatusActions), ACTIONS.unlockRow)).toBeDefined();

    t.slack.clear();
    await helpdesk(cast.alex, `user ${mention(cast.alice)}`);
    expect(answerText()).toContain('Alice User');
    expect(sentAnywhere(onlyAnswer(t), ACTIONS.unlockRow)).toBe(false);

    t.slack.clear();
    await helpdesk(cast.alice, `user ${mention(cast.dana)}`);
    expect(answerText()).toMatch(/not allowed/);
    expect(await auditOf(t, 'refused:show_user')).toEqual([expect.objectContaining({ actor: cast.alice.id })]);
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0 }).where('id', '=', cast.alice.id).execute();
  });

  it('the status card’s Unlock unlocks and redraws the card', async () => {
    await lockByCore(t, cast.alice.id);
    await helpdesk(cast.dana, `user ${mention(cast.alice)}`);
    t.slack.clear();
    await t.interaction({
      type: 'block_actions',
      user: { id: cast.dana.slackId, team_id: 'T0001' },
      team: { id: 'T0001', domain: 'acme' },
      api_app_id: 'A0KEYDESK',
      token: 'deprecated-verification-token',
      trigger_id: `${Date.now()}.1.status`,
      container: { type: 'message', message_ts: '1764064800.000500', is_ephemeral: true },
      response_url: t.slack.responseUrl('status'),
      actions: [{ type: 'button', action_id: ACTIONS.unlockRow, block_id: BLOCKS.userStatusActions, value: cast.alice.id, action_ts: '1' }],
    });
    expect((await account(cast.alice.id)).locked_until).toBeNull();
    expect(onlyAnswer(t)).toMatchObject({ replace_original: true });
    expect(answerText()).toMatch(/Not locked/);
    expect(sentAnywhere(onlyAnswer(t), ACTIONS.unlockRow)).toBe(false);
  });

  it('reset @x: confirm, then the set-password link is emailed to the user, and Slack says to whom, masked', async () => {
    const view = await confirm(cast.dana, `reset ${mention(cast.alice)}`);
    expect(textOf(view.blocks)).toMatch(/Reset the password of \*Alice User\*/);
    expect(answerText()).toMatch(/we emailed a\*\*\*@example\.com a single-use link/);
    expect(sentAnywhere(onlyAnswer(t), 'alice@example.com')).toBe(false);
    expect((await emailJobs(t, cast.alice.email)).filter((j) => j.kind === 'set_password_link')).toHaveLength(1);
    expect(await auditOf(t, 'admin_reset_password')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.alice.id })]);
  });

  it('disable @x <reason> [note]: confirm (reason and escaped note shown), then disabled and audited; enable @x undoes it', async () => {
    const view = await confirm(cast.dana, `disable ${mention(cast.alice)} payment card declined <!channel> & co`);
    const shown = textOf(view.blocks);
    expect(shown).toMatch(/because of a billing problem/);
    expect(shown).toContain('card declined &lt;!channel&gt; &amp; co');
    expect(await account(cast.alice.id)).toMatchObject({ status: 'disabled', disabled_reason: 'payment', disabled_note: 'card declined <!channel> & co' });
    expect(await auditOf(t, 'disable')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.alice.id })]);
    expect(answerText()).toMatch(/Disabled \*Alice User\*/);

    t.slack.clear();
    await confirm(cast.dana, `enable ${mention(cast.alice)}`);
    expect(await account(cast.alice.id)).toMatchObject({ status: 'active', disabled_reason: null });
    expect(await auditOf(t, 'enable')).toHaveLength(1);
    expect(answerText()).toMatch(/Enabled \*Alice User\* again/);
  });

  it.each(['reset', 'disable'])('nothing in Slack may %s a primary admin: refused with the core’s message, audited, no modal', async (sub) => {
    const action = sub === 'reset' ? 'reset_password' : 'disable';
    await helpdesk(cast.dana, `${sub} ${mention(cast.pat)}${sub === 'disable' ? ' admin' : ''}`);
    expect(answerText()).toMatch(/primary admin’s account can only be changed with the break-glass command/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await auditOf(t, `refused:${action}`)).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.pat.id })]);
    expect(await account(cast.pat.id)).toMatchObject({ status: 'active' });
  });

  it('a forged "Yes" naming the primary admin is refused by the core all the same', async () => {
    await helpdesk(cast.dana, `reset ${mention(cast.alice)}`);
    const opened = t.slack.callsTo('views.open')[0]!;
    const forged = JSON.stringify({ ...JSON.parse((opened.args.view as { private_metadata: string }).private_metadata), accountId: cast.pat.id });
    t.slack.clear();
    await submitView(t, cast.dana.slackId, opened, { private_metadata: forged });
    expect(answerText()).toMatch(/primary admin’s account/);
    expect(await emailJobs(t, cast.pat.email)).toEqual([expect.objectContaining({ kind: 'activation' })]);
  });

  it('reset, disable and enable are for admins: an agent is refused, audited, with no modal', async () => {
    await helpdesk(cast.alex, `reset ${mention(cast.alice)}`);
    expect(answerText()).toMatch(/not allowed/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await auditOf(t, 'refused:reset_password')).toEqual([expect.objectContaining({ actor: cast.alex.id })]);
  });

  it('tickets: the open tickets with their ids and links to their cards, for agents; refused for users', async () => {
    await t.deps.db.deleteFrom('tickets').execute();
    await lockByCore(t, cast.alice.id);
    await t.command(cast.alice.slackId, '/unlock');
    const [ticket] = await t.deps.db.selectFrom('tickets').selectAll().execute();
    t.slack.clear();
    await helpdesk(cast.alex, 'tickets');
    const list = answerText();
    expect(list).toContain(ticket!.id);
    expect(list).toContain(`https://acme.slack.com/archives/${ticket!.channel}/p${ticket!.message_ts!.replace('.', '')}`);
    expect(list).toMatch(/Unlock request/);

    t.slack.clear();
    await helpdesk(cast.alice, 'tickets');
    expect(answerText()).toMatch(/not allowed/);
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0 }).where('id', '=', cast.alice.id).execute();
  });

  it.each(['help', '', 'HELP'])('"%s" shows every command, for anyone', async (text) => {
    await helpdesk(cast.alice, text);
    const help = answerText();
    expect(help).toMatch(/For everyone/);
    expect(help).toMatch(/For the helpdesk/);
    expect(help).toContain('/helpdesk locked');
  });

  it.each([
    ['frobnicate', /I don’t know “frobnicate”/],
    ['x'.repeat(5000), /too long/],
    ['user', /can’t read “user”/],
    ['user alice', /can’t read “alice”/],
    ['user <@U900NOBODY|nobody>', /No keydesk account matches/],
    ['disable <@U100ALICE|alice> nonsense', /can’t read “nonsense”/],
    ['disable <@U100ALICE|alice>', /can’t read “reason”/],
    ['locked now please', /can’t read/],
  ])('answers "%s" with the usage and changes nothing', async (text, problem) => {
    const before = await t.deps.db.selectFrom('accounts').selectAll().orderBy('id').execute();
    await helpdesk(cast.dana, text.slice(0, 5000));
    expect(answerText()).toMatch(problem);
    expect(answerText()).toMatch(/\/helpdesk locked/);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await auditRows(t)).toEqual([]);
    expect(await t.deps.db.selectFrom('accounts').selectAll().orderBy('id').execute()).toEqual(before);
  });
});

describe('/helpdesk reset under the random policy', () => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { ADMIN_RESET_POLICY: 'random' });
    cast = await seedCast(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('emails the user a temporary password and says to whom, masked; Slack never sees it', async () => {
    await t.command(cast.dana.slackId, '/helpdesk', `reset ${mention(cast.alice)}`);
    const opened = t.slack.callsTo('views.open')[0]!;
    await submitView(t, cast.dana.slackId, opened);
    expect(answers(t).join('\n')).toMatch(/we emailed a\*\*\*@example\.com a temporary password/);
    expect((await emailJobs(t, cast.alice.email)).filter((j) => j.kind === 'temp_password')).toHaveLength(1);
    expect((await findAccountById(t.deps.db, cast.alice.id))!.must_change_password).toBe(1);
  });
});
