// The console's own rules, against the emulator and a running sandbox: Slack's response_url
// semantics, the modal stack and response_action, the workspace saved across restarts,
// and hostile input to every console route (no 5xx, no stack, no path).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../src/sandbox/console/console-state.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { capturingLogger } from '../support/log-capture.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { freePort } from '../support/free-port.js';


const section = (text: string) => [{ type: 'section', text: { type: 'mrkdwn', text } }];

describe('console state follows what the app sent Slack', () => {
  let emu: SlackEmulator;
  let dir: string;
  let state: ConsoleState;
  const call = async (method: string, args: Record<string, unknown>) => {
    const res = await fetch(`${emu.url}${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${emu.botToken}` }, body: JSON.stringify(args) });
    return (await res.json()) as Record<string, unknown>;
  };
  const respond = (url: string, body: Record<string, unknown>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ANN', name: 'ann' });
    emu.addUser({ id: 'U0BOB', name: 'bob' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'kd-console-state-'));
    state = new ConsoleState(emu, path.join(dir, 'slack-workspace.json'));
  });
  afterAll(async () => {
    await state.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an ephemeral message is its user\'s only; response_url posts follow Slack\'s rules', async () => {
    await call('chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0ANN', text: 'only Ann' });
    expect(state.ephemerals('U0ANN', 'C0GENERAL').map((e) => e.text)).toEqual(['only Ann']);
    expect(state.ephemerals('U0BOB', 'C0GENERAL')).toEqual([]);

    // A command's response_url: a new ephemeral by default, a channel message when in_channel.
    await respond(state.responseUrl({ user: 'U0ANN', channel: 'C0GENERAL', origin: { kind: 'none' } }), { text: 'quiet' });
    await respond(state.responseUrl({ user: 'U0ANN', channel: 'C0GENERAL', origin: { kind: 'none' } }), { text: 'loud', response_type: 'in_channel' });
    await emu.waitForCall('response_url', (c) => c.args.text === 'loud');
    expect(state.ephemerals('U0ANN', 'C0GENERAL').map((e) => e.text)).toEqual(['only Ann', 'quiet']);
    expect(emu.messages('C0GENERAL').map((m) => m.text)).toEqual(['loud']);

    // A click's response_url: replace_original edits the message clicked; delete_original removes an ephemeral.
    const posted = await call('chat.postMessage', { channel: 'C0GENERAL', text: 'card', blocks: section('card') });
    const ts = String(posted.ts);
    await respond(state.responseUrl({ user: 'U0ANN', channel: 'C0GENERAL', origin: { kind: 'message', channel: 'C0GENERAL', ts } }), { replace_original: true, text: 'card, decided' });
    await emu.waitForCall('response_url', (c) => c.args.text === 'card, decided');
    expect(emu.messages('C0GENERAL').find((m) => m.ts === ts)).toMatchObject({ text: 'card, decided', edits: 1 });
    const quiet = state.ephemerals('U0ANN', 'C0GENERAL').find((e) => e.text === 'quiet')!;
    await respond(state.responseUrl({ user: 'U0ANN', channel: 'C0GENERAL', origin: { kind: 'ephemeral', id: quiet.id } }), { delete_original: true });
    await emu.waitForCall('response_url', (c) => c.args.delete_original === true);
    expect(state.ephemerals('U0ANN', 'C0GENERAL').map((e) => e.text)).toEqual(['only Ann']);
  });

  it('modals stack by the trigger the console minted; response_action errors, update, push, clear and close', async () => {
    const modal = (title: string) => ({ type: 'modal', title: { type: 'plain_text', text: title }, submit: { type: 'plain_text', text: 'Go' }, blocks: section(title) });
    const opened = await call('views.open', { trigger_id: state.mintTrigger('U0ANN'), view: modal('First') });
    const firstId = (opened.view as { id: string }).id;
    expect(state.modal('U0ANN')?.id).toBe(firstId);
    expect(state.modal('U0BOB')).toBeUndefined();
    await call('views.push', { trigger_id: state.mintTrigger('U0ANN'), view: modal('Second') });
    expect(state.modalDepth('U0ANN')).toBe(2);
    const second = state.modal('U0ANN')!;

    expect(state.applySubmissionAnswer('U0ANN', second.id, { response_action: 'errors', errors: { email: 'That is not an address' } })).toEqual({ errors: { email: 'That is not an address' } });
    expect(state.modal('U0ANN')?.id).toBe(second.id);
    state.applySubmissionAnswer('U0ANN', second.id, { response_action: 'update', view: modal('Second, updated') });
    expect(state.modal('U0ANN')).toMatchObject({ id: second.id, view: { title: { text: 'Second, updated' } } });
    state.applySubmissionAnswer('U0ANN', second.id, { response_action: 'push', view: modal('Third') });
    expect(state.modalDepth('U0ANN')).toBe(3);
    const third = state.modal('U0ANN')!;
    state.applySubmissionAnswer('U0ANN', third.id, null); // an empty ack closes the one submitted
    expect(state.modal('U0ANN')?.id).toBe(second.id);
    state.closeModal('U0ANN', second.id);
    expect(state.modal('U0ANN')?.id).toBe(firstId);
    state.applySubmissionAnswer('U0ANN', firstId, { response_action: 'clear' });
    expect(state.modal('U0ANN')).toBeUndefined();
  });

  it('saves the workspace and the ephemerals, and a new console state restores them', async () => {
    const messages = emu.messages('C0GENERAL');
    await state.close();
    const emu2 = await startSlackEmulator();
    try {
      const restored = new ConsoleState(emu2, path.join(dir, 'slack-workspace.json'));
      expect(emu2.messages('C0GENERAL')).toEqual(messages);
      expect(restored.ephemerals('U0ANN', 'C0GENERAL').map((e) => e.text)).toEqual(['only Ann']);
      await restored.close();
    } finally {
      await emu2.close();
    }
    state = new ConsoleState(emu, path.join(dir, 'slack-workspace.json'));
  });
});

const LEAKS = [/\/work\//, /node_modules/, /\n\s+at /, /\.ts:\d/, /file:\/\//];

describe('hostile input to the console routes', () => {
  const prefix = `{kdtest-sbx-${randomBytes(4).toString('hex')}}`;
  let sandbox: Sandbox;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kd-sandbox-hostile-'));
    sandbox = await startSandbox({ dataDir, port: await freePort(), logger: capturingLogger('silent').logger, env: { QUEUE_PREFIX: prefix } });
  });
  afterAll(async () => {
    await sandbox?.close();
    await deleteKeysWithPrefix(sandbox.config.redisUrl, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes no form or text/plain post (another site could send those unasked), and answers no other host name', async () => {
    const base = sandbox.url.replace(/\/sandbox$/, '');
    const before = sandbox.emulator.calls.length;
    const plain = await fetch(`${base}/sandbox/api/command`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ as: 'U0ADA', channel: 'C0GENERAL', text: '/login-help' }) });
    expect(plain.status).toBe(415);
    expect(sandbox.emulator.calls.length).toBe(before);

    const port = new URL(base).port;
    const asHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/sandbox/api/panes?as=U0ADA', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await asHost(`rebound.example:${port}`)).toBe(421);
    expect(await asHost(`localhost:${port}`)).toBe(200);
    expect(await asHost(`127.0.0.1:${port}`)).toBe(200);
  });

  it('answers every generated request below 500 without a stack or a path', { timeout: 120_000 }, async () => {
    const base = sandbox.url.replace(/\/sandbox$/, '');
    const valid = {
      command: { as: 'U0EMMA', channel: 'C0GENERAL', text: '/login-help' },
      action: { as: 'U0EMMA', origin: { kind: 'message', channel: 'C0HELPDESK', ts: '1.000001' }, action: { type: 'button', action_id: 'x' } },
      submit: { as: 'U0EMMA', viewId: 'V1', values: {} },
      close: { as: 'U0EMMA', viewId: 'V1' },
      home: { as: 'U0EMMA', tab: 'home' },
    };
    const route = fc.constantFrom(...(Object.keys(valid) as Array<keyof typeof valid>));
    // Valid bodies with one field replaced by anything, or anything at all, or bytes that aren't JSON.
    const body = fc.oneof(
      fc.tuple(route, fc.string({ maxLength: 12 }), fc.jsonValue()).map(([r, k, v]) => ({ r, raw: JSON.stringify({ ...valid[r], [k]: v }) })),
      fc.tuple(route, fc.jsonValue()).map(([r, v]) => ({ r, raw: JSON.stringify(v) })),
      fc.tuple(route, fc.string({ maxLength: 200 })).map(([r, s]) => ({ r, raw: s })),
    );
    const get = fc.oneof(
      fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 8 })).map(([as, pane, v]) => `/sandbox/api/state?${new URLSearchParams({ as, pane, v }).toString()}`),
      fc.string({ maxLength: 60 }).map((s) => `/sandbox/api/panes?as=${encodeURIComponent(s)}`),
      fc.string({ minLength: 1, maxLength: 60 }).map((s) => `/sandbox/mail/${encodeURIComponent(s)}`),
      fc.string({ minLength: 1, maxLength: 60 }).map((s) => `/sandbox/assets/${encodeURIComponent(s)}`),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(body.map((b) => ({ post: b })), get.map((g) => ({ get: g }))), async (req) => {
        n += 1;
        // A state request that names the current version would long-poll: ask without waiting.
        const res =
          'post' in req
            ? await fetch(`${base}/sandbox/api/${req.post.r}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: req.post.raw })
            : await fetch(`${base}${req.get.replace(/&v=[^&]*/, '&v=')}`);
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        for (const leak of LEAKS) expect(text).not.toMatch(leak);
      }),
      { numRuns: 300 },
    );
    expect(n).toBeGreaterThanOrEqual(300);
  });
});
