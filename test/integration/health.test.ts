import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type KeydeskApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import type { Config } from '../../src/config.js';
import { testConfig } from '../support/config.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { createTestStore, type TestStore } from '../support/stores.js';

describe('GET /healthz', () => {
  let store: TestStore;
  let app: KeydeskApp;
  let config: Config;
  beforeAll(async () => {
    store = await createTestStore('postgres', { migrate: false });
    config = testConfig({ DATABASE_URL: store.databaseUrl, DATA_DIR: store.dataDir });
    app = await startApp({
      config,
      logger: createLogger('silent'),
      port: 0,
    });
  });
  afterAll(async () => {
    await app.close();
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    await store.destroy();
  });

  it('reports the store and Redis up, and Slack off', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'up', redis: 'up', slack: 'off' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers HEAD as GET without a body', async () => {
    const head = await fetch(`${app.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/application\/json/);
    expect(await head.text()).toBe('');
    expect((await fetch(`${app.url}/forgot`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 404 and 405 as JSON', async () => {
    expect((await fetch(`${app.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
