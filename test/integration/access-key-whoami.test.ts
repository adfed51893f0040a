// GET /api/v1/whoami with a managed key, over HTTP, on two app instances ("replicas") on one
// store: verifyAccessKey reads the key's row on every call (no cache anywhere), so a key
// revoked through one instance answers 401 invalid_key at once on the other; a rotated key
// works on both until its grace ends by the test clock, then 401 on both.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type KeydeskApp } from '../../src/app.js';
import { issueAccessKey, revealAccessKey, revokeAccessKey, rotateAccessKey } from '../../src/core/access-keys.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { createLogger } from '../../src/logger.js';
import { findAccountById } from '../../src/store/accounts.js';
import { seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { testConfig } from '../support/config.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('whoami with managed access keys on %s', (kind) => {
  let t: TestApp;
  let replica: KeydeskApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    const config = testConfig({ DATABASE_URL: t.store.databaseUrl, DATA_DIR: t.store.dataDir });
    replica = await startApp({ config, logger: createLogger('silent'), clock: t.clock, port: 0, workers: false });
  });
  afterEach(async () => {
    await replica.close();
    await t.stop();
  });

  const whoami = async (app: KeydeskApp, key: string) => {
    const res = await fetch(`${app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  async function ownerWithKey() {
    const owner = await seedActiveAccount(t.deps);
    const actor = actorFromAccount((await findAccountById(t.deps.db, owner.id))!);
    const issued = await issueAccessKey(t.deps, CLI_ACTOR, owner.id);
    if (!issued.ok) throw new Error(issued.code);
    const revealed = await revealAccessKey(t.deps, actor, issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    return { owner, actor, keyId: issued.key.id, key: revealed.accessKey };
  }

  it('a revoked key answers 401 invalid_key at once, on every instance', async () => {
    const { actor, keyId, key } = await ownerWithKey();
    for (const app of [t.app, replica]) expect((await whoami(app, key)).status).toBe(200);
    expect((await revokeAccessKey(t.deps, actor, keyId)).ok).toBe(true);
    for (const app of [t.app, replica]) expect(await whoami(app, key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
  });

  it('a rotated key works for the 24 h grace on every instance, then answers 401 invalid_key', async () => {
    const { actor, keyId, key } = await ownerWithKey();
    const rotated = await rotateAccessKey(t.deps, actor, keyId);
    if (!rotated.ok) throw new Error(rotated.code);
    t.clock.advance(86_400_000 - 1);
    for (const app of [t.app, replica]) expect((await whoami(app, key)).status).toBe(200);
    t.clock.advance(1);
    for (const app of [t.app, replica]) expect(await whoami(app, key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
  });
});
