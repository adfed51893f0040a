// PostgreSQL stopped under a running keydesk (a private server this test made with
// initdb, never the shared one): /healthz says 503 with the store down, the auth API
// answers 503 {"error":"unavailable"} and the log has one line for the outage, not a
// stack per request; PostgreSQL started again, keydesk serves again without a restart
// (the pool drops its broken connections and connects afresh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type KeydeskApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { postJson, seedActiveAccount, type SeededAccount } from '../support/app.js';
import { testConfig } from '../support/config.js';
import { capturingLogger } from '../support/log-capture.js';
import { startPrivatePostgres, type PrivateServer } from '../support/private-servers.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { waitFor } from '../support/wait.js';

describe('PostgreSQL stopped and started again', () => {
  let pg: PrivateServer | undefined;
  let app: KeydeskApp | undefined;
  let config: Config;
  let account: SeededAccount;
  const { logger, lines } = capturingLogger('info');

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    config = testConfig({ DATABASE_URL: pg.url, DATA_DIR: pg.dir });
    app = await startApp({ config, logger, port: 0, workers: false });
    account = await seedActiveAccount(app.deps);
  }, 60_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (config) await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    await pg?.destroy();
  }, 60_000);

  const login = () => postJson(`${app!.url}/api/v1/login`, { login: account.email, password: account.password });
  const health = async () => {
    const res = await fetch(`${app!.url}/healthz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers 503 while it is down, logs the outage once, and recovers when it is back', async () => {
    expect((await login()).status).toBe(200);
    expect((await health()).status).toBe(200);

    await pg!.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', store: 'down', redis: 'up' });

    const linesBefore = lines.length;
    for (let i = 0; i < 6; i++) {
      const res = await login();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'unavailable' });
      expect(res.headers.get('retry-after')).toBe('5');
    }
    const during = lines.slice(linesBefore).map((l) => JSON.parse(l) as Record<string, unknown>);
    const outage = during.filter((l) => l.msg === 'store unavailable');
    expect(outage).toHaveLength(1);
    expect(outage[0]).toMatchObject({ level: 50, code: 'ECONNREFUSED', suppressed: 0 });
    // Nothing else above info, and no stack anywhere: one line per request is the access log.
    expect(during.filter((l) => Number(l.level) > 30 && l.msg !== 'store unavailable')).toEqual([]);
    expect(lines.slice(linesBefore).join('\n')).not.toMatch(/"stack"|\n\s+at /);

    await pg!.start();
    // The same process, the same pool: the first requests after the restart may still meet a
    // connection the server closed, so poll rather than expect the very first one to pass.
    await waitFor(async () => (await health()).status === 200, 20_000);
    const back = await waitFor(async () => {
      const res = await login();
      return res.status === 200 ? res : undefined;
    }, 20_000);
    expect(back.body.account_id).toBe(account.id);
    const after = await health();
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'ok', store: 'up' });
  }, 60_000);
});
