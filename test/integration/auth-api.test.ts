// The auth API's guards and answers: 400, 413, 415, 429, otp_required, whoami.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessKey, revealAccessKey, revokeAccessKey } from '../../src/core/access-keys.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { adminResetPassword, resetPasswordByToken } from '../../src/core/passwords.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { findAccountById } from '../../src/store/accounts.js';
import { beginEnrolment, confirmEnrolment } from '../../src/core/mfa.js';
import { issueToken } from '../../src/core/tokens.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { waitForEmail } from '../support/outbox.js';
import { deleteKeysWithPrefix, keysMatching } from '../support/redis-keys.js';
import { REDIS_KINDS, useRedis } from '../support/redis-kinds.js';
import { redisRateLimiter } from '../../src/web/rate-limit.js';

describe('auth API', () => {
  let t: TestApp;
  let login: string;
  beforeAll(async () => {
    t = await startTestApp('postgres', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    login = `${t.app.url}/api/v1/login`;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 400 with a zod message for malformed JSON or a bad shape, no stack', async () => {
    const broken = await postJson(login, '{"login": "a@b.c", ');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: 'bad_request', message: 'The body is not valid JSON' });
    const shape = await postJson(login, { login: 'a@b.c', password: 42, extra: true });
    expect(shape.status).toBe(400);
    expect(shape.body.error).toBe('bad_request');
    expect(String(shape.body.message)).toMatch(/password/);
    expect(JSON.stringify(shape.body)).not.toMatch(/at .*\.ts:\d+/);
    const notJson = await fetch(login, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(notJson.status).toBe(415);
  });

  it('refuses a body over 16 KiB with 413 before parsing it', async () => {
    const big = await postJson(login, { login: 'a@b.c', password: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    // Chunked, without Content-Length: the streaming cap refuses it too.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        c.close();
      },
    });
    const chunked = await fetch(login, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    expect(chunked.status).toBe(413);
  });

  it('asks for a code only after the right password, and takes a code once', async () => {
    const user = await seedActiveAccount(t.deps);
    const account = (await findAccountById(t.deps.db, user.id))!;
    const enrol = await issueToken(t.deps, user.id, 'mfa_enrol');
    const begun = await beginEnrolment(t.deps, enrol.secret, { password: user.password, securityAnswer: user.answer });
    if (!begun.ok) throw new Error(begun.code);
    t.clock.advance(60_000);
    const confirmed = await confirmEnrolment(t.deps, actorFromAccount(account), enrol.secret, begun.totpSecret, await totpCodeAt(begun.totpSecret, t.clock.now()));
    expect(confirmed.ok).toBe(true);

    expect((await postJson(login, { login: user.email, password: 'wrong password here' })).body.error).toBe('invalid_credentials');
    const needCode = await postJson(login, { login: user.email, password: user.password });
    expect(needCode).toMatchObject({ status: 401, body: { error: 'otp_required' } });

    t.clock.advance(60_000);
    const code = await totpCodeAt(begun.totpSecret, t.clock.now());
    expect((await postJson(login, { login: user.email, password: user.password, otp: code })).status).toBe(200);
    const replay = await postJson(login, { login: user.email, password: user.password, otp: code });
    expect(replay).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
  });

  it('logs in by phone#extension', async () => {
    const user = await seedActiveAccount(t.deps, { phone: '(415) 555-0134', extension: '12' });
    expect((await postJson(login, { login: '+1 415 555 0134#12', password: user.password })).status).toBe(200);
    expect((await postJson(login, { login: '+1 415 555 0134', password: user.password })).status).toBe(401);
  });

  it('whoami answers for a revealed access key, and 401 otherwise', async () => {
    const user = await seedActiveAccount(t.deps);
    const owner = (await findAccountById(t.deps.db, user.id))!;
    const issued = await issueAccessKey(t.deps, CLI_ACTOR, user.id);
    if (!issued.ok) throw new Error(issued.code);
    const revealed = await revealAccessKey(t.deps, actorFromAccount(owner), issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    const whoami = (key: string) => fetch(`${t.app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });

    const good = await whoami(revealed.accessKey);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ account_id: user.id, email: user.email, key_id: issued.key.id });
    const tampered = revealed.accessKey.slice(0, -1) + (revealed.accessKey.endsWith('a') ? 'b' : 'a');
    expect((await whoami(tampered)).status).toBe(401);
    expect((await fetch(`${t.app.url}/api/v1/whoami`)).status).toBe(401);
    await revokeAccessKey(t.deps, CLI_ACTOR, issued.key.id);
    expect((await whoami(revealed.accessKey)).status).toBe(401);
  });

  it('an account that must change its password gets a change link on login', async () => {
    const user = await seedActiveAccount(t.deps);
    await t.deps.db
      .updateTable('accounts')
      .set({ must_change_password: 1 })
      .where('id', '=', user.id)
      .execute();
    const res = await postJson(login, { login: user.email, password: user.password }, { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(200);
    expect(res.body.must_change_password).toBe(true);
    expect(String(res.body.change_password_url)).toMatch(/\/change-password\/[A-Za-z0-9_-]{43}$/);
  });

  it('a password set through an admin-set link must be changed at the next login', async () => {
    const user = await seedActiveAccount(t.deps);
    const admin = await seedActiveAccount(t.deps);
    expect(await adminResetPassword(t.deps, CLI_ACTOR, user.id, admin.email, 'admin-set')).toMatchObject({ ok: true, sentTo: admin.email });
    const secret = await waitForEmail(t.store.dataDir, admin.email, /\/reset\/([A-Za-z0-9_-]{43})/);
    const chosen = 'quartz beacon saddle 17 fen';
    expect((await resetPasswordByToken(t.deps, webActor('203.0.113.9'), secret, { newPassword: chosen })).ok).toBe(true);
    const res = await postJson(login, { login: user.email, password: chosen }, { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(200);
    expect(res.body.must_change_password).toBe(true);
    expect(String(res.body.change_password_url)).toMatch(/\/change-password\/[A-Za-z0-9_-]{43}$/);
  });
});

describe.each(REDIS_KINDS)('auth API rate limit on %s Redis', (kind) => {
  const redisUrl = useRedis(kind);
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '5', REDIS_URL: redisUrl() });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 429 past the per-address limit, kept in Redis', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await postJson(`${t.app.url}/api/v1/login`, { login: 'x@example.com', password: 'y' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const keys = await keysMatching(t.app.redis, '*:ratelimit:login:*');
    expect(keys.length).toBeGreaterThan(0);
  });

  it('lets exactly the limit through a concurrent burst, and the window key expires', async () => {
    const namespace = `{kdtest-burst-${randomBytes(4).toString('hex')}}`;
    const limiter = redisRateLimiter(t.app.redis, { namespace, limit: 5, windowMs: 60_000 });
    const hits = await Promise.all(Array.from({ length: 40 }, () => limiter.hit('198.51.100.7')));
    expect(hits.filter(Boolean)).toHaveLength(5);
    const [key] = await keysMatching(t.app.redis, `${namespace}:*`);
    const ttl = await t.app.redis.pttl(key!);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    await deleteKeysWithPrefix(redisUrl(), namespace);
  });
});
