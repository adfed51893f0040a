// Linking a Slack user to an account by email happens only when Slack vouches for that
// email: a member of the installed workspace (auth.test at start-up, called once) or of its
// Enterprise Grid org, email confirmed, not a bot, not deactivated, not a guest. Anyone
// else is told politely to ask an admin (`keydesk user link-slack`) and nothing is linked
// or audited. Mentioning someone in an admin command never links them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatedUserInput } from '../../src/sandbox/slack-emulator.js';
import { findAccountById } from '../../src/store/accounts.js';
import { seedActiveAccount } from '../support/app.js';
import { answers, auditOf, forgetAudit, lockByCore, mention, onlyAnswer, seedPerson, type Person } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { sentAnywhere, textOf } from '../support/slack-find.js';

const ASK_AN_ADMIN = /ask a keydesk admin to link it for you: `keydesk user link-slack <your email> (U[A-Z0-9]+)`/;

describe('Slack linking by email', () => {
  let t: SlackTestApp;
  let dana: Person;
  let authTestsAtStart = 0;
  let n = 0;
  beforeAll(async () => {
    t = await startSlackTestApp();
    authTestsAtStart = t.slack.callsTo('auth.test').length;
    dana = await seedPerson(t, { slackId: 'U300DANA', name: 'Dana Admin', role: 'admin' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await forgetAudit(t);
  });

  /** An unlinked account, and a Slack user with its email shaped by `user`. */
  async function someone(user: Partial<EmulatedUserInput> = {}) {
    n += 1;
    const slackId = `U7${String(n).padStart(2, '0')}LINK`;
    const email = `linkee${n}@example.com`;
    t.slack.addUser({ id: slackId, name: `linkee${n}`, email, ...user });
    const account = await seedActiveAccount(t.deps, { email, displayName: `Linkee ${n}` });
    return { slackId, email, id: account.id };
  }
  const linkedTo = async (id: string) => (await findAccountById(t.deps.db, id))!.slack_user_id;
  const noAccountTickets = () => t.deps.db.selectFrom('tickets').select('id').where('kind', '=', 'no_account').execute();

  it('asks auth.test once, at start-up', () => {
    expect(authTestsAtStart).toBe(1);
  });

  it('links a member of the workspace with a confirmed email, audited', async () => {
    const p = await someone();
    await t.command(p.slackId, '/login-help');
    expect(sentAnywhere(onlyAnswer(t), ASK_AN_ADMIN)).toBe(false);
    expect(await linkedTo(p.id)).toBe(p.slackId);
    expect(await auditOf(t, 'link_slack')).toEqual([
      expect.objectContaining({ actor: `slack:${p.slackId}`, target_account_id: p.id, detail: JSON.stringify({ slack_user_id: p.slackId, how: 'verified_email' }) }),
    ]);
  });

  const disqualified: Array<[string, Partial<EmulatedUserInput>, RegExp]> = [
    ['a user of another workspace', { team_id: 'T0ELSEWHERE' }, /belongs to another workspace/],
    ['an unconfirmed email', { is_email_confirmed: false }, /hasn’t confirmed an email/],
    ['a bot', { is_bot: true }, /bot user/],
    ['a deactivated user', { deleted: true }, /deactivated/],
    ['a multi-channel guest', { is_restricted: true }, /guest accounts/],
    ['a single-channel guest', { is_ultra_restricted: true }, /guest accounts/],
  ];
  it.each(disqualified)('does not link %s: a polite answer to ask an admin, nothing linked or audited', async (_, user, why) => {
    const p = await someone(user);
    await t.command(p.slackId, '/login-help');
    const answer = textOf(onlyAnswer(t));
    expect(answer).toMatch(ASK_AN_ADMIN);
    expect(ASK_AN_ADMIN.exec(answer)?.[1]).toBe(p.slackId);
    expect(answer).toMatch(why);
    expect(await linkedTo(p.id)).toBeNull();
    expect(await auditOf(t, 'link_slack')).toEqual([]);
    expect(await noAccountTickets()).toEqual([]);
  });

  it('gives a guest with no account at all the same answer (no hint that an account exists)', async () => {
    t.slack.addUser({ id: 'U799GUEST', name: 'guest', email: 'nobody-here@example.com', is_restricted: true });
    await t.command('U799GUEST', '/login-help');
    expect(textOf(onlyAnswer(t))).toMatch(ASK_AN_ADMIN);
    expect(await noAccountTickets()).toEqual([]);
  });

  it('a mention in `/helpdesk user @x` or `/unlock @x` finds the account but never links it', async () => {
    const p = await someone();
    await t.command(dana.slackId, '/helpdesk', `user ${mention({ slackId: p.slackId, name: 'Linkee' })}`);
    expect(answers(t).join('\n')).toMatch(new RegExp(`Linkee ${n}`));
    await lockByCore(t, p.id);
    await t.command(dana.slackId, '/unlock', mention({ slackId: p.slackId, name: 'Linkee' }));
    expect(t.slack.callsTo('views.open')).toHaveLength(1);
    expect(await linkedTo(p.id)).toBeNull();
    expect(await auditOf(t, 'link_slack')).toEqual([]);
  });

  it('a mention of someone Slack does not vouch for matches no account', async () => {
    const p = await someone({ is_restricted: true });
    await t.command(dana.slackId, '/helpdesk', `user ${mention({ slackId: p.slackId, name: 'Linkee' })}`);
    expect(textOf(onlyAnswer(t))).toMatch(/No keydesk account matches/);
    expect(await linkedTo(p.id)).toBeNull();
  });
});

describe('Slack linking by email on Enterprise Grid', () => {
  let t: SlackTestApp;
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', {}, { emulator: { enterpriseId: 'E0KEYGRID' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('links a member of another workspace of the same enterprise, not one of another enterprise', async () => {
    t.slack.addUser({ id: 'U810SIS', name: 'sister', email: 'sister@example.com', team_id: 'T0SISTER' });
    t.slack.addUser({ id: 'U820OUT', name: 'outsider', email: 'outsider@example.com', team_id: 'T0SISTER', enterprise_id: 'E0OTHERORG' });
    const sister = await seedActiveAccount(t.deps, { email: 'sister@example.com' });
    const outsider = await seedActiveAccount(t.deps, { email: 'outsider@example.com' });

    await t.command('U810SIS', '/login-help');
    expect((await findAccountById(t.deps.db, sister.id))!.slack_user_id).toBe('U810SIS');
    t.slack.clear();
    await t.command('U820OUT', '/login-help');
    expect(textOf(onlyAnswer(t))).toMatch(/belongs to another workspace/);
    expect((await findAccountById(t.deps.db, outsider.id))!.slack_user_id).toBeNull();
  });
});
