// Lockout through the HTTP API, with the expiry job and without it, on both stores, and
// on PostgreSQL with a Redis Cluster (queues, rate limit) as well.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockExpiryJobId } from '../../jobs/queues.js';
import { findAccountById } from '../../src/store/accounts.js';
import type { StoreKind } from '../../src/store/db.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';
import { REDIS_KINDS, useRedis, type RedisKind } from '../support/redis-kinds.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

const HOUR = 3_600_000;

const SETUPS: [StoreKind, RedisKind][] = [...STORE_KINDS.map((s): [StoreKind, RedisKind] => [s, REDIS_KINDS[0]]), ['postgres', 'cluster']];

describe.each(SETUPS)('lockout through the auth API on %s, %s Redis', (kind, redisKind) => {
  const redisUrl = useRedis(redisKind);
  let t: TestApp;
  let user: SeededAccount;
  const loginAs = (login: string, password: string) => postJson(`${t.app.url}/api/v1/login`, { login, password });

  beforeEach(async () => {
    t = await startTestApp(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: '1', REDIS_URL: redisUrl() });
    user = await seedActiveAccount(t.deps, { email: 'Alice@Example.com' });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('logs in with the right password, by any case of the email', async () => {
    const res = await loginAs('ALICE@example.COM', user.password);
    expect(res.status).toBe(200);
    const { session_token: token, ...rest } = res.body;
    expect(rest).toEqual({ account_id: user.id, must_change_password: false, session_expires_at: new Date(t.clock.now() + 8 * 3600_000).toISOString() });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('5 wrong passwords lock; the right one then gets the same 401; 59:59 locked, 60:00 open (job)', async () => {
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await loginAs(i % 2 ? 'alice@example.com' : 'Alice@example.com', 'not the password at all'));
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    const lockedAt = t.clock.now();
    const account = await findAccountById(t.deps.db, user.id);
    expect(account?.locked_until).toBe(lockedAt + HOUR);
    expect(account?.status).toBe('active'); // a lock never changes the status

    const right = await loginAs(user.email, user.password);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong[0]!.body);

    t.clock.set(lockedAt + HOUR - 1000);
    expect((await loginAs(user.email, user.password)).status).toBe(401);

    // The job fires (promoted instead of waiting an hour) at 60:00 by the clock and clears the lock.
    t.clock.set(lockedAt + HOUR);
    const job = await t.app.queues.lockExpiry.getJob(lockExpiryJobId(user.id, lockedAt + HOUR));
    expect(job).toBeDefined();
    await job!.promote();
    await waitFor(async () => (await findAccountById(t.deps.db, user.id))?.locked_until === null);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('target_account_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toContain('lock_expired');
    expect((await loginAs(user.email, user.password)).status).toBe(200);
  });

  it('the lock email names the address of the attempt that locked it', async () => {
    for (let i = 0; i < 4; i++) await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: 'not the password at all' }, { 'x-forwarded-for': '198.51.100.2' });
    await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: 'not the password at all' }, { 'x-forwarded-for': '203.0.113.9' });
    expect((await findAccountById(t.deps.db, user.id))?.locked_until).not.toBeNull();
    expect(await waitForEmail(t.store.dataDir, 'alice@example.com', /The last attempt came from (\S+)\./)).toBe('203.0.113.9');
  });

  it('failures while locked add nothing, and a success resets the count', async () => {
    for (let i = 0; i < 4; i++) await loginAs(user.email, 'wrong wrong wrong wrong');
    expect((await loginAs(user.email, user.password)).status).toBe(200);
    expect((await findAccountById(t.deps.db, user.id))?.failed_count).toBe(0);
    for (let i = 0; i < 5; i++) await loginAs(user.email, 'wrong wrong wrong wrong');
    for (let i = 0; i < 3; i++) await loginAs(user.email, 'wrong wrong wrong wrong');
    const a = await findAccountById(t.deps.db, user.id);
    expect(a?.failed_count).toBe(5);
  });

  it('50 concurrent wrong guesses make exactly one lock', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => loginAs(user.email, 'a wrong guess, again')));
    expect(results.every((r) => r.status === 401)).toBe(true);
    const locks = await t.deps.db
      .selectFrom('audit_log')
      .select('detail')
      .where('target_account_id', '=', user.id)
      .where('action', '=', 'lock')
      .execute();
    expect(locks).toHaveLength(1);
    const delayed = await t.app.queues.lockExpiry.getDelayed();
    expect(delayed).toHaveLength(1);
  });

  it('unknown login and wrong password give identical status and body', async () => {
    const unknown = await loginAs('nobody@example.com', 'whatever whatever');
    const wrong = await loginAs(user.email, 'whatever whatever');
    const badPhone = await loginAs('+1 415 555 0199#77', 'whatever whatever');
    expect(unknown.status).toBe(401);
    expect(unknown).toEqual({ ...wrong, headers: unknown.headers });
    expect(badPhone.body).toEqual(wrong.body);
  });
});

describe('lock expiry without the worker', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }, { workers: false });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('locked_until alone ends the lock at 60:00, even with no job run', async () => {
    const user = await seedActiveAccount(t.deps);
    for (let i = 0; i < 5; i++) await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: 'nope nope nope nope' });
    const start = t.clock.now();
    t.clock.set(start + HOUR - 1000);
    expect((await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password })).status).toBe(401);
    t.clock.set(start + HOUR);
    expect((await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password })).status).toBe(200);
    // A late job finds the lock already gone and changes nothing.
    const a = await findAccountById(t.deps.db, user.id);
    expect(a?.locked_until).toBeNull();
  });
});
