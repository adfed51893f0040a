// The app under measure runs as production does: its own process, built JavaScript on
// plain node (dist/, rebuilt first when stale, as `npm start` does), on a fresh store and queue
// prefix, so the load generator in this process never shares its event loop. A second,
// in-process "control" app on the same store and Redis seeds accounts and queues jobs the
// way the CLI would; it serves nothing and runs no workers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type KeydeskApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { StoreKind } from '../src/store/db.js';
import { freePort } from '../test/support/free-port.js';
import { deleteKeysWithPrefix } from '../test/support/redis-keys.js';
import { createTestStore, type TestStore } from '../test/support/stores.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ServerUnderTest {
  url: string;
  pid: number;
  store: TestStore;
  control: KeydeskApp;
  /** How the server was started (built JS or tsx), for the report. */
  runs: string;
  /** Resident memory now, and the most it ever held (VmHWM), in MiB. */
  rssMb(): number;
  peakRssMb(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  kind: StoreKind;
  name: string;
  env?: Record<string, string>;
  /** Flags for the server's node (bench/profile.ts passes --cpu-prof). */
  nodeArgs?: string[];
}

let instances = 0;

/**
 * How the recipes start production (`npm start`, the Dockerfile, compose.yaml, deploy/*.service),
 * so the memory figures are the ones production gets: keep these in step with them.
 * Plain node: both memory settings tried were measured and left out (README, "Memory"):
 * MALLOC_MMAP_THRESHOLD_=131072 (peak 239 MiB instead of ~290, but 11 ms more CPU per login
 * in page faults) and --max-semi-space-size=8 (idle 125 MiB instead of 138, but the ack
 * p99 under load 1.73 s instead of 1.27).
 */
export const PRODUCTION_NODE_ARGS: string[] = [];
export const PRODUCTION_ENV: Record<string, string> = {};

/** The production entry point: dist/main.cjs, built first when missing or older than a source. */
function entryPoint(): { args: string[]; runs: string } {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-dist.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building dist/ failed');
  return { args: [...PRODUCTION_NODE_ARGS, path.join(ROOT, 'dist', 'main.cjs')], runs: `${Object.entries(PRODUCTION_ENV).map(([k, v]) => `${k}=${v}`).join(' ')} node ${PRODUCTION_NODE_ARGS.join(' ')} dist/main.cjs` };
}

function vmKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.replace(/\D+/g, '')) : Number.NaN;
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz within 60 s:\n${output()}`);
}

export async function startServer(opts: ServerOptions): Promise<ServerUnderTest> {
  instances += 1;
  const store = await createTestStore(opts.kind, { migrate: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: store.dataDir,
    ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}),
    REDIS_URL,
    ...PRODUCTION_ENV,
    QUEUE_PREFIX: `{kdbench-${opts.name}-${process.pid}-${instances}}`,
    LOG_LEVEL: 'warn',
    // One client address sends everything here: keep the per-address limiter out of the figures.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...opts.env,
  };
  const control = await startApp({ config: loadConfig({ ...env, LOG_LEVEL: 'silent' }), logger: createLogger('silent'), http: false, workers: false });
  const { args, runs } = entryPoint();
  // NODE_ENV is left out on purpose: production argon2 parameters, production logging.
  const { NODE_ENV: _omitted, ...parentEnv } = process.env;
  // BENCH_CPU_PROF_DIR=dir profiles every server of a run (summarise with bench/profile.ts --summary).
  const profiling = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  // BENCH_SERVER_NODE_ARGS='--flag …' tries V8 or Node flags on the server alone (not this process).
  const tried = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...profiling, ...tried, ...(opts.nodeArgs ?? []), ...args], { cwd: ROOT, env: { ...parentEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    await waitHealthy(url, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    await control.close();
    await store.destroy();
    throw err;
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    store,
    control,
    runs,
    rssMb: () => vmKb(pid, 'VmRSS') / 1024,
    peakRssMb: () => vmKb(pid, 'VmHWM') / 1024,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await control.close();
      await deleteKeysWithPrefix(REDIS_URL, env.QUEUE_PREFIX!);
      await store.destroy();
    },
  };
}
