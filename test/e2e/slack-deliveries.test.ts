// A Slack delivery is done only once it was handled: a delivery whose listener failed
// (the store down, a Web API error) lets Slack's retry through, and the person is told
// "something went wrong" with a reference that is also in the log; a retry that arrives
// while the first delivery is still being handled is acknowledged and not acted on twice.
// On the suite's Redis and on a Redis Cluster (the claims are one key each, under the prefix's tag).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { capturingLogger } from '../support/log-capture.js';
import { cards, lockByCore, onlyAnswer, seedPerson, type Person } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { matchText, sentAnywhere } from '../support/slack-find.js';
import { newTriggerId } from '../support/slack-requests.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';

const WENT_WRONG = /something went wrong on our side[^`]*reference: `(KD-[0-9A-F]{8})`/;

describe.each(REDIS_KINDS)('Slack deliveries on %s Redis: done only when handled', (kind) => {
  const redisUrl = useRedis(kind);
  let t: SlackTestApp;
  let alice: Person;
  const { logger, lines: logLines } = capturingLogger('info');
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { REDIS_URL: redisUrl() }, { logger: logger });
    alice = await seedPerson(t, { slackId: 'U100ALICE', name: 'Alice User', role: 'user' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await t.deps.db.deleteFrom('tickets').execute();
    await t.deps.db.updateTable('accounts').set({ locked_until: null, failed_count: 0, failure_window_start: null }).execute();
  });

  const tickets = () => t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'unlock').execute();
  const loggedWith = (reference: string) => logLines.filter((l) => l.includes(reference)).map((l) => JSON.parse(l) as { msg: string; reference: string });

  it('a first delivery whose store write fails is answered with a reference; its retry is handled: one ticket', async () => {
    await lockByCore(t, alice.id);
    const store = vi.spyOn(t.deps.db, 'insertInto').mockImplementationOnce(() => {
      throw new Error('store down (test)');
    });
    const triggerId = newTriggerId();
    try {
      expect((await t.command(alice.slackId, '/unlock', '', { triggerId })).status).toBe(200);
    } finally {
      store.mockRestore();
    }
    expect(await tickets()).toEqual([]);
    const failed = onlyAnswer(t);
    expect(failed).toMatchObject({ response_type: 'ephemeral' });
    const reference = matchText(failed, WENT_WRONG)?.[1];
    expect(reference).toBeDefined();
    expect(loggedWith(reference!)).toContainEqual(expect.objectContaining({ msg: 'slack listener error', reference }));

    t.slack.clear();
    expect((await t.command(alice.slackId, '/unlock', '', { triggerId, retryNum: 1 })).status).toBe(200);
    expect(await tickets()).toHaveLength(1);
    expect(cards(t)).toHaveLength(1);
    expect(sentAnywhere(onlyAnswer(t), WENT_WRONG)).toBe(false);

    // Handled now: a later copy is acknowledged and dropped.
    expect((await t.command(alice.slackId, '/unlock', '', { triggerId, retryNum: 2 })).status).toBe(200);
    expect(await tickets()).toHaveLength(1);
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('an event whose listener fails (Slack refused views.publish) is handled again on its retry', async () => {
    t.slack.failNext('views.publish', 'internal_error');
    const home = { type: 'app_home_opened', user: alice.slackId, channel: 'D100ALICE', tab: 'home', event_ts: `${Date.now() / 1000}` };
    expect((await t.event(home, { eventId: 'Ev0FAILONCE' })).status).toBe(200);
    expect(t.slack.homeView(alice.slackId)).toBeUndefined();
    // No response_url in an event: the person is told ephemerally where it happened.
    const told = t.slack.callsTo('chat.postEphemeral');
    expect(told).toHaveLength(1);
    expect(told[0]!.args).toMatchObject({ channel: 'D100ALICE', user: alice.slackId });
    expect(String(told[0]!.args.text)).toMatch(WENT_WRONG);

    expect((await t.event(home, { eventId: 'Ev0FAILONCE', retryNum: 1 })).status).toBe(200);
    expect(t.slack.homeView(alice.slackId)).toBeDefined();
    expect(t.slack.callsTo('views.publish').filter((c) => c.ok)).toHaveLength(1);
  });

  it('a retry arriving while the first delivery is still running is acknowledged and not acted on twice', async () => {
    await lockByCore(t, alice.id);
    const cardPost = t.slack.holdNext('chat.postMessage');
    const triggerId = newTriggerId();
    const first = t.command(alice.slackId, '/unlock', '', { triggerId });
    await cardPost.reached; // the first delivery is mid-way: its ticket exists, its card is being posted

    const retry = await t.command(alice.slackId, '/unlock', '', { triggerId, retryNum: 1 });
    expect(retry.status).toBe(200);
    expect(await tickets()).toHaveLength(1);
    expect(t.slack.callsTo('response_url')).toEqual([]);

    cardPost.release();
    expect((await first).status).toBe(200);
    expect(await tickets()).toHaveLength(1);
    expect(cards(t)).toHaveLength(1);
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
    expect(sentAnywhere(onlyAnswer(t), WENT_WRONG)).toBe(false);
  });
});
