// The composition root: store, Redis, HTTP routes (and, as they land, queues, workers and
// Slack). main.ts calls it with the parsed config; tests call it with their own.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import { systemClock } from './core/clock.js';
import type { Logger } from './logger.js';
import { connectRedis, type Redis } from './redis.js';
import { resolveSecretBox } from './secrets-key.js';
import { openStore, type Store, type StoreKind } from './store/db.js';
import { migrateToLatest } from './store/migrations.js';
import { healthRoutes } from './web/health.js';
import { createHttpServer } from './web/http.js';

export interface KeydeskApp {
  server: http.Server;
  url: string;
  db: Store;
  storeKind: StoreKind;
  redis: Redis;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Listen on this port instead of config.port (tests pass 0). */
  port?: number;
}

export async function startApp(options: AppOptions): Promise<KeydeskApp> {
  const { config, logger } = options;
  const _clock = options.clock ?? systemClock;
  const _secrets = resolveSecretBox(config, logger);
  const { db, kind } = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'store migrated');

  const redis = connectRedis(config.redisUrl);
  const server = createHttpServer({
    trustProxy: config.trustProxy,
    logger,
    routes: [...healthRoutes({ db, redis, slack: config.slack !== null })],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    server,
    url: `http://127.0.0.1:${port}`,
    db,
    storeKind: kind,
    redis,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      redis.disconnect();
      await db.destroy();
    },
  };
}
