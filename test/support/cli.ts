// `keydesk …` as an operator runs it: a child process (tsx) in a clean environment, so
// nothing from the developer's shell leaks into the CLI's config.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRETS_KEY } from './config.js';
import type { TestStore } from './stores.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKeydesk(args: string[], env: Record<string, string | undefined>, input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The environment of a read-only command on `store` (Redis is never reached: it points nowhere). */
export function readOnlyCliEnv(store: Pick<TestStore, 'dataDir' | 'databaseUrl'>): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: store.dataDir,
    DATABASE_URL: store.databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:1',
    SECRETS_KEY: TEST_SECRETS_KEY,
  };
}
