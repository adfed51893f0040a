// keydesk as a separate process (src/main.ts through tsx, or a build of it), in a clean environment made of
// the test's settings: `--worker-only` for fault tests that SIGKILL it mid-job, and
// `--web-only` replicas for the scale test (HTTP and Slack, no workers).
// Short job locks (WORKER_LOCK_MS / WORKER_STALLED_INTERVAL_MS) unless the test sets
// them, so a killed worker's job runs again within a couple of seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TEST_SECRETS_KEY } from './config.js';
import { waitFor } from './wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it printed (pino's JSON lines and stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ProcessOptions {
  /** A built dist/main.cjs (test/support/dist.ts) to run on plain node instead of src/main.ts through tsx. */
  builtMain?: string;
}

export function startWorkerProcess(env: Record<string, string | undefined>, options: ProcessOptions = {}): Promise<WorkerProcess> {
  return startKeydeskProcess(['--worker-only'], env, 'keydesk workers are running', options);
}

/** A replica serving HTTP and Slack on PORT (which env must set), running no queue workers. */
export function startWebProcess(env: Record<string, string | undefined>, options: ProcessOptions = {}): Promise<WorkerProcess> {
  return startKeydeskProcess(['--web-only'], env, 'keydesk is listening', options);
}

async function startKeydeskProcess(args: string[], env: Record<string, string | undefined>, readyLine: string, options: ProcessOptions): Promise<WorkerProcess> {
  const entry = options.builtMain ? [options.builtMain] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SECRETS_KEY: TEST_SECRETS_KEY,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      WORKER_LOCK_MS: '1000',
      WORKER_STALLED_INTERVAL_MS: '500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const proc: WorkerProcess = {
    child,
    output: () => out,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
  try {
    // A loaded machine takes a while to load TypeScript through tsx.
    await waitFor(() => out.includes(readyLine) || child.exitCode !== null, 45_000);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  if (child.exitCode !== null) throw new Error(`the keydesk process exited (${child.exitCode}):\n${out}`);
  return proc;
}
