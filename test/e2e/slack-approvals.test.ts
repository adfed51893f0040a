// The approval race over HTTP, on both stores: 20 admins' Approve clicks arrive at once
// (each its own trigger_id); exactly one wins — one unlock, one card update, one thread
// line, one DM — and the 19 others are told who decided, and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS } from '../../handlers/ids.js';
import { auditOf, cards, dmsTo, lockByLogins, seedCast, threadOf, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';
import { buttonClick, newTriggerId } from '../support/slack-requests.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('approvals race on %s', (kind) => {
  let t: SlackTestApp;
  let cast: Cast;
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    cast = await seedCast(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('20 concurrent Approve clicks unlock once and post one decision', async () => {
    await lockByLogins(t, cast.alice);
    await t.command(cast.alice.slackId, '/unlock');
    const [card] = cards(t);
    const [ticket] = await t.deps.db.selectFrom('tickets').selectAll().execute();
    t.slack.clear();

    const admins = [cast.dana, cast.sam];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.click({ user_id: admins[i % 2]!.slackId, action_id: ACTIONS.approve, value: ticket!.id, channel: HELPDESK, message_ts: card!.ts })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);

    expect((await findAccountById(t.deps.db, cast.alice.id))!.locked_until).toBeNull();
    const approvals = await auditOf(t, 'approve_ticket');
    expect(approvals).toHaveLength(1);
    const winner = approvals[0]!.actor;
    expect(await auditOf(t, 'unlock')).toEqual([expect.objectContaining({ actor: winner })]);
    expect(await auditOf(t, 'refused:decide_ticket')).toHaveLength(19);

    expect(t.slack.callsTo('chat.update')).toHaveLength(1);
    expect(threadOf(t, card!.ts).filter((line) => /approved this/.test(line))).toHaveLength(1);
    expect(dmsTo(t, cast.alice.slackId).filter((m) => /unlock request was approved/.test(m))).toHaveLength(1);
    const refusals = t.slack.callsTo('response_url');
    expect(refusals).toHaveLength(19);
    const winnerName = winner === cast.dana.id ? 'Dana Admin' : 'Sam Second';
    for (const r of refusals) {
      expect(r.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(r)).toContain(`already been decided: approved by ${winnerName}`);
    }
  });

  it('a click delivered twice (a retry of the same trigger_id) is handled once', async () => {
    await t.deps.db.deleteFrom('tickets').execute();
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0, failure_window_start: null }).execute();
    await lockByLogins(t, cast.alice);
    t.slack.clear();
    await t.command(cast.alice.slackId, '/unlock');
    const [card] = cards(t);
    const [ticket] = await t.deps.db.selectFrom('tickets').selectAll().execute();
    t.slack.clear();
    const click = { ...buttonClick({ user_id: cast.dana.slackId, action_id: ACTIONS.deny, value: ticket!.id, channel: HELPDESK, message_ts: card!.ts, trigger_id: newTriggerId() }), response_url: t.slack.responseUrl('twice') };
    await t.interaction(click);
    await t.interaction(click, { retryNum: 1 });
    expect(t.slack.callsTo('chat.update')).toHaveLength(1);
    expect(t.slack.callsTo('response_url')).toEqual([]);
    expect((await t.deps.db.selectFrom('tickets').select('status').execute()).map((r) => r.status)).toEqual(['denied']);
  });
});
