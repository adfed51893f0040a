// `npm start` as a user runs it: Slack off by default, serving /healthz, stopping on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { freePort } from '../support/services.js';

describe('npm start', () => {
  it('starts with Slack off, says so in one line, serves /healthz and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-start-'));
    const port = await freePort();
    const prefix = `{kdtest-start-${port}}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes('keydesk is listening') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const slackLines = out.split('\n').filter((l) => /Slack is off/.test(l));
      expect(slackLines).toHaveLength(1);
      expect(out).toMatch(/generated a development key/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', slack: 'off' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      await deleteKeysWithPrefix(inject('redisUrl'), prefix);
    }
  });
});
