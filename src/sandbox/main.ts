// `npm run sandbox [-- --reset] [-- --socket] [-- --port N]`: the whole helpdesk in a
// browser tab, with no Slack workspace. Development only: it refuses NODE_ENV=production.
import { performance } from 'node:perf_hooks';
import { createLogger } from '../logger.js';
import { redactRedisUrl } from '../redis-url.js';
import { ensureLocalRedis } from '../redis.js';
import { startSandbox } from './sandbox.js';

const USAGE = 'usage: npm run sandbox [-- --reset] [-- --socket] [-- --port 3000]';

function args(argv: string[]): { reset: boolean; socket: boolean; port: number } {
  const out = { reset: false, socket: false, port: Number(process.env.PORT ?? 3000) };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--reset') out.reset = true;
    else if (a === '--socket') out.socket = true;
    else if (a === '--port') out.port = Number(argv[(i += 1)]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`keydesk sandbox: unknown option ${a}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 1 || out.port > 65_535) {
    process.stderr.write(`keydesk sandbox: --port must be a port number (1-65535)\n`);
    process.exit(2);
  }
  return out;
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('keydesk sandbox: refusing to start with NODE_ENV=production (the sandbox shows demo passwords and fakes Slack); use npm start\n');
    process.exit(2);
  }
  const opts = args(process.argv.slice(2));
  const dataDir = process.env.SANDBOX_DATA_DIR ?? './data/sandbox';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = await ensureLocalRedis(redisUrl, dataDir);
  if (redis === 'missing-binary' || redis === 'not-local') {
    process.stderr.write(`keydesk sandbox: nothing answers at REDIS_URL (${redactRedisUrl(redisUrl)})${redis === 'missing-binary' ? "; install Debian's redis-server package" : ''}\n`);
    process.exit(2);
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error');
  const sandbox = await startSandbox({ dataDir, port: opts.port, reset: opts.reset, socket: opts.socket, logger, env: process.env }).catch((err: unknown) => {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      process.stderr.write(`keydesk sandbox: port ${opts.port} is taken; try npm run sandbox -- --port ${opts.port + 1}\n`);
      process.exit(2);
    }
    throw err;
  });
  // Listen for the signal before saying we are ready: whoever reads the line may stop us at once.
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Since the process started (performance's time origin), so tsx's own loading counts too.
  const seconds = (performance.now() / 1000).toFixed(1);
  process.stdout.write(`keydesk sandbox: ${sandbox.url} (ready in ${seconds} s${sandbox.seeded ? ', workspace seeded' : ''}${opts.socket ? ', Socket Mode' : ''}; Ctrl-C stops)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`keydesk sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
