// The helpdesk channel as the whole history, on both stores: what an admin does at once
// (unlock, disable, an access key) and what /password sends files a ticket already
// resolved, and its card says who did what to whom — with no button left to press; and
// agents' replies in a card's thread are kept as the ticket's history.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findButton, textOf, waitForText } from '../support/slack-find.js';
import { lockByCore, mention, seedCast, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { newTriggerId } from '../support/slack-requests.js';
import { viewSubmission } from '../../src/sandbox/slack-requests.js';
import { waitForEmail } from '../support/outbox.js';
import { STORE_KINDS } from '../support/stores.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../handlers/ids.js';
import { listTicketReplies } from '../../src/core/ticket-replies.js';

describe.each(STORE_KINDS)('direct actions become resolved tickets on %s', (kind) => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    cast = await seedCast(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const resolvedTickets = () => t.deps.db.selectFrom('tickets').selectAll().where('status', '=', 'resolved').execute();
  const cardFor = (title: RegExp) => waitForText(t.slack, 'chat.postMessage', title, (c) => c.args.channel === HELPDESK && !c.args.thread_ts);

  it('an admin’s unlock after the confirm modal: a resolved “Unlock request” card naming the admin and what was done', async () => {
    await lockByCore(t, cast.alice.id);
    await t.command(cast.dana.slackId, '/unlock', mention(cast.alice), { triggerId: newTriggerId() });
    const [opened] = t.slack.callsTo('views.open');
    await submitView(t, cast.dana.slackId, opened!);
    const card = await cardFor(/Unlock request/);
    const text = textOf(card);
    expect(text).toContain('Resolved by *Dana Admin*');
    expect(text).toContain('Unlocked the account at once.');
    expect(text).toContain('Alice User');
    expect(findButton(card.args, ACTIONS.approve)).toBeUndefined();
    expect(findButton(card.args, ACTIONS.claim)).toBeUndefined();
    const [ticket] = await resolvedTickets();
    expect(ticket).toMatchObject({ kind: 'unlock', account_id: cast.alice.id });
    expect(JSON.parse(ticket!.data)).toMatchObject({ action: 'unlock', resolved_by: cast.dana.id });
  });

  it('/helpdesk disable and an admin’s /access-key file their own resolved cards', async () => {
    await t.command(cast.dana.slackId, '/helpdesk', `disable ${mention(cast.alex)} payment invoice 42`, { triggerId: newTriggerId() });
    const [opened] = t.slack.callsTo('views.open');
    await submitView(t, cast.dana.slackId, opened!);
    const disabled = textOf(await cardFor(/Admin action/));
    expect(disabled).toContain('Disabled the account.');
    expect(disabled).toContain('payment');

    await t.command(cast.sam.slackId, '/access-key', mention(cast.alice));
    const key = textOf(await cardFor(/Access key request/));
    expect(key).toContain('Issued an access key');
    expect(key).toContain('Resolved by *Sam Second*');
  });
  it('replies in a card’s thread are kept in the ticket’s history, once; other messages are not', async () => {
    await lockByCore(t, cast.alice.id);
    await t.command(cast.alice.slackId, '/unlock');
    await cardFor(/Unlock request/);
    const ticket = await t.deps.db.selectFrom('tickets').selectAll().where('status', '=', 'open').where('kind', '=', 'unlock').executeTakeFirstOrThrow();
    expect(ticket.message_ts).toBeTruthy();
    const reply = { type: 'message', channel: HELPDESK, user: cast.alex.slackId, text: 'Called Alice on her desk phone: it was her.', ts: '1796300000.000100', thread_ts: ticket.message_ts };
    expect((await t.event(reply)).status).toBe(200);
    // Slack retries a delivery with a new event id now and then: the same message is kept once.
    expect((await t.event(reply)).status).toBe(200);
    await t.event({ ...reply, ts: '1796300000.000200', thread_ts: undefined, text: 'not in a thread' });
    await t.event({ ...reply, ts: '1796300000.000300', channel: 'C0GENERAL', text: 'another channel' });
    await t.event({ ...reply, ts: '1796300000.000400', subtype: 'message_changed', text: 'an edit' });
    const history = await listTicketReplies(t.deps, ticket.id);
    expect(history.map((r) => [r.slack_user_id, r.account_id, r.text])).toEqual([[cast.alex.slackId, cast.alex.id, 'Called Alice on her desk phone: it was her.']]);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'ticket_reply').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).not.toContain('desk phone');
  });
  it('a no_account card offers admins “Create account”: the modal creates it linked to the asker, emails the activation, resolves the card', async () => {
    t.slack.addUser({ id: 'U700NEW', name: 'nora', real_name: 'Nora New', email: 'nora@example.com' });
    await t.command('U700NEW', '/unlock');
    const card = await cardFor(/Slack user with no account/);
    const ticket = await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'no_account').where('requester_slack_id', '=', 'U700NEW').executeTakeFirstOrThrow();
    const create = findButton(card.args, ACTIONS.createAccount);
    expect(create?.value).toBe(ticket.id);

    // Not for an agent.
    await t.click({ user_id: cast.alex.slackId, action_id: ACTIONS.createAccount, value: ticket.id, channel: HELPDESK, message_ts: ticket.message_ts! });
    await waitForText(t.slack, 'chat.postEphemeral', /not allowed/).catch(() => waitForText(t.slack, 'response_url', /not allowed/));
    expect(t.slack.callsTo('views.open')).toEqual([]);

    await t.click({ user_id: cast.dana.slackId, action_id: ACTIONS.createAccount, value: ticket.id, channel: HELPDESK, message_ts: ticket.message_ts!, trigger_id: newTriggerId() });
    const opened = await t.slack.waitForCall('views.open');
    const view = opened.args.view as { blocks: { block_id: string; element: { initial_value?: string } }[] };
    expect(view.blocks.find((b) => b.block_id === BLOCKS.createEmail)?.element.initial_value).toBe('nora@example.com');
    expect(view.blocks.find((b) => b.block_id === BLOCKS.createName)?.element.initial_value).toBe('Nora New');

    const values = (email: string) => ({
      [BLOCKS.createEmail]: { value: { type: 'email_text_input', value: email } },
      [BLOCKS.createName]: { value: { type: 'plain_text_input', value: 'Nora New' } },
      [BLOCKS.createRole]: { value: { type: 'static_select', selected_option: { value: 'user' } } },
      [BLOCKS.createLocale]: { value: { type: 'static_select', selected_option: { value: 'fr' } } },
    });
    const submit = (email: string) =>
      t.interaction(viewSubmission({ user_id: cast.dana.slackId, view: { id: 'VCREATE', type: 'modal', callback_id: VIEWS.createAccount, private_metadata: ticket.id }, values: values(email) }));
    // A taken address: the modal says so on its field, nothing is created.
    const taken = await submit(cast.alice.email);
    expect(taken.status).toBe(200);
    const refusal = JSON.parse(taken.text) as { response_action?: string; errors?: Record<string, string> };
    expect(refusal.response_action).toBe('errors');
    expect(refusal.errors?.[BLOCKS.createEmail]).toMatch(/already exists/);
    const ok = await submit('nora@example.com');
    expect(ok.status).toBe(200);
    const nora = await t.deps.db.selectFrom('accounts').selectAll().where('email', '=', 'nora@example.com').executeTakeFirstOrThrow();
    expect(nora).toMatchObject({ slack_user_id: 'U700NEW', locale: 'fr', status: 'pending_activation', role: 'user' });
    await waitForEmail(t.store.dataDir, 'nora@example.com', new RegExp('/activate/([A-Za-z0-9_-]{43})'));
    expect((await t.deps.db.selectFrom('tickets').select('status').where('id', '=', ticket.id).executeTakeFirstOrThrow()).status).toBe('resolved');
    await waitForText(t.slack, 'chat.postMessage', /Account created for nora@example\.com/);
  });
});
