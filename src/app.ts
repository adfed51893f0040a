// The composition root: store, Redis, the core's dependencies (CoreEffects on the queues),
// the workers (the notify worker's Slack side from handlers/notices), the Slack app (its
// listeners from handlers/) and the HTTP routes. main.ts calls it with the parsed config;
// tests call it with their own config and clock.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullEffects, createQueues, emailFailureTicket, startWorkers, type Queues, type RunningWorkers } from '../jobs/index.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './core/clock.js';
import type { CoreDeps } from './core/deps.js';
import { corePolicy } from './core-policy.js';
import { Hasher } from './core/hashing.js';
import { expireLock } from './core/lockout.js';
import { purgeDeadSessions } from './core/sessions.js';
import { purgeExpiredTokens } from './core/tokens.js';
import { purgeDeadCodes } from './core/otp-codes.js';
import type { Logger } from './logger.js';
import { createMailer } from './mail/index.js';
import { outageLog } from './outage-log.js';
import { createSmsTransport } from './sms/index.js';
import { connectRedis, type Redis } from './redis.js';
import { resolveSecretBox } from './secrets-key.js';
import { isStoreUnavailable, openStore, type Store, type StoreKind } from './store/db.js';
import { migrateToLatest } from './store/migrations.js';
import { authApiRoutes } from './web/auth-api.js';
import { healthRoutes } from './web/health.js';
import { pageRoutes } from './web/pages/index.js';
import { createHttpServer, type Route } from './web/http.js';
import { slackListeners } from '../handlers/index.js';
import { createNoticesClient, createSlackNotices } from '../handlers/notices/slack-notices.js';
import { createSlackApp, type SlackRuntime } from './slack/slack-app.js';
import { countingFetch } from './slack/counting-fetch.js';
import { AppMetrics } from './metrics/app-metrics.js';
import { watchApp } from './metrics/sources.js';
import { metricsRoute } from './web/metrics.js';
import { redisRateLimiter } from './web/rate-limit.js';

export interface KeydeskApp {
  deps: CoreDeps;
  db: Store;
  storeKind: StoreKind;
  redis: Redis;
  queues: Queues;
  /** Null when started with `http: false` (a worker-only process). */
  server: http.Server | null;
  url: string;
  /** Null when started with `workers: false`. */
  workers: RunningWorkers | null;
  /** Null when Slack is off. */
  slack: SlackRuntime | null;
  /** This instance's metrics (its own prom-client registry). */
  metrics: AppMetrics;
  /** `http://127.0.0.1:<METRICS_PORT>` when METRICS_PORT is set, else null. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Listen on this port instead of config.port (tests pass 0). */
  port?: number;
  /** Serve HTTP (default true). */
  http?: boolean;
  /** Run the queue workers in this process (default true). */
  workers?: boolean;
  /** Answer Slack only after the listener finished (tests); production acks first. */
  slackProcessBeforeResponse?: boolean;
  /** Listen on this address only (the sandbox: 127.0.0.1); default every interface. */
  host?: string;
  /** More routes on the same server: the sandbox's console. `npm start` passes none. */
  extraRoutes?: Route[];
}

export async function startApp(options: AppOptions): Promise<KeydeskApp> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const secrets = resolveSecretBox(config, logger);
  const { db, kind } = openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // Debug only: the requests that fail meanwhile say so (once per outage, see http.ts).
    onIdleError: (err) => logger.debug({ err: err.message }, 'a pooled store connection broke'),
  });
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'store migrated');

  const redis = connectRedis(config.redisUrl, { connectionName: 'keydesk' });
  const queues = createQueues({ connection: redis, prefix: config.queuePrefix, onError: outageLog(logger, 'queue connection error') });
  const metrics = new AppMetrics();
  const deps: CoreDeps = {
    db,
    clock,
    hasher: new Hasher(config.argon2),
    secrets,
    policy: corePolicy(config),
    effects: createBullEffects(queues, secrets, { clock, notify: config.slack !== null, emailBackoffMs: config.emailRetryBaseMs, smsBackoffMs: config.smsRetryBaseMs }),
    metrics,
  };
  watchApp(metrics, { db, queues, hasher: deps.hasher });
  const metricsServed = config.metrics.token !== undefined || config.metrics.port !== undefined;
  if (metricsServed) metrics.withProcessMetrics();

  const mailer = createMailer(config, logger);
  const notices = config.slack
    ? createSlackNotices({
        ctx: { deps, helpdeskChannel: config.slack.helpdeskChannel, helpdeskLocale: config.helpdeskLocale, logger },
        client: createNoticesClient(config.slack, logger, countingFetch(metrics)),
        redis,
        namespace: config.queuePrefix,
        approvalTtlMs: config.approvalTtlMs,
      })
    : undefined;
  const workers =
    options.workers === false
      ? null
      : await startWorkers({
          config,
          secretBox: secrets,
          mailer,
          sms: createSmsTransport(config),
          logger,
          clock,
          onExpire: (accountId, lockedUntil) => expireLock(deps, accountId, lockedUntil),
          notify: notices,
          onEmailFailure: emailFailureTicket(deps),
          metrics,
          // The hourly clean-up takes dead sessions and codes (over a day) along with dead tokens.
          purgeTokens: async () => (await purgeExpiredTokens(deps)) + (await purgeDeadSessions(deps)) + (await purgeDeadCodes(deps)),
        });

  const slack =
    config.slack && options.http !== false
      ? await createSlackApp({
          slack: config.slack,
          listeners: slackListeners({ deps, helpdeskChannel: config.slack.helpdeskChannel, helpdeskLocale: config.helpdeskLocale, logger }),
          redis,
          namespace: config.queuePrefix,
          logger,
          clock,
          processBeforeResponse: options.slackProcessBeforeResponse,
          metrics,
        })
      : null;

  let server: http.Server | null = null;
  let url = '';
  if (options.http !== false) {
    const limiter = redisRateLimiter(redis, {
      namespace: `${config.queuePrefix}:ratelimit`,
      limit: config.loginRateLimitPerMinute,
      windowMs: 60_000,
    });
    const runtime = slack;
    server = createHttpServer({
      trustProxy: config.trustProxy,
      logger,
      isUnavailable: isStoreUnavailable,
      metrics,
      routes: [
        ...healthRoutes({ db, redis, clock, slackAuthTest: runtime ? () => runtime.authTest() : null }),
        // Without METRICS_TOKEN, /metrics is not a route here: 404 like any unknown path.
        ...(config.metrics.token !== undefined ? [metricsRoute(metrics, config.metrics.token)] : []),
        ...authApiRoutes(deps, limiter),
        ...pageRoutes(deps, {
          login: limiter,
          forgot: redisRateLimiter(redis, { namespace: `${config.queuePrefix}:ratelimit:forgot`, limit: 5, windowMs: 10 * 60_000 }),
          validate: redisRateLimiter(redis, { namespace: `${config.queuePrefix}:ratelimit:validate`, limit: 20, windowMs: 10 * 60_000 }),
          posts: {
            perAddress: redisRateLimiter(redis, { namespace: `${config.queuePrefix}:ratelimit:posts`, limit: config.pagePosts.perAddress, windowMs: 10 * 60_000 }),
            perLink: redisRateLimiter(redis, { namespace: `${config.queuePrefix}:ratelimit:posts`, limit: config.pagePosts.perLink, windowMs: 10 * 60_000 }),
          },
        }),
        ...(slack?.route ? [slack.route] : []),
        ...(options.extraRoutes ?? []),
      ],
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? config.port, options.host, () => resolve());
    });
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }
  // METRICS_PORT: loopback only, no token (the host's own scraper); worker-only processes too.
  const metricsServer =
    config.metrics.port === undefined
      ? null
      : await listen(createHttpServer({ trustProxy: 0, logger, metrics, routes: [metricsRoute(metrics, null)] }), config.metrics.port, '127.0.0.1');
  const metricsUrl = metricsServer ? `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}` : null;
  await slack?.start();

  let closing: Promise<void> | undefined;
  return {
    deps,
    db,
    storeKind: kind,
    redis,
    queues,
    server,
    url,
    workers,
    slack,
    metrics,
    metricsUrl,
    close() {
      closing ??= (async () => {
        await slack?.stop();
        for (const s of [server, metricsServer]) {
          if (!s) continue;
          await new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections();
          });
        }
        await workers?.close();
        await mailer.close();
        await queues.close();
        await redis.quit();
        await db.destroy();
      })();
      return closing;
    },
  };
}

function listen(server: http.Server, port: number, host?: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
