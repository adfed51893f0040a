// `npm start`: parse the environment, make sure Redis answers, then serve everything.
import { startApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { redactRedisUrl } from './redis-url.js';
import { ensureLocalRedis, type Redis } from './redis.js';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** BullMQ loses jobs when Redis evicts keys: say so at start rather than find out later. */
async function warnUnlessNoEviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    if (reply[1] && reply[1] !== 'noeviction') {
      logger.warn({ policy: reply[1] }, 'Redis maxmemory-policy is not noeviction: queued jobs may be evicted');
    }
  } catch {
    // CONFIG may be disabled on managed Redis; nothing to check then.
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);

  const redis = await ensureLocalRedis(config.redisUrl, config.dataDir);
  if (redis === 'missing-binary') {
    process.stderr.write(`keydesk: nothing answers at REDIS_URL (${redactRedisUrl(config.redisUrl)}); install Debian's redis-server package or point REDIS_URL at a Redis\n`);
    process.exit(2);
  }
  if (redis === 'not-local') {
    process.stderr.write(`keydesk: nothing answers at REDIS_URL (${redactRedisUrl(config.redisUrl)})\n`);
    process.exit(2);
  }
  if (redis === 'started') logger.info({ url: redactRedisUrl(config.redisUrl) }, 'started a local redis-server');

  if (!config.slack) logger.info('Slack is off (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and HELPDESK_CHANNEL are unset): serving the auth API, web pages and workers');

  const workerOnly = process.argv.includes('--worker-only');
  // --web-only: HTTP and Slack, no queue workers (a replica behind a balancer, with workers elsewhere).
  const webOnly = process.argv.includes('--web-only');
  if (workerOnly && webOnly) {
    process.stderr.write('keydesk: --worker-only and --web-only exclude each other\n');
    process.exit(2);
  }
  const app = await startApp({ config, logger, http: !workerOnly, workers: !webOnly });
  await warnUnlessNoEviction(app.redis, logger);
  if (workerOnly) logger.info({ store: app.storeKind }, 'keydesk workers are running');
  else logger.info({ url: config.publicUrl, port: config.port, store: app.storeKind, workers: !webOnly }, 'keydesk is listening');

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`keydesk: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
