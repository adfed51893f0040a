// The Slack Web API answering 429 with Retry-After, then a 5xx, then fine (the local
// emulator's fault switch): the call waits at least Retry-After, is tried again, and the
// message is posted exactly once. Both Web API clients: the notify worker's (a queued DM
// on the suite's Redis: the job is delayed by Retry-After, the 5xx retried in the client)
// and the listeners' (Bolt's client options: it waits Retry-After itself). A batch of
// notices (a lock-expiry sweep's) rate-limited halfway resumes where it stopped.
import { randomBytes } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBullEffects } from '../../jobs/effects.js';
import { createNotifyWorker, type NotifyWorker } from '../../jobs/notify.worker.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis, type Redis } from '../../src/redis.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { listenerClientOptions } from '../../src/slack/slack-app.js';
import { createNoticesClient, createSlackNotices } from '../../handlers/notices/slack-notices.js';
import { TEST_SECRETS_KEY } from '../support/config.js';
import { seedPerson, startCore, type CoreHarness } from '../support/core.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { waitFor } from '../support/wait.js';

const silent = createLogger('silent');
const HOUR = 3_600_000;
const DANA = 'U700DANA';

describe('Slack Web API faults: 429 with Retry-After, then 500', () => {
  let h: CoreHarness;
  let slack: SlackEmulator;
  let redis: Redis;
  let workerRedis: Redis;
  let queues: Queues;
  let worker: NotifyWorker | undefined;
  const prefix = `{kdtest-${randomBytes(4).toString('hex')}}`;

  beforeAll(async () => {
    h = await startCore('sqlite');
    slack = await startSlackEmulator();
    redis = connectRedis(inject('redisUrl'));
    workerRedis = connectRedis(inject('redisUrl'));
    queues = createQueues({ connection: redis, prefix });
    await queues.notify.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queues?.close();
    await Promise.all([redis?.quit(), workerRedis?.quit()]);
    await deleteKeysWithPrefix(inject('redisUrl'), prefix);
    await slack?.close();
    await h?.stop();
  });

  function faults(method: string): void {
    slack.failNext(method, 'ratelimited', { retryAfter: 1 });
    slack.failNext(method, 'internal_error', { status: 500 });
  }

  it('a queued DM: delayed by Retry-After, the 500 retried, posted once', async () => {
    const dana = await seedPerson(h);
    await h.deps.db.updateTable('accounts').set({ slack_user_id: DANA }).where('id', '=', dana.id).execute();
    slack.addUser({ id: DANA, name: 'dana' });
    const notices = createSlackNotices({
      ctx: { deps: h.deps, helpdeskChannel: 'C0HELPDESK', logger: silent },
      client: createNoticesClient({ botToken: slack.botToken, apiUrl: slack.url }, silent),
      redis,
      namespace: prefix,
      approvalTtlMs: 24 * HOUR,
    });
    faults('chat.postMessage');
    const lockedAt = h.clock.now();
    await createBullEffects(queues, new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY))).notify({
      kind: 'account_locked', accountId: dana.id, lockedAt, lockedUntil: lockedAt + HOUR, failures: 5,
    });
    const [job] = await queues.notify.getJobs(['waiting']);
    worker = createNotifyWorker({ connection: workerRedis, prefix, logger: silent, port: notices });

    await waitFor(async () => (await queues.notify.getJobState(job!.id!)) === 'completed', 30_000);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'internal_error', 'ok']);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1_000); // Retry-After: 1 honoured
    expect(slack.messages(slack.dmChannelFor(DANA))).toHaveLength(1);
    const done = await queues.notify.getJob(job!.id!);
    expect(done!.returnvalue).toBe('sent');
    expect(done!.attemptsMade).toBe(1); // neither fault counted as a failed attempt
    console.log(`notify DM through 429 + 500: posted after ${posts[2]!.at - posts[0]!.at} ms`);
  }, 40_000);

  it("a sweep's batch of DMs: the second rate-limited, the job resumes there, each owner told once", async () => {
    await worker?.close();
    slack.clear();
    const owners = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const person = await seedPerson(h);
        const slackId = `U71BATCH${n}`;
        await h.deps.db.updateTable('accounts').set({ slack_user_id: slackId }).where('id', '=', person.id).execute();
        slack.addUser({ id: slackId, name: `batch${n}` });
        return slackId;
      }),
    );
    const ids = await h.deps.db.selectFrom('accounts').select(['id', 'slack_user_id']).where('slack_user_id', 'in', owners).execute();
    const at = h.clock.now();
    await createBullEffects(queues, new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY))).notify(
      ...ids.map((r) => ({ kind: 'account_unlocked' as const, accountId: r.id, how: 'expired' as const, at })),
    );
    const jobs = await queues.notify.getJobs(['waiting']);
    expect(jobs.map((j) => j.name)).toEqual(['batch']);
    // The first DM goes through; the second is held until Slack is set to answer it 429.
    const first = slack.holdNext('chat.postMessage');
    const second = slack.holdNext('chat.postMessage');
    worker = createNotifyWorker({
      connection: workerRedis,
      prefix,
      logger: silent,
      port: createSlackNotices({
        ctx: { deps: h.deps, helpdeskChannel: 'C0HELPDESK', logger: silent },
        client: createNoticesClient({ botToken: slack.botToken, apiUrl: slack.url }, silent),
        redis,
        namespace: prefix,
        approvalTtlMs: 24 * HOUR,
      }),
    });
    await first.reached;
    first.release();
    await second.reached;
    slack.failNext('chat.postMessage', 'ratelimited', { retryAfter: 1 });
    second.release();

    await waitFor(async () => (await queues.notify.getJobState(jobs[0]!.id!)) === 'completed', 30_000);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((c) => c.error ?? 'ok')).toEqual(['ok', 'ratelimited', 'ok', 'ok', 'ok', 'ok']);
    expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(1_000);
    for (const slackId of owners) expect(slack.messages(slack.dmChannelFor(slackId))).toHaveLength(1);
    const done = await queues.notify.getJob(jobs[0]!.id!);
    expect(done!.returnvalue).toBe('told 4'); // the run after the 429 told the four left
    expect(done!.data).toMatchObject({ kind: 'batch', done: 4 });
  }, 40_000);

  it("a listener's call (Bolt's client options): waits Retry-After, retries the 500, posts once", async () => {
    const client = new webApi.WebClient(slack.botToken, { ...listenerClientOptions(slack.url), logger: boltLogger(silent) });
    slack.clear();
    faults('chat.postMessage');
    const posted = await client.chat.postMessage({ channel: 'C0HELPDESK', text: 'card after faults' });
    expect(posted.ok).toBe(true);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'internal_error', 'ok']);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(slack.messages('C0HELPDESK').filter((m) => m.text === 'card after faults')).toHaveLength(1);
  }, 20_000);
});
