// `npm run sandbox` outside the browser: what the seed leaves in the store, that the
// workspace survives a restart and `--reset` starts over, that the console listens on
// 127.0.0.1 only and never in `npm start`, and that the command refuses production and
// prints one line with no demo secret in it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeedFile } from '../../src/sandbox/seed.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { SANDBOX_PEOPLE } from '../../src/sandbox/people.js';
import { startTestApp } from '../support/app.js';
import { capturingLogger } from '../support/log-capture.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { freePort } from '../support/free-port.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';


describe('the sandbox starts, seeds, survives a restart and resets', () => {
  const prefix = `{kdtest-sbx-${randomBytes(4).toString('hex')}}`;
  const dirs: string[] = [];
  let sandbox: Sandbox | undefined;
  afterAll(async () => {
    await sandbox?.close();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('seeds seven linked people in their states, writes the demo secrets at mode 600, and logs none of them', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kd-sandbox-'));
    dirs.push(dataDir);
    const { logger, lines } = capturingLogger('trace');
    sandbox = await startSandbox({ dataDir, port: await freePort(), logger, env: { QUEUE_PREFIX: prefix } });
    expect(sandbox.seeded).toBe(true);
    expect((sandbox.app.server?.address() as AddressInfo).address).toBe('127.0.0.1');

    const rows = await sandbox.app.db.selectFrom('accounts').selectAll().orderBy('email').execute();
    expect(rows.map((r) => r.email).sort()).toEqual(SANDBOX_PEOPLE.map((p) => p.email).sort());
    const byEmail = (email: string) => rows.find((r) => r.email === email)!;
    for (const p of SANDBOX_PEOPLE) {
      expect(byEmail(p.email).slack_user_id).toBe(p.slackId);
      expect(byEmail(p.email).role).toBe(p.role);
      expect(byEmail(p.email).locale).toBe(p.locale);
    }
    const sam = byEmail('sam@keydesk.test');
    const now = Date.now();
    expect(sam.locked_until).toBeGreaterThan(now + 60_000);
    expect(sam.locked_until).toBeLessThanOrEqual(now + 5 * 60_000 + 1000);
    expect(byEmail('noah@keydesk.test').status).toBe('pending_activation');
    expect(byEmail('lea@keydesk.test').totp_secret_enc).not.toBeNull();
    expect(byEmail('emma@keydesk.test')).toMatchObject({ status: 'active', locked_until: null, totp_secret_enc: null });

    const seed = await readSeedFile(dataDir);
    expect(Object.keys(seed!.people)).toHaveLength(SANDBOX_PEOPLE.length);
    expect((await stat(path.join(dataDir, 'demo-credentials.json'))).mode & 0o777).toBe(0o600);
    // PINs are four digits: any timestamp holds one, so they are looked for only as a logged value.
    const secrets = Object.values(seed!.people).flatMap((s) => [s.password, s.answer, `"${s.pin}"`, ...(s.totpSecret ? [s.totpSecret] : [])]);
    const logged = lines.join('\n');
    for (const s of secrets) expect(logged).not.toContain(s);

    // The Slack users the console shows are the emulator's, with names, zones and locales.
    expect(sandbox.emulator.users.get('U0LEA')).toMatchObject({ real_name: 'Léa Dubois', tz: 'Europe/Paris', locale: 'fr-FR' });
  });

  it('keeps the store and the channels across a restart; --reset starts over', async () => {
    const first = sandbox!;
    const dataDir = path.dirname(first.config.dataDir + '/x');
    const port = await freePort();
    // Sam asks to be unlocked through the console: a ticket card lands in #helpdesk.
    await fetch(`${first.url}/api/command`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'U0SAM', channel: 'C0GENERAL', text: '/unlock' }),
    });
    // The card, then its first thread line ("opened on …").
    await first.emulator.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0HELPDESK' && c.args.thread_ts !== undefined);
    const cards = first.emulator.messages('C0HELPDESK').length;
    const tickets = (await first.app.db.selectFrom('tickets').select('id').execute()).length;
    await first.close();

    sandbox = await startSandbox({ dataDir, port, logger: capturingLogger('silent').logger, env: { QUEUE_PREFIX: prefix } });
    expect(sandbox.seeded).toBe(false);
    expect(sandbox.emulator.messages('C0HELPDESK')).toHaveLength(cards);
    expect(await sandbox.app.db.selectFrom('tickets').select('id').execute()).toHaveLength(tickets);
    await sandbox.close();

    sandbox = await startSandbox({ dataDir, port, reset: true, logger: capturingLogger('silent').logger, env: { QUEUE_PREFIX: prefix } });
    expect(sandbox.seeded).toBe(true);
    expect(sandbox.emulator.messages('C0HELPDESK')).toHaveLength(0);
    expect(await sandbox.app.db.selectFrom('tickets').select('id').execute()).toHaveLength(0);
  });

  it('npm start never serves the console', async () => {
    const t = await startTestApp('sqlite');
    try {
      for (const p of ['/sandbox', '/sandbox/api/state', '/sandbox/assets/console.js']) {
        expect((await fetch(`${t.app.url}${p}`)).status).toBe(404);
      }
    } finally {
      await t.stop();
    }
  });
});

function run(args: string[], env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let stopped = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until && until.test(out) && !stopped) {
        stopped = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('npm run sandbox, the command', () => {
  it('refuses NODE_ENV=production with one line and exit 2', async () => {
    const r = await run([], { NODE_ENV: 'production' });
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/refusing to start with NODE_ENV=production/);
  });

  it('prints one line with the URL, shows no demo secret, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kd-sandbox-cmd-'));
    const prefix = `{kdtest-sbx-${randomBytes(4).toString('hex')}}`;
    const port = await freePort();
    try {
      const r = await run(['--reset', '--port', String(port)], { SANDBOX_DATA_DIR: dataDir, QUEUE_PREFIX: prefix, NODE_ENV: '' }, /keydesk sandbox: http/);
      expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^keydesk sandbox: http://127\\.0\\.0\\.1:${port}/sandbox \\(ready in [\\d.]+ s, workspace seeded`))]);
      expect(r.code).toBe(0);
      const seed = await readSeedFile(dataDir);
      for (const s of Object.values(seed!.people)) {
        expect(r.out + r.err).not.toContain(s.password);
        expect(r.out + r.err).not.toContain(s.answer);
      }
      // How long start-up takes is printed by the command itself ("ready in 1.3 s"), not judged here.
    } finally {
      await deleteKeysWithPrefix(REDIS_URL, prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown option', async () => {
    const r = await run(['--frobnicate'], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option --frobnicate/);
  });
});
