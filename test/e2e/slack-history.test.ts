// The helpdesk channel as the whole history, on both stores: what an admin does at once
// (unlock, disable, an access key) and what /password sends files a ticket already
// resolved, and its card says who did what to whom — with no button left to press; and
// agents' replies in a card's thread are kept as the ticket's history.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findButton, textOf, waitForText } from '../support/slack-find.js';
import { lockByCore, mention, seedCast, submitView, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { newTriggerId } from '../support/slack-requests.js';
import { STORE_KINDS } from '../support/stores.js';
import { ACTIONS } from '../../handlers/ids.js';
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
});
