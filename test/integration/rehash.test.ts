// A hash made with weaker argon2 parameters is replaced at the next good login.
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/store/accounts.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';

describe('re-hash on login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { ARGON2_MEMORY_KIB: '2048', ARGON2_TIME_COST: '2' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('upgrades an old-parameter hash after a correct password, and leaves it after a wrong one', async () => {
    const user = await seedActiveAccount(t.deps);
    const weak = await argon2.hash(user.password, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
    await t.deps.db.updateTable('accounts').set({ password_hash: weak }).where('id', '=', user.id).execute();

    await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: 'not it, not it at all' });
    expect((await findAccountById(t.deps.db, user.id))?.password_hash).toBe(weak);

    expect((await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password })).status).toBe(200);
    const upgraded = (await findAccountById(t.deps.db, user.id))!.password_hash!;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
    expect((await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password })).status).toBe(200);
  });
});
