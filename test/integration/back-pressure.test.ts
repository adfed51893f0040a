// Back-pressure: past HASH_QUEUE_LIMIT waiting hashes the auth API answers 503 busy with
// Retry-After: 1 before any lookup, and the pages that hash say "busy" politely; those
// pages also count form posts per client address and per link in Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/core/tokens.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { Browser } from '../support/page-client.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('back-pressure and page post limits on %s', (kind) => {
  let t: TestApp;
  let user: SeededAccount;
  beforeEach(async () => {
    t = await startTestApp(
      kind,
      // Production argon2 cost, so a filled line stays full while a request crosses it.
      { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '3', PAGE_POSTS_PER_LINK: '3', PAGE_POSTS_PER_ADDRESS: '5' },
      { workers: false },
    );
    user = await seedActiveAccount(t.deps);
  });
  afterEach(async () => {
    await t.stop();
  });

  /** Fills the hashing line past its limit; resolves when the line has drained. */
  function fillHashingLine(): Promise<unknown> {
    const work = Array.from({ length: 20 }, (_, i) => t.deps.hasher.hash(`filler ${i}`));
    expect(t.deps.hasher.busy).toBe(true);
    return Promise.all(work);
  }

  it('the auth API answers 503 busy with Retry-After: 1 and records nothing while the line is full', async () => {
    const drained = fillHashingLine();
    const res = await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'busy' });
    expect(res.headers.get('retry-after')).toBe('1');
    const attempts = await t.deps.db.selectFrom('login_attempts').select('id').where('account_id', '=', user.id).execute();
    expect(attempts).toHaveLength(0);
    await drained;
    expect((await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password })).status).toBe(200);
  });

  it('a burst into a full line gets 503s, and every other answer is the usual one', async () => {
    const drained = fillHashingLine();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: `wrong ${i} guess guess` })));
    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses].every((s) => s === 401 || s === 503)).toBe(true);
    expect(results.some((r) => r.status === 503)).toBe(true);
    await drained;
  });

  it('a page that hashes shows a polite busy page (503, Retry-After: 1) and changes nothing', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'reset');
    const b = new Browser(t.app.url);
    await b.get(`/reset/${secret}`);
    const drained = fillHashingLine();
    const busy = await b.post(`/reset/${secret}`, { answer: user.answer });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.text).toContain('try again in a moment');
    await drained;
    const token = await t.deps.db.selectFrom('one_time_tokens').select('failed_attempts').where('account_id', '=', user.id).where('purpose', '=', 'reset').executeTakeFirstOrThrow();
    expect(token.failed_attempts).toBe(0);
    expect((await b.post(`/reset/${secret}`, { answer: user.answer })).status).toBe(200);
  });

  it('posts per link and per address are limited, counted under the link hash, never the link', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'reset');
    const b = new Browser(t.app.url);
    await b.get(`/reset/${secret}`);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await b.post(`/reset/${secret}`, { answer: `not the answer ${i}` }));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 429]);
    expect(answers[3]!.headers.get('retry-after')).toBe('600');
    expect(answers[3]!.text).toContain('Too many attempts');

    // Two posts left for this address (5 in all): another link gets them, then 429 too.
    const other = (await issueToken(t.deps, user.id, 'change_password')).secret;
    const c = new Browser(t.app.url);
    await c.get(`/change-password/${other}`);
    const fields = { current: 'wrong wrong wrong', password: 'x', password2: 'x', pin: '0000' };
    const more = [];
    for (let i = 0; i < 3; i++) more.push((await c.post(`/change-password/${other}`, fields)).status);
    expect(more).toEqual([400, 429, 429]);

    const keys = await t.app.redis.keys('*ratelimit:posts*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.includes(secret) || k.includes(other))).toBe(false);
  });
});
