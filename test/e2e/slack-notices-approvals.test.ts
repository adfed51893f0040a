// Approvals nobody decided expire after 24 h (the scheduler's tick, promoted after the
// clock moved), and "Report" on a lock notice files a ticket in the helpdesk channel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPROVAL_EXPIRY_SCHEDULER } from '../../jobs/approval-expiry.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { findAccountById } from '../../src/store/accounts.js';
import { getTicket, requestTicket } from '../../src/core/tickets.js';
import { createLogger } from '../../src/logger.js';
import { postTicketCard } from '../../handlers/helpdesk-channel.js';
import { ACTIONS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { runApprovalExpiryTick } from '../support/notify.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { hasText, sentAnywhere } from '../support/slack-find.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('approval expiry and lock reports', () => {
  let t: SlackTestApp;
  let bob: SeededAccount;
  let carol: SeededAccount;
  const BOB = 'U500BOB';
  const CAROL = 'U500CAROL';

  const linked = async (email: string, slackId: string) => {
    const seeded = await seedActiveAccount(t.deps, { email });
    await t.deps.db.updateTable('accounts').set({ slack_user_id: slackId }).where('id', '=', seeded.id).execute();
    return seeded;
  };

  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com', tz: 'Asia/Tokyo' });
    t.slack.addUser({ id: CAROL, name: 'carol', email: 'carol@example.com', tz: 'Europe/Paris' });
    bob = await linked('bob@example.com', BOB);
    carol = await linked('carol@example.com', CAROL);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  it('schedules the approval-expiry tick every minute on the notify queue', async () => {
    const scheduler = await t.app.queues.notify.getJobScheduler(APPROVAL_EXPIRY_SCHEDULER);
    expect(scheduler?.every).toBe(MINUTE);
  });

  it('expires an approval nobody decided within 24 h: the card says so, its thread too, and the requester is told', async () => {
    const ctx = { deps: t.deps, helpdeskChannel: HELPDESK, logger: createLogger('silent') };
    const account = (await findAccountById(t.deps.db, bob.id))!;
    const { ticket } = await requestTicket(t.deps, actorFromAccount(account), { kind: 'unlock', accountId: bob.id, requesterSlackId: BOB });
    await postTicketCard(ctx, t.app.slack!.app.client, ticket);
    const ts = (await getTicket(t.deps, ticket.id))!.message_ts!;

    t.clock.advance(24 * HOUR - MINUTE);
    await runApprovalExpiryTick(t.app.queues.notify);
    expect((await getTicket(t.deps, ticket.id))!.status).toBe('open');
    expect(t.slack.callsTo('chat.update')).toHaveLength(0);

    t.clock.advance(2 * MINUTE);
    await runApprovalExpiryTick(t.app.queues.notify);
    expect((await getTicket(t.deps, ticket.id))!.status).toBe('expired');

    const card = t.slack.messages(HELPDESK).find((m) => m.ts === ts)!;
    expect(card.edits).toBe(1);
    expect(hasText(card.blocks, /Expired on 26 Nov, 10:01: nobody decided in time/)).toBe(true);
    expect(sentAnywhere(card.blocks, ACTIONS.approve)).toBe(false);
    const thread = t.slack.messages(HELPDESK).filter((m) => m.thread_ts === ts);
    expect(thread.at(-1)!.text).toMatch(/Expired on/);

    const dm = t.slack.messages(t.slack.dmChannelFor(BOB));
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toMatch(/Your unlock request expired.*`\/unlock`/);

    // A later tick finds nothing more to do.
    await runApprovalExpiryTick(t.app.queues.notify);
    expect(t.slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('files a helpdesk ticket when the owner reports a lock was not them, and answers in the DM', async () => {
    const lockedUntil = t.clock.now() + HOUR;
    const dm = t.slack.dmChannelFor(CAROL);
    const res = await t.click({ user_id: CAROL, action_id: ACTIONS.reportLock, value: String(lockedUntil), channel: dm, message_ts: '1700000000.000100' });
    expect(res.status).toBe(200);

    const answer = await t.slack.waitForCall('response_url');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(answer.args.replace_original).toBe(false);
    expect(String(answer.args.text)).toMatch(/helpdesk has your report/);

    const tickets = await t.deps.db.selectFrom('tickets').selectAll().where('account_id', '=', carol.id).execute();
    expect(tickets.map((x) => [x.kind, x.status, x.requester_slack_id])).toEqual([['login_help', 'open', CAROL]]);
    const card = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === HELPDESK && !c.args.thread_ts)!;
    expect(hasText(card.args.blocks, /Login help/)).toBe(true);
    expect(hasText(card.args.blocks, /reports that the lock of their account until .* UTC was not them/)).toBe(true);

    // A second report joins the open ticket's thread instead of opening another.
    t.slack.clear();
    await t.click({ user_id: CAROL, action_id: ACTIONS.reportLock, value: 'not-a-time', channel: dm, message_ts: '1700000000.000100' });
    expect(String((await t.slack.waitForCall('response_url')).args.text)).toMatch(/added this to the ticket/);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('account_id', '=', carol.id).execute()).toHaveLength(1);
    const line = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK);
    expect(line.args.thread_ts).toBe(tickets[0]!.message_ts);
    expect(String(line.args.text)).toMatch(/reports that a lock of their account was not them/);
  });
});
