// A process running only the email worker, against the Redis, queue prefix and SMTP_URL
// its environment names (a test spawns it, kills it with SIGKILL and starts another).
// Prints "ready" once the worker listens. Short job locks, so a killed worker's jobs are
// picked up again within a second or two.
import { createEmailWorker } from '../../jobs/email.worker.js';
import { loadConfig } from '../../src/config.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/index.js';
import { connectRedis } from '../../src/redis.js';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
const connection = connectRedis(config.redisUrl, { connectionName: 'keydesk-test-email-worker' });
const mailer = createMailer(config, logger);
const worker = createEmailWorker({
  connection,
  prefix: config.queuePrefix,
  secretBox: new SecretBox(secretKeyFromBase64(config.secretsKey!)),
  mailer,
  from: config.mailFrom,
  publicUrl: config.publicUrl,
  logger,
  concurrency: 4,
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
});
await worker.waitUntilReady();
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void (async () => {
    await worker.close();
    await mailer.close();
    await connection.quit();
    process.exit(0);
  })();
});
