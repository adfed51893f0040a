// /access-key end to end: an admin issues a key at once, or approves a user's request; the
// owner alone gets "Reveal once", whose modal shows a key made at that click and working on
// the auth API; a second click, or anyone else's, is refused; the admin never sees the key.
import { translate } from '../../src/i18n/index.js';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actorFromAccount } from '../../src/core/authority.js';
import { findAccountById } from '../../src/store/accounts.js';
import { decideApproval } from '../../src/core/tickets.js';
import { createLogger } from '../../src/logger.js';
import { performApproved } from '../../src/core/approvals/performers.js';
import { helpdeskEffects } from '../../handlers/helpdesk-channel.js';
import { ACTIONS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, findButton, hasText, matchText, sentAnywhere, textOf, waitForText } from '../support/slack-find.js';

const KEY = /kd_[0-9a-f]{24}_[0-9A-Za-z]{43}/;

describe('/access-key', () => {
  let t: SlackTestApp;
  let bob: SeededAccount;
  let admin: SeededAccount;
  const [BOB, ADMIN] = ['U100BOB', 'U200ADMIN'];

  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com', tz: 'Europe/Paris' });
    t.slack.addUser({ id: ADMIN, name: 'dana', email: 'dana@example.com' });
    // Linked up front: an admin's `/access-key @bob` no longer links Bob as a side effect.
    bob = await seedActiveAccount(t.deps, { email: 'bob@example.com', displayName: 'Bob Stone', slackUserId: BOB });
    admin = await seedActiveAccount(t.deps, { email: 'dana@example.com', displayName: 'Dana Admin', role: 'admin' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const answer = (pattern: RegExp) => waitForText(t.slack, 'response_url', pattern);
  const revealButton = async () => {
    const dm = await waitForText(t.slack, 'chat.postMessage', 'Reveal once', (c) => c.response.channel === t.slack.dmChannelFor(BOB));
    const keyId = findButton(dm, ACTIONS.revealKey)?.value;
    expect(keyId).toMatch(/^[0-9a-f]{24}$/);
    return { keyId: keyId!, channel: String(dm.response.channel), ts: String(dm.response.ts) };
  };
  const clickReveal = (userId: string, b: { keyId: string; channel: string; ts: string }) =>
    t.click({ user_id: userId, action_id: ACTIONS.revealKey, value: b.keyId, channel: b.channel, message_ts: b.ts });
  const whoami = (key: string) => fetch(`${t.app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });

  it('an admin issues a key; only its owner reveals it, once; the admin never sees it', async () => {
    await t.command(ADMIN, '/access-key', `<@${BOB}|bob>`);
    expect((await answer(/Issued an access key for \*Bob Stone\*/)).args.response_type).toBe('ephemeral');
    const button = await revealButton();
    const row = await t.deps.db.selectFrom('access_keys').selectAll().where('id', '=', button.keyId).executeTakeFirst();
    expect(row).toMatchObject({ account_id: bob.id, created_by: admin.id, status: 'pending_reveal', secret_hash: null });

    // Someone else's click: refused, audited, nothing revealed.
    await clickReveal(ADMIN, button);
    const refused = await t.slack.waitForCall('views.open');
    expect(textOf(refused)).toMatch(/No such access key/);
    expect((await t.deps.db.selectFrom('access_keys').select('status').where('id', '=', button.keyId).executeTakeFirst())?.status).toBe('pending_reveal');
    const audit = await t.deps.db.selectFrom('audit_log').select('actor').where('action', '=', 'refused:reveal_access_key').execute();
    expect(audit).toEqual([{ actor: admin.id }]);

    await clickReveal(BOB, button);
    const shown = await waitForText(t.slack, 'views.open', KEY);
    const key = matchText(shown, KEY)![0];
    expect(key.startsWith(`kd_${button.keyId}_`)).toBe(true);
    const me = await whoami(key);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { account_id: string }).account_id).toBe(bob.id);
    // The DM loses its button.
    const updated = await t.slack.waitForCall('chat.update', (c) => c.args.ts === button.ts);
    expect(textOf(updated)).toMatch(/was revealed at/);
    expect(actionIdsOf(updated)).not.toContain(ACTIONS.revealKey);
    expect(sentAnywhere(updated, ACTIONS.revealKey)).toBe(false);

    await clickReveal(BOB, button);
    const again = await waitForText(t.slack, 'views.open', /already revealed/);
    expect(sentAnywhere(again, KEY)).toBe(false);

    // The key went through Slack exactly once: in the modal opened for its owner's click.
    const carrying = t.slack.calls.filter((c) => sentAnywhere(c, key));
    expect(carrying.map((c) => c.method)).toEqual(['views.open']);
    expect(carrying[0]?.args.trigger_id).toBe(shown.args.trigger_id);
  });

  it('a user’s request waits for approval; once approved the owner gets “Reveal once”', async () => {
    await t.command(BOB, '/access-key');
    await answer(/access key request is with the helpdesk/);
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && !c.args.thread_ts);
    expect(hasText(card, /Access key request/)).toBe(true);
    const ticket = (await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'access_key').where('status', '=', 'open').executeTakeFirst())!;
    expect(ticket).toMatchObject({ status: 'open', account_id: bob.id, requester_slack_id: BOB });
    expect(await t.deps.db.selectFrom('access_keys').select('id').where('status', '=', 'pending_reveal').execute()).toEqual([]);

    const decider = actorFromAccount((await findAccountById(t.deps.db, admin.id))!);
    const decided = await decideApproval(t.deps, decider, ticket.id, 'approve');
    expect(decided.ok).toBe(true);
    const ctx = { deps: t.deps, helpdeskChannel: HELPDESK, logger: createLogger('silent') };
    const done = await performApproved(t.deps, helpdeskEffects(ctx, new webApi.WebClient(t.slack.botToken, { slackApiUrl: t.slack.url })), ticket, decider);
    expect(done.ok).toBe(true);
    expect(translate('en', done.note.key, done.note.params)).toMatch(/owner got “Reveal once” in a DM/);
    const button = await revealButton();
    await clickReveal(BOB, button);
    const shown = await waitForText(t.slack, 'views.open', KEY);
    expect((await whoami(matchText(shown, KEY)![0])).status).toBe(200);
  });

  it('puts the key back to waiting when Slack will not open the modal, so the owner can press again', async () => {
    await t.command(ADMIN, '/access-key', `<@${BOB}|bob>`);
    const button = await revealButton();
    t.slack.failNext('views.open', 'expired_trigger_id');
    await clickReveal(BOB, button);
    await t.slack.waitForCall('views.open', (c) => !c.ok);
    const row = await t.deps.db.selectFrom('access_keys').select(['status', 'secret_hash']).where('id', '=', button.keyId).executeTakeFirst();
    expect(row).toEqual({ status: 'pending_reveal', secret_hash: null });
    expect(t.slack.callsTo('chat.update')).toEqual([]);
    const unseen = matchText(t.slack.callsTo('views.open')[0], KEY)![0];
    expect((await whoami(unseen)).status).toBe(401);
    await clickReveal(BOB, button);
    const shown = await waitForText(t.slack, 'views.open', KEY, (c) => c.ok);
    expect((await whoami(matchText(shown, KEY)![0])).status).toBe(200);
  });

  it('refuses a non-admin’s `/access-key @user` and issues nothing', async () => {
    const before = (await t.deps.db.selectFrom('access_keys').select('id').execute()).length;
    await t.command(BOB, '/access-key', `<@${ADMIN}|dana>`);
    await answer(/not allowed/);
    expect((await t.deps.db.selectFrom('access_keys').select('id').execute()).length).toBe(before);
  });

  it('answers bad arguments with the usage and issues nothing', async () => {
    const before = (await t.deps.db.selectFrom('access_keys').select('id').execute()).length;
    await t.command(ADMIN, '/access-key', '@nobody');
    expect(textOf(await answer(/No keydesk account matches/))).toMatch(/Usage/);
    await t.command(ADMIN, '/access-key', 'k'.repeat(5000));
    expect(textOf(await answer(/too long/))).toMatch(/Usage/);
    expect((await t.deps.db.selectFrom('access_keys').select('id').execute()).length).toBe(before);
  });
});
