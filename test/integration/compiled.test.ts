// Production runs the esbuild bundles on plain node (scripts/build-dist.mjs): the server and
// the `keydesk` command start without tsx, and `npm start` rebuilds a stale dist/ first.
// The bundles are built into a folder of test-output/ (inside the checkout, so their npm
// imports resolve to its node_modules), never over the dist/ someone may be running.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { freePort } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const outDir = path.join(ROOT, 'test-output', `dist-${randomUUID()}`);
const cleanEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

function buildScript(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/build-dist.mjs', '--outdir', outDir, ...args], { cwd: ROOT, env: cleanEnv, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

beforeAll(() => {
  buildScript();
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('compiled keydesk', () => {
  /** dist/main.cjs of this build on plain node, listening; `stop` sends SIGTERM and resolves with the exit code. */
  async function startBuilt(env: Record<string, string> = {}) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-compiled-'));
    const port = await freePort();
    const prefix = `{kdtest-compiled-${port}}`;
    // No --import: node cannot load a .ts file, so this runs JavaScript only.
    const child = spawn(process.execPath, [path.join(outDir, 'main.cjs')], {
      cwd: ROOT,
      env: { ...cleanEnv, DATA_DIR: dataDir, PORT: String(port), REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const cleanUp = async () => {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      await deleteKeysWithPrefix(inject('redisUrl'), prefix);
    };
    const deadline = Date.now() + 20_000;
    while (!out.includes('keydesk is listening') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: `http://127.0.0.1:${port}`,
      output: () => out,
      /** Threads of the process now (main, V8's, libuv's pool…). */
      threads: () => readdirSync(`/proc/${child.pid}/task`).length,
      async stop(): Promise<number | null> {
        try {
          child.kill('SIGTERM');
          return await exited;
        } finally {
          await cleanUp();
        }
      },
    };
  }

  it('the server runs on plain node: /healthz answers, SIGTERM stops it with 0', async () => {
    const server = await startBuilt();
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status, server.output()).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'up', redis: 'up' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('dist/main.cjs sizes the libuv thread pool to HASH_CONCURRENCY before the server loads, unless UV_THREADPOOL_SIZE is set', async () => {
    // The pool's threads start all at once, on its first use (the module loader's); the
    // other threads are the same in every run, so counts compare run to run.
    const threads = async (env: Record<string, string>) => {
      const server = await startBuilt(env);
      try {
        expect((await fetch(`${server.url}/healthz`)).status, server.output()).toBe(200);
        return server.threads();
      } finally {
        await server.stop();
      }
    };
    const two = await threads({ UV_THREADPOOL_SIZE: '2' });
    expect(await threads({})).toBe(two); // HASH_CONCURRENCY's default, 2
    expect(await threads({ HASH_CONCURRENCY: '3' })).toBe(two + 1);
    expect(await threads({ HASH_CONCURRENCY: '3', UV_THREADPOOL_SIZE: '5' })).toBe(two + 3);
  }, 60_000);

  it('bin/keydesk.js runs the built command line on plain node', () => {
    expect(readFileSync(path.join(ROOT, 'bin/keydesk.js'), 'utf8')).not.toMatch(/tsx/);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-compiled-cli-'));
    try {
      const env = { ...cleanEnv, NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' };
      const migrate = spawnSync(process.execPath, ['bin/keydesk.js', 'migrate'], { cwd: ROOT, env, encoding: 'utf8' });
      expect(migrate.status, migrate.stderr).toBe(0);
      expect(migrate.stdout).toMatch(/applied 0001_initial/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('npm start and npm run worker rebuild dist/ first when it is missing or older than a source', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe('node scripts/build-dist.mjs --if-stale && node dist/main.cjs');
    expect(scripts.worker).toBe('node scripts/build-dist.mjs --if-stale && node dist/main.cjs --worker-only');

    // Current: nothing to do, nothing said.
    expect(buildScript('--if-stale')).toBe('');

    // A source newer than the last build (as if src/main.ts was edited after it started).
    const stampFile = path.join(outDir, 'build-info.json');
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { startedAt: number; inputs: string[] };
    expect(stamp.inputs).toContain('src/main.ts');
    expect(stamp.inputs.some((p) => p.startsWith('src/sandbox/') || p.startsWith('test/'))).toBe(false);
    writeFileSync(stampFile, JSON.stringify({ ...stamp, startedAt: 0 }));
    expect(buildScript('--if-stale')).toMatch(/^keydesk: built test-output\/dist-[^ ]+\/ in \d+ ms \(.+ changed\)\n$/);
    expect((JSON.parse(readFileSync(stampFile, 'utf8')) as { startedAt: number }).startedAt).toBeGreaterThan(0);

    // An output gone.
    unlinkSync(path.join(outDir, 'cli.js'));
    expect(buildScript('--if-stale')).toMatch(/\(cli\.js is missing\)/);
    expect(existsSync(path.join(outDir, 'cli.js'))).toBe(true);

    // Nothing but what the last build wrote (the chunks of an earlier one are gone).
    const { outputs } = JSON.parse(readFileSync(stampFile, 'utf8')) as { outputs: string[] };
    expect(outputs).toEqual(expect.arrayContaining(['main.cjs', 'server.js', 'cli.js']));
    expect(outputs.some((f) => f.startsWith('chunks/'))).toBe(true);
    expect(readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(outDir, path.join(e.parentPath, e.name))).sort()).toEqual([...outputs, 'build-info.json'].sort());

    // Never built.
    rmSync(outDir, { recursive: true, force: true });
    expect(buildScript('--if-stale')).toMatch(/\(never built\)/);
    expect(buildScript('--if-stale')).toBe('');
  }, 60_000);

  it('the bundles import npm packages of "dependencies" only: a production install (npm ci --omit=dev) runs them', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    const { outputs } = JSON.parse(readFileSync(path.join(outDir, 'build-info.json'), 'utf8')) as { outputs: string[] };
    for (const file of outputs.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(path.join(outDir, file), 'utf8');
      // require("x"), requireDriver("x"), …: the packages loaded lazily through createRequire (store drivers, libphonenumber-js, zxcvbn).
      for (const m of code.matchAll(/(?:\bfrom |^import |\bimport\(|\brequire(?:[A-Z]\w*)?\()"([^"./][^"]*)"/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('laid out as in the Docker image (dist/, bin/, no sources), the command never rebuilds', () => {
    // The image's /app: package.json, node_modules, dist/, bin/ and the build script, no src/.
    const app = mkdtempSync(path.join(ROOT, 'test-output', 'image-'));
    try {
      cpSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
      cpSync(outDir, path.join(app, 'dist'), { recursive: true });
      cpSync(path.join(ROOT, 'bin'), path.join(app, 'bin'), { recursive: true });
      mkdirSync(path.join(app, 'scripts'));
      cpSync(path.join(ROOT, 'scripts/build-dist.mjs'), path.join(app, 'scripts/build-dist.mjs'));
      // Even a stamp older than everything: with no source there, dist/ is what runs.
      const stampFile = path.join(app, 'dist', 'build-info.json');
      writeFileSync(stampFile, JSON.stringify({ ...(JSON.parse(readFileSync(stampFile, 'utf8')) as object), startedAt: 0 }));
      const help = spawnSync(process.execPath, ['bin/keydesk.js', '--help'], { cwd: app, env: { ...cleanEnv, NODE_ENV: 'production' }, encoding: 'utf8' });
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: keydesk/);
      expect(help.stderr).toBe('');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  }, 30_000);
});
