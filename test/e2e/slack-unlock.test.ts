// /unlock end to end: a locked user asks, an approval card goes to the helpdesk channel,
// an admin decides with a button; the card, its thread, the requester's DM, the store and
// the audit log all say the same thing. Refused clicks change nothing and are audited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';
import { answers, auditOf, forgetAudit, cards, dmsTo, lockByCore, lockByLogins, onlyAnswer, seedCast, threadOf, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, buttonsOf, sentAnywhere, textOf } from '../support/slack-find.js';
import { newTriggerId } from '../support/slack-requests.js';

describe('/unlock and its approval card', () => {
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
    // Every test starts with no ticket, an empty audit log and nobody locked.
    await t.deps.db.deleteFrom('tickets').execute();
    await forgetAudit(t);
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0, failure_window_start: null }).execute();
  });

  const tickets = () => t.deps.db.selectFrom('tickets').selectAll().execute();
  const lockedUntil = async (id: string) => (await findAccountById(t.deps.db, id))!.locked_until;
  const cardFor = (ticketId: string) => cards(t).find((m) => buttonsOf(m.blocks).some((b) => b.value === ticketId))!;
  const click = (slackId: string, actionId: string, ticketId: string, ts: string) =>
    t.click({ user_id: slackId, action_id: actionId, value: ticketId, channel: HELPDESK, message_ts: ts });

  /** Alice is locked and asks; returns her ticket and its card. */
  async function aliceAsks() {
    await lockByLogins(t, cast.alice);
    expect((await t.command(cast.alice.slackId, '/unlock')).status).toBe(200);
    const [ticket] = await tickets();
    const card = cardFor(ticket!.id);
    t.slack.clear();
    return { ticket: ticket!, card };
  }

  it('says politely that an account which is not locked has nothing to unlock, and opens nothing', async () => {
    await t.command(cast.alice.slackId, '/unlock');
    const answer = onlyAnswer(t);
    expect(answer.response_type).toBe('ephemeral');
    expect(textOf(answer)).toMatch(/isn’t locked/);
    expect(await tickets()).toEqual([]);
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('opens one ticket with an Approve / Deny card (confirm dialogs) and tells the user; asking again points to it', async () => {
    await lockByLogins(t, cast.alice);
    await t.command(cast.alice.slackId, '/unlock');
    const rows = await tickets();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'unlock', status: 'open', account_id: cast.alice.id, requester_slack_id: cast.alice.slackId, channel: HELPDESK });
    const card = cardFor(rows[0]!.id);
    const buttons = (card.blocks as { block_id?: string; elements?: { action_id: string; confirm?: unknown }[] }[]).find((b) => b.block_id === BLOCKS.ticketActions)!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual([ACTIONS.approve, ACTIONS.deny, ACTIONS.claim]);
    expect(buttons[0]!.confirm).toBeDefined();
    expect(buttons[1]!.confirm).toBeDefined();
    expect(threadOf(t, card.ts)).toEqual([expect.stringMatching(/Opened/)]);
    expect(textOf(onlyAnswer(t))).toMatch(/is with the helpdesk/);

    t.slack.clear();
    await t.command(cast.alice.slackId, '/unlock');
    const again = textOf(onlyAnswer(t));
    expect(again).toMatch(/You already asked/);
    expect(again).toContain(rows[0]!.id);
    expect(await tickets()).toHaveLength(1);
    expect(cards(t)).toEqual([]);
    expect(await auditOf(t, 'open_ticket')).toHaveLength(1);
  });

  it('an admin’s Approve unlocks, audits, redraws the card without buttons, writes the thread and DMs the requester', async () => {
    const { ticket, card } = await aliceAsks();
    const res = await click(cast.dana.slackId, ACTIONS.approve, ticket.id, card.ts);
    expect(res.status).toBe(200);

    expect(await lockedUntil(cast.alice.id)).toBeNull();
    expect((await tickets())[0]).toMatchObject({ status: 'approved' });
    expect(await auditOf(t, 'approve_ticket')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.alice.id })]);
    expect(await auditOf(t, 'unlock')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: cast.alice.id })]);

    const update = t.slack.callsTo('chat.update');
    expect(update).toHaveLength(1);
    expect(update[0]!.args).toMatchObject({ channel: HELPDESK, ts: card.ts });
    const redrawn = update[0]!.args.blocks;
    expect(textOf(redrawn)).toMatch(/Approved by \*Dana Admin\*/);
    expect(actionIdsOf(redrawn)).not.toContain(ACTIONS.approve);
    expect(sentAnywhere(redrawn, ACTIONS.approve)).toBe(false);
    expect(sentAnywhere(redrawn, BLOCKS.ticketActions)).toBe(false);
    const thread = threadOf(t, card.ts);
    expect(thread.filter((l) => /approved this/.test(l))).toHaveLength(1);
    expect(thread.join('\n')).toMatch(/Account unlocked/);

    // One decision DM (the unlock itself is also told, by the notify queue's notice).
    expect(dmsTo(t, cast.alice.slackId).filter((m) => /unlock request was/.test(m))).toEqual([
      expect.stringMatching(/approved by Dana Admin\. Your account is unlocked/),
    ]);
    expect(answers(t)).toEqual([]);
  });

  it('Deny leaves the account locked, says so on the card and in the thread, and tells the requester (in French for a French account)', async () => {
    await t.deps.db.updateTable('accounts').set({ locale: 'fr' }).where('id', '=', cast.alice.id).execute();
    try {
      const { ticket, card } = await aliceAsks();
      await click(cast.sam.slackId, ACTIONS.deny, ticket.id, card.ts);
      expect(await lockedUntil(cast.alice.id)).not.toBeNull();
      expect((await tickets())[0]).toMatchObject({ status: 'denied' });
      expect(await auditOf(t, 'deny_ticket')).toHaveLength(1);
      expect(await auditOf(t, 'unlock')).toEqual([]);
      expect(textOf(t.slack.callsTo('chat.update')[0]!.args.blocks)).toMatch(/Denied by \*Sam Second\*/);
      expect(threadOf(t, card.ts).join('\n')).toMatch(/Sam Second\* denied this/);
      expect(dmsTo(t, cast.alice.slackId).filter((m) => /demande de déverrouillage/.test(m))).toEqual([expect.stringMatching(/refusée par Sam Second/)]);
    } finally {
      await t.deps.db.updateTable('accounts').set({ locale: 'en' }).where('id', '=', cast.alice.id).execute();
    }
  });

  it('refuses an agent’s and a user’s click ephemerally, audits it, and changes nothing', async () => {
    const { ticket, card } = await aliceAsks();
    for (const who of [cast.alex, cast.alice]) {
      t.slack.clear();
      await click(who.slackId, ACTIONS.approve, ticket.id, card.ts);
      const answer = onlyAnswer(t);
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(answer)).toMatch(/not allowed/);
      expect(t.slack.callsTo('chat.update')).toEqual([]);
      expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
    }
    // Alice is refused as a non-admin before self-approval is even considered.
    expect((await auditOf(t, 'refused:decide_ticket')).map((a) => a.actor).sort()).toEqual([cast.alex.id, cast.alice.id].sort());
    expect((await tickets())[0]).toMatchObject({ status: 'open' });
    expect(await lockedUntil(cast.alice.id)).not.toBeNull();
  });

  it('refuses an admin deciding their own request, audited; another admin may', async () => {
    await lockByCore(t, cast.dana.id);
    await t.command(cast.dana.slackId, '/unlock');
    const [ticket] = await tickets();
    const card = cardFor(ticket!.id);
    t.slack.clear();
    await click(cast.dana.slackId, ACTIONS.approve, ticket!.id, card.ts);
    expect(textOf(onlyAnswer(t))).toMatch(/can’t decide your own request/);
    expect((await auditOf(t, 'refused:decide_ticket')).map((a) => JSON.parse(a.detail) as object)).toContainEqual({ reason: 'self_approval', ticket_id: ticket!.id });
    expect(await lockedUntil(cast.dana.id)).not.toBeNull();
    expect(t.slack.callsTo('chat.update')).toEqual([]);

    await click(cast.sam.slackId, ACTIONS.approve, ticket!.id, card.ts);
    expect(await lockedUntil(cast.dana.id)).toBeNull();
  });

  it('a late click sees the first decision, and is audited', async () => {
    const { ticket, card } = await aliceAsks();
    await click(cast.dana.slackId, ACTIONS.approve, ticket.id, card.ts);
    t.slack.clear();
    await click(cast.sam.slackId, ACTIONS.deny, ticket.id, card.ts);
    expect(textOf(onlyAnswer(t))).toMatch(/already been decided: approved by Dana Admin/);
    expect((await tickets())[0]).toMatchObject({ status: 'approved' });
    expect(await auditOf(t, 'refused:decide_ticket')).toEqual([expect.objectContaining({ actor: cast.sam.id })]);
    expect(t.slack.callsTo('chat.update')).toEqual([]);
  });

  it('4 deliveries of one /unlock (the first, then X-Slack-Retry-Num 1–3) make one ticket and one card', async () => {
    await lockByCore(t, cast.alice.id);
    const triggerId = newTriggerId();
    expect((await t.command(cast.alice.slackId, '/unlock', '', { triggerId })).status).toBe(200);
    for (const retryNum of [1, 2, 3]) expect((await t.command(cast.alice.slackId, '/unlock', '', { triggerId, retryNum })).status).toBe(200);
    expect(await tickets()).toHaveLength(1);
    expect(cards(t)).toHaveLength(1);
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('Claim and Resolve: an agent claims (card and thread say who); an agent can’t close an approval, an admin can', async () => {
    const { ticket, card } = await aliceAsks();
    await click(cast.alex.slackId, ACTIONS.claim, ticket.id, card.ts);
    expect((await tickets())[0]).toMatchObject({ status: 'claimed' });
    expect(textOf(t.slack.callsTo('chat.update')[0]!.args.blocks)).toMatch(/Claimed by \*Alex Agent\*/);
    expect(threadOf(t, card.ts).join('\n')).toMatch(/Alex Agent\* claimed this/);

    t.slack.clear();
    await click(cast.alice.slackId, ACTIONS.claim, ticket.id, card.ts);
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(await auditOf(t, 'refused:claim_ticket')).toHaveLength(1);

    t.slack.clear();
    await click(cast.alex.slackId, ACTIONS.resolve, ticket.id, card.ts);
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(await auditOf(t, 'refused:resolve_ticket')).toHaveLength(1);

    t.slack.clear();
    await click(cast.dana.slackId, ACTIONS.resolve, ticket.id, card.ts);
    expect((await tickets())[0]).toMatchObject({ status: 'resolved' });
    expect(threadOf(t, card.ts).join('\n')).toMatch(/Dana Admin\* resolved this/);
  });

  it('answers a click on a card whose value is not a ticket with a short refusal, changing nothing', async () => {
    await click(cast.dana.slackId, ACTIONS.approve, 'not-a-ticket', '1764064800.000100');
    expect(textOf(onlyAnswer(t))).toMatch(/No such ticket/);
    expect(await auditOf(t, 'approve_ticket')).toEqual([]);
  });
});
