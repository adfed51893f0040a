// No self-service of power from Slack: an admin can't approve their own request, nor
// unlock, clear the MFA of, reset the password of, or issue a first access key to their own
// account — whether by a direct command, a forged "Yes" on a confirm modal or a row's
// Unlock button. Each gets a clear refusal (another admin must act), audited as
// `refused:<action>`, and changes nothing; another admin may do it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../handlers/ids.js';
import { findAccountById } from '../../src/store/accounts.js';
import { answers, auditOf, cards, emailJobs, forgetAudit, lockByCore, mention, onlyAnswer, seedCast, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';

const REFUSAL = /can’t do this on your own account: another admin must do it for you/;

describe('Slack: no self-service of power', () => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp();
    cast = await seedCast(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await t.deps.db.deleteFrom('tickets').execute();
    await t.deps.db.deleteFrom('access_keys').execute();
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0, failure_window_start: null, totp_secret_enc: null }).execute();
    await forgetAudit(t);
  });

  const account = async (id: string) => (await findAccountById(t.deps.db, id))!;
  const reasons = async (action: string) => (await auditOf(t, `refused:${action}`)).map((a) => ({ actor: a.actor, target: a.target_account_id, ...(JSON.parse(a.detail) as Record<string, unknown>) }));
  const keysOf = (id: string) => t.deps.db.selectFrom('access_keys').selectAll().where('account_id', '=', id).execute();
  const ticketsOf = (id: string) => t.deps.db.selectFrom('tickets').selectAll().where('account_id', '=', id).execute();

  it('`/unlock @self` is refused before any modal, audited; the lock stays', async () => {
    await lockByCore(t, cast.dana.id);
    await t.command(cast.dana.slackId, '/unlock', mention(cast.dana));
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await reasons('unlock')).toEqual([{ actor: cast.dana.id, target: cast.dana.id, reason: 'self_admin_action' }]);
    expect((await account(cast.dana.id)).locked_until).not.toBeNull();
  });

  it('a forged "Yes" unlocking oneself, and a locked row’s Unlock on one’s own row, are refused by the core', async () => {
    await lockByCore(t, cast.dana.id);
    await lockByCore(t, cast.alice.id);
    // The modal Dana got for Alice, its metadata pointed at Dana herself.
    await t.command(cast.dana.slackId, '/unlock', mention(cast.alice));
    const opened = t.slack.callsTo('views.open')[0]!;
    const metadata = JSON.parse(String((opened.args.view as { private_metadata: string }).private_metadata)) as Record<string, unknown>;
    t.slack.clear();
    await submitView(t, cast.dana.slackId, opened, { private_metadata: JSON.stringify({ ...metadata, accountId: cast.dana.id }) });
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);

    t.slack.clear();
    await t.click({ user_id: cast.dana.slackId, action_id: ACTIONS.unlockRow, value: cast.dana.id, channel: 'C0GENERAL', message_ts: '1764064800.000100' });
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect((await account(cast.dana.id)).locked_until).not.toBeNull();
    expect(await reasons('unlock')).toHaveLength(2);
    expect(await auditOf(t, 'unlock')).toEqual([]);

    // Another admin may.
    await t.click({ user_id: cast.sam.slackId, action_id: ACTIONS.unlockRow, value: cast.dana.id, channel: 'C0GENERAL', message_ts: '1764064800.000200' });
    expect((await account(cast.dana.id)).locked_until).toBeNull();
  });

  it('`/mfa-reset @self` is refused before any modal, and a forged "Yes" too, audited; the MFA stays', async () => {
    await t.deps.db.updateTable('accounts').set({ totp_secret_enc: 'sealed' }).where('id', '=', cast.dana.id).execute();
    await t.command(cast.dana.slackId, '/mfa-reset', mention(cast.dana));
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect(t.slack.callsTo('views.open')).toEqual([]);

    await t.command(cast.dana.slackId, '/mfa-reset', mention(cast.alice));
    const opened = t.slack.callsTo('views.open')[0]!;
    t.slack.clear();
    await submitView(t, cast.dana.slackId, opened, { private_metadata: JSON.stringify({ action: 'clear_mfa', accountId: cast.dana.id, responseUrl: t.slack.responseUrl('forged') }) });
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect((await account(cast.dana.id)).totp_secret_enc).toBe('sealed');
    expect(await reasons('clear_mfa')).toEqual([
      { actor: cast.dana.id, target: cast.dana.id, reason: 'self_admin_action' },
      { actor: cast.dana.id, target: cast.dana.id, reason: 'self_admin_action' },
    ]);
    expect(await auditOf(t, 'clear_mfa')).toEqual([]);
  });

  it('`/helpdesk reset @self` is refused before any modal, audited; nothing is emailed', async () => {
    const before = (await account(cast.dana.id)).password_hash;
    const jobsBefore = (await emailJobs(t, cast.dana.email)).length;
    await t.command(cast.dana.slackId, '/helpdesk', `reset ${mention(cast.dana)}`);
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(await reasons('reset_password')).toEqual([{ actor: cast.dana.id, target: cast.dana.id, reason: 'self_admin_action' }]);
    expect((await account(cast.dana.id)).password_hash).toBe(before);
    expect(await emailJobs(t, cast.dana.email)).toHaveLength(jobsBefore);
  });

  it('`/access-key @self` (a first key) is refused, audited, and no key exists; another admin may issue it', async () => {
    await t.command(cast.dana.slackId, '/access-key', mention(cast.dana));
    expect(textOf(onlyAnswer(t))).toMatch(REFUSAL);
    expect(await keysOf(cast.dana.id)).toEqual([]);
    expect(await reasons('issue_access_key')).toEqual([{ actor: cast.dana.id, target: cast.dana.id, reason: 'self_admin_action' }]);

    t.slack.clear();
    await t.command(cast.sam.slackId, '/access-key', mention(cast.dana));
    expect(textOf(onlyAnswer(t))).toMatch(/Issued an access key for \*Dana Admin\*/);
    expect(await keysOf(cast.dana.id)).toHaveLength(1);
  });

  it('approving one’s own access-key or MFA request is refused, audited; another admin’s approval carries it out', async () => {
    for (const command of ['/access-key', '/mfa-reset'] as const) {
      t.slack.clear();
      await t.command(cast.dana.slackId, command);
      const [ticket] = await ticketsOf(cast.dana.id).then((rows) => rows.filter((r) => r.kind === (command === '/access-key' ? 'access_key' : 'mfa_reset')));
      expect(ticket, command).toBeDefined();
      const card = cards(t).at(-1)!;
      t.slack.clear();
      await t.click({ user_id: cast.dana.slackId, action_id: ACTIONS.approve, value: ticket!.id, channel: HELPDESK, message_ts: card.ts });
      expect(answers(t).join('\n'), command).toMatch(/can’t decide your own request: another admin must/);
      expect((await ticketsOf(cast.dana.id)).find((r) => r.id === ticket!.id)?.status, command).toBe('open');
    }
    expect(await keysOf(cast.dana.id)).toEqual([]);
    expect((await reasons('decide_ticket')).map((r) => (r as Record<string, unknown>).reason)).toEqual(['self_approval', 'self_approval']);

    const keyTicket = (await ticketsOf(cast.dana.id)).find((r) => r.kind === 'access_key')!;
    await t.click({ user_id: cast.sam.slackId, action_id: ACTIONS.approve, value: keyTicket.id, channel: HELPDESK, message_ts: keyTicket.message_ts! });
    expect(await keysOf(cast.dana.id)).toHaveLength(1);
  });
});
