// Many replicas on one PostgreSQL and one Redis: two `--web-only` app processes behind a
// round-robin proxy and two `--worker-only` processes (the built dist/main.cjs, as
// production runs), all sharing the Slack emulator — on the suite's Redis, then on a
// private Redis Cluster. Whatever replica a delivery
// lands on, the shared state decides once: a Slack delivery and its retries make one
// ticket, 20 Approve clicks one decision, and 100 locks ending in the same second are each
// cleared and told once, by whichever worker took the job.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type KeydeskApp } from '../../src/app.js';
import type { CoreDeps } from '../../src/core/deps.js';
import { createLogger } from '../../src/logger.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS } from '../../handlers/ids.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { auditOf, cards, dmsTo, lockByCore, seedCast, seedPerson, type Cast, type Person } from '../support/helpdesk-fixtures.js';
import { deleteKeysWithPrefix, keysMatching } from '../support/redis-keys.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { HELPDESK, type SlackTestApp } from '../support/slack-app.js';
import { buttonClick, commandBody, interactionBody, newTriggerId, post, sign, SIGNING_SECRET } from '../support/slack-requests.js';
import { createTestStore, type TestStore } from '../support/stores.js';
import { waitFor } from '../support/wait.js';
import { startWebProcess, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { buildDist, type TestBuild } from '../support/dist.js';
import { ManualClock } from '../../src/core/clock.js';

const LOCKS = 100;

// What production runs (`node dist/main.cjs --web-only` / `--worker-only`), built once for both setups.
let build: TestBuild;
beforeAll(() => {
  build = buildDist();
});
afterAll(() => build?.remove());

/** The accounts a worker process logged a line `msg` for (of `kind`, when given). */
function accountsLogged(w: WorkerProcess, msg: string, kind?: string): string[] {
  return w
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; kind?: string; accountId?: string })
    .filter((l) => l.msg === msg && (kind === undefined || l.kind === kind) && l.accountId)
    .map((l) => l.accountId!);
}

describe.each(REDIS_KINDS)('two replicas and two workers on one PostgreSQL and %s Redis', (kind) => {
  const redisUrl = useRedis(kind);
  const prefix = `{kdtest-scale-${randomBytes(4).toString('hex')}}`;
  let store: TestStore;
  let slack: SlackEmulator;
  let seeder: KeydeskApp;
  let proxy: RoundRobinProxy;
  let t: SlackTestApp;
  let cast: Cast;
  const processes: WorkerProcess[] = [];
  let responses = 0;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    slack = await startSlackEmulator();
    const shared = {
      DATABASE_URL: store.databaseUrl,
      DATA_DIR: store.dataDir,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.url,
      HELPDESK_CHANNEL: HELPDESK,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      // Production's job locks, not the fault tests' 1 s ones (no worker is killed here): on
      // a loaded CI machine a 1 s lock lapsed mid-notice and another worker ran it again,
      // a second DM — what at-least-once delivery allows, and not what is measured here.
      WORKER_LOCK_MS: '30000',
      WORKER_STALLED_INTERVAL_MS: '30000',
    };
    // This process only seeds and reads the store (no HTTP, no workers): the replicas serve.
    seeder = await startApp({ config: testConfig(shared), logger: createLogger('silent'), http: false, workers: false });
    const ports = [await freePort(), await freePort()];
    const startedAt = Date.now();
    processes.push(...(await Promise.all(ports.map((port) => startWebProcess({ ...shared, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, { builtMain: build.main })))));
    processes.push(...(await Promise.all([1, 2].map(() => startWorkerProcess(shared, { builtMain: build.main })))));
    console.log(`${kind}: 4 processes up in ${Date.now() - startedAt} ms`);
    proxy = await startRoundRobinProxy(ports.map((p) => `http://127.0.0.1:${p}`));
    const events = `${proxy.url}/slack/events`;
    // The SlackTestApp the fixtures know, its requests going through the proxy, signed now.
    const now = () => ({ nowMs: Date.now() });
    t = {
      app: { ...seeder, url: proxy.url },
      store,
      clock: new ManualClock(),
      deps: seeder.deps,
      slack,
      events,
      command: (userId, command, text = '', o = {}) =>
        post(events, sign(commandBody({ command, text, user_id: userId, trigger_id: o.triggerId ?? newTriggerId(), response_url: slack.responseUrl(`r${++responses}`) }), 'application/x-www-form-urlencoded', { ...now(), ...o })),
      click: (input, o = {}) => post(events, sign(interactionBody({ ...buttonClick(input), response_url: slack.responseUrl(`r${++responses}`) }), 'application/x-www-form-urlencoded', { ...now(), ...o })),
      interaction: (payload, o = {}) => post(events, sign(interactionBody(payload), 'application/x-www-form-urlencoded', { ...now(), ...o })),
      event: () => Promise.reject(new Error('not used here')),
      stop: () => Promise.resolve(),
    };
    cast = await seedCast(t);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGTERM')));
    await proxy?.close();
    await seeder?.close();
    await deleteKeysWithPrefix(redisUrl(), prefix);
    await slack?.close();
    await store?.destroy();
  }, 60_000);

  const tickets = () => t.deps.db.selectFrom('tickets').selectAll().execute();
  const replicaLogs = () => processes.map((p) => p.output()).join('\n');

  it('both replicas answer /healthz through the proxy, Redis up', async () => {
    const before = [...proxy.hits];
    const answers = await Promise.all([1, 2].map(async () => (await fetch(`${proxy.url}/healthz`)).json()));
    const healthy: unknown = expect.objectContaining({ status: 'ok', store: 'up', redis: 'up', slack: 'on' });
    expect(answers).toEqual([healthy, healthy]);
    expect(proxy.hits.map((h, i) => h - before[i]!)).toEqual([1, 1]);
  });

  it('one /unlock delivered four times (X-Slack-Retry-Num 1–3), spread over both replicas: one ticket, one card', async () => {
    await lockByCore(t, cast.alice.id);
    slack.clear();
    const before = [...proxy.hits];
    const triggerId = newTriggerId();
    const body = commandBody({ command: '/unlock', text: '', user_id: cast.alice.slackId, trigger_id: triggerId, response_url: slack.responseUrl('retries') });
    const signedAt = Date.now();
    // Slack's retries are the same body; each is signed again when it is sent.
    const deliveries = await Promise.all(
      [undefined, 1, 2, 3].map((retryNum) => post(t.events, sign(body, 'application/x-www-form-urlencoded', { nowMs: signedAt + (retryNum ?? 0) * 1000, ...(retryNum ? { retryNum } : {}) }))),
    );
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(proxy.hits.map((h, i) => h - before[i]!)).toEqual([2, 2]);
    // Production acks first: the ticket, its card and the answer follow.
    await waitFor(async () => cards(t).length >= 1 && slack.callsTo('response_url').length >= 1 && (await tickets()).length >= 1, 15_000);
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate would have landed by now
    expect(await tickets()).toHaveLength(1);
    expect(cards(t)).toHaveLength(1);
    expect(slack.callsTo('response_url')).toHaveLength(1);
  });

  it('20 concurrent Approve clicks spread over both replicas: one decision, one card update, one audit event', async () => {
    const [ticket] = await tickets();
    const [card] = slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === HELPDESK && !c.args.thread_ts);
    expect(ticket).toBeDefined();
    slack.clear();
    const before = [...proxy.hits];
    const admins = [cast.dana, cast.sam];
    const clicks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.click({ user_id: admins[i % 2]!.slackId, action_id: ACTIONS.approve, value: ticket!.id, channel: HELPDESK, message_ts: String(card!.response.ts) })),
    );
    expect(clicks.every((r) => r.status === 200)).toBe(true);
    expect(proxy.hits.map((h, i) => h - before[i]!)).toEqual([10, 10]);
    // Production acks first: the decisions land after the answers.
    await waitFor(async () => (await auditOf(t, 'refused:decide_ticket')).length + (await auditOf(t, 'approve_ticket')).length === 20, 20_000);
    await waitFor(() => slack.callsTo('response_url').length === 19, 10_000);
    const approvals = await auditOf(t, 'approve_ticket');
    expect(approvals).toHaveLength(1);
    expect(await auditOf(t, 'unlock')).toEqual([expect.objectContaining({ actor: approvals[0]!.actor })]);
    expect((await findAccountById(t.deps.db, cast.alice.id))!.locked_until).toBeNull();
    await waitFor(() => slack.callsTo('chat.update').length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect((await tickets()).map((r) => r.status)).toEqual(['approved']);
    await waitFor(() => dmsTo(t, cast.alice.slackId).some((m) => /unlock request was approved/.test(m)), 10_000);
    expect(dmsTo(t, cast.alice.slackId).filter((m) => /unlock request was approved/.test(m))).toHaveLength(1);
  });

  it(`${LOCKS} locks ending in the same second: each cleared once and its owner told once, by two workers`, async () => {
    const people: Person[] = [];
    for (let i = 0; i < LOCKS; i += 10) {
      people.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) => seedPerson(t, { slackId: `U8${String(i + j).padStart(3, '0')}LOCK`, name: `Locked Person${i + j}`, role: 'user', email: `locked-${i + j}@example.com` })),
        )),
      );
    }
    slack.clear();
    // Every lock is recorded as if at one instant, so all end at the same millisecond,
    // some seconds from now (locking 100 took over 7 s on a loaded CI machine); the
    // expiry jobs are scheduled by the real clock.
    const endsAt = Math.ceil((Date.now() + 15_000) / 1000) * 1000;
    const lockDeps: CoreDeps = { ...t.deps, clock: { now: () => endsAt - t.deps.policy.lockout.durationMs } };
    for (let i = 0; i < LOCKS; i += 10) await Promise.all(people.slice(i, i + 10).map((p) => lockByCore({ ...t, deps: lockDeps }, p.id)));
    const rows = await t.deps.db.selectFrom('accounts').select(['id', 'locked_until']).where('email', 'like', 'locked-%').execute();
    expect(rows.map((r) => Number(r.locked_until))).toEqual(rows.map(() => endsAt));
    expect(Date.now()).toBeLessThan(endsAt); // locked before any of them ends

    const unlockNotices = () => people.map((p) => dmsTo(t, p.slackId).filter((m) => /unlocked by itself/.test(m)).length);
    await waitFor(() => unlockNotices().every((n) => n >= 1), 60_000);
    await new Promise((r) => setTimeout(r, 1000)); // a second notice would have come by now
    expect(unlockNotices()).toEqual(people.map(() => 1));
    const left = await t.deps.db.selectFrom('accounts').select('id').where('email', 'like', 'locked-%').where('locked_until', 'is not', null).execute();
    expect(left).toEqual([]);
    const expired = await t.deps.db.selectFrom('audit_log').select('target_account_id').where('action', '=', 'lock_expired').execute();
    const byAccount = new Map<string, number>();
    for (const e of expired) byAccount.set(e.target_account_id!, (byAccount.get(e.target_account_id!) ?? 0) + 1);
    expect(people.map((p) => byAccount.get(p.id))).toEqual(people.map(() => 1));
    // Which worker told whom: together exactly once each. Both took part: the expiry jobs
    // are due at once, so each worker runs some; the notices go out in batches of 25, which
    // either worker may take all of.
    const ids = new Set(people.map((p) => p.id));
    const workers = processes.slice(2);
    const toldBy = workers.map((w) => accountsLogged(w, 'notice handled', 'account_unlocked').filter((id) => ids.has(id)).length);
    const expiriesBy = workers.map((w) => accountsLogged(w, 'lock expiry handled').filter((id) => ids.has(id)).length);
    console.log(`${kind}: unlock notices per worker ${toldBy.join(' + ')}, expiry jobs run ${expiriesBy.join(' + ')}`);
    expect(toldBy.reduce((a, b) => a + b, 0)).toBe(LOCKS);
    expect(workers.map((_, i) => toldBy[i]! + expiriesBy[i]!).every((n) => n > 0)).toBe(true);
    expect(replicaLogs()).not.toMatch(/"level":(50|60)/); // no error or fatal line in any process
  }, 120_000);

  // The Cluster is this file's own: every key on it was written by these processes.
  it.runIf(kind === 'cluster')('every key the processes wrote sits under the prefix, in its hash tag’s one slot', async () => {
    const keys = await keysMatching(seeder.redis, '*');
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !k.startsWith(`${prefix}:`))).toEqual([]);
    const slots = new Set(await Promise.all(keys.slice(0, 50).map((k) => seeder.redis.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
  });
});
