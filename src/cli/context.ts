// What a CLI command works with: the store (migrated), and, for commands that change
// accounts, Redis and the queues, so the emails and lock-expiry jobs the core asks for
// are queued for the workers of `npm start` / `npm run worker`. No HTTP server, no
// workers: the CLI only writes to the store and enqueues.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBullEffects, createQueues, type Queues } from '../../jobs/index.js';
import { corePolicy } from '../core-policy.js';
import type { Config } from '../config.js';
import { systemClock } from '../core/clock.js';
import type { CoreDeps } from '../core/deps.js';
import type { CoreEffects } from '../core/effects.js';
import { Hasher } from '../core/hashing.js';
import { createLogger, type Logger } from '../logger.js';
import { connectRedis, isReachable, type Redis } from '../redis.js';
import { resolveSecretBox } from '../secrets-key.js';
import { openStore, type Store, type StoreKind } from '../store/db.js';
import { migrateToLatest } from '../store/migrations.js';
import { CliError, EXIT_USAGE } from './output.js';

export interface CliContext {
  config: Config;
  deps: CoreDeps;
  db: Store;
  storeKind: StoreKind;
  /** Migrations this run applied (usually none). */
  applied: string[];
  /** Null when the command was opened without Redis. */
  queues: Queues | null;
  close(): Promise<void>;
}

export interface ContextOptions {
  /**
   * Connect Redis and the queues (default true). Read-only commands pass false, so they
   * work while Redis is down; their deps.effects then throw if anything asks for one.
   */
  redis?: boolean;
}

/**
 * Warnings as one plain line on stderr (stdout is the command's output). The server
 * already warns on every start that it uses the development secrets key; the CLI says
 * so only when it generates one.
 */
function cliLogger(config: Config): Logger {
  const reusingDevKey = !config.secretsKey && existsSync(path.join(config.dataDir, 'secrets.key'));
  const level = reusingDevKey ? 'error' : config.logLevel === 'info' ? 'warn' : config.logLevel;
  return createLogger(level, {
    write(line: string) {
      let msg = line;
      try {
        const parsed = JSON.parse(line) as { msg?: unknown };
        if (typeof parsed.msg === 'string') msg = parsed.msg;
      } catch {
        // not JSON: print as is
      }
      process.stderr.write(`keydesk: ${msg.trim()}\n`);
      return true;
    },
  } as unknown as NodeJS.WritableStream);
}

/** Effects for a context without Redis: asking for one is a bug in the command. */
const NO_EFFECTS: CoreEffects = {
  sendEmail: () => Promise.reject(new Error('this command was opened without Redis and cannot send email')),
  scheduleLockExpiry: () => Promise.reject(new Error('this command was opened without Redis and cannot schedule jobs')),
  cancelLockExpiry: () => Promise.reject(new Error('this command was opened without Redis and cannot cancel jobs')),
  notify: () => Promise.reject(new Error('this command was opened without Redis and cannot notify anyone')),
  resendEmail: () => Promise.reject(new Error('this command was opened without Redis and cannot resend email')),
  sendSms: () => Promise.reject(new Error('this command was opened without Redis and cannot send an SMS')),
};

async function connectCliRedis(config: Config): Promise<Redis> {
  // connectRedis waits for Redis forever (right for a server); a CLI says so and stops.
  if (!(await isReachable(config.redisUrl, 2000))) {
    throw new CliError(`nothing answers at REDIS_URL (${redactUrl(config.redisUrl)})`, EXIT_USAGE, 'redis_unreachable');
  }
  return connectRedis(config.redisUrl, { connectionName: 'keydesk-cli', maxRetriesPerRequest: 3 });
}

export async function openCliContext(config: Config, options: ContextOptions = {}): Promise<CliContext> {
  const secrets = resolveSecretBox(config, cliLogger(config));

  let redis: Redis | null = null;
  if (options.redis !== false) {
    redis = await connectCliRedis(config);
  }

  const { db, kind } = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 2 });
  const queues = redis ? createQueues({ connection: redis, prefix: config.queuePrefix }) : null;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await queues?.close();
      await redis?.quit();
      await db.destroy();
    })();
    return closing;
  };

  try {
    const applied = await migrateToLatest(db);
    if (queues) await queues.email.waitUntilReady();
    const deps: CoreDeps = {
      db,
      clock: systemClock,
      hasher: new Hasher(config.argon2),
      secrets,
      policy: corePolicy(config),
      effects: queues ? createBullEffects(queues, secrets, { clock: systemClock, notify: config.slack !== null }) : NO_EFFECTS,
    };
    return { config, deps, db, storeKind: kind, applied, queues, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

/** Just the queues (for `keydesk queue status`): no store. */
export async function openCliQueues(config: Config): Promise<{ queues: Queues; close(): Promise<void> }> {
  const redis = await connectCliRedis(config);
  const queues = createQueues({ connection: redis, prefix: config.queuePrefix });
  return {
    queues,
    async close() {
      await queues.close();
      await redis.quit();
    },
  };
}

/** A URL as it may be shown: no password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}
