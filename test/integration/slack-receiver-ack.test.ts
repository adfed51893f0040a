// The receiver as production runs it (processBeforeResponse off; the e2e tests turn it on
// to wait for listeners): a delivery whose ack carries nothing is answered on arrival,
// before Bolt runs, and Bolt runs at most FOLLOW_UPS such deliveries at once, in arrival
// order; a modal's submission still waits for its listener's ack, which may carry errors.
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logger.js';
import { acksEmpty, HttpSlackReceiver } from '../../src/slack/receiver.js';
import type { WebRequest } from '../../src/web/http.js';
import { SIGNING_SECRET, commandBody, interactionBody, newTriggerId, sign } from '../support/slack-requests.js';

type Release = () => void;

function request(body: string): WebRequest {
  const signed = sign(body, 'application/x-www-form-urlencoded', { nowMs: Date.now() });
  return {
    method: 'POST', path: '/slack/events', query: new URLSearchParams(), params: {}, clientAddress: '127.0.0.1',
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: () => Promise.resolve(Buffer.from(signed.body)),
  };
}

const command = (text: string) => commandBody({ command: '/slow', text, user_id: 'U100ALICE', trigger_id: newTriggerId(), response_url: 'https://hooks.slack.com/commands/T1/1/x' });

describe('HttpSlackReceiver, acking on arrival', () => {
  const releases: Release[] = [];
  afterEach(() => releases.splice(0).forEach((r) => r()));

  function appWith(setUp: (app: App) => void, followUpSlotMs?: number) {
    const receiver = new HttpSlackReceiver({ signingSecret: SIGNING_SECRET, clock: systemClock, logger: createLogger('silent'), ...(followUpSlotMs ? { followUpSlotMs } : {}) });
    const app = new App({ token: 'xoxb-test', receiver, tokenVerificationEnabled: false, botId: 'B1', botUserId: 'U0BOT', logLevel: LogLevel.ERROR });
    setUp(app);
    return receiver.route();
  }

  it('answers a command before its listener runs, then runs it', async () => {
    const started: string[] = [];
    const route = appWith((app) =>
      app.command('/slow', async ({ ack, command: c }) => {
        await ack();
        started.push(c.text);
      }),
    );
    const answer = await route.handle(request(command('one')));
    expect(answer).toEqual({ status: 200 });
    expect(started).toEqual([]); // not yet: the answer went first
    await expect.poll(() => started).toEqual(['one']);
  });

  it('runs at most 8 acked deliveries at once, the rest in arrival order, and every one of them', async () => {
    const running: string[] = [];
    const started: string[] = [];
    const route = appWith((app) =>
      app.command('/slow', async ({ ack, command: c }) => {
        await ack();
        running.push(c.text);
        started.push(c.text);
        await new Promise<void>((resolve) => releases.push(resolve));
        running.splice(running.indexOf(c.text), 1);
      }),
    );
    const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => route.handle(request(command(`c${i}`)))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await expect.poll(() => running.length).toBe(8);
    await new Promise((r) => setTimeout(r, 50));
    expect(running).toHaveLength(8);
    while (started.length < 20) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
      expect(running.length).toBeLessThanOrEqual(8);
    }
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
  });

  it('a listener that never ends gives its slot up after a while, so the ones behind it run', async () => {
    const started: string[] = [];
    const route = appWith((app) =>
      app.command('/slow', async ({ ack, command: c }) => {
        await ack();
        started.push(c.text);
        if (c.text.startsWith('hung')) await new Promise<void>((resolve) => releases.push(resolve));
      }),
    200);
    for (let i = 0; i < 8; i++) await route.handle(request(command(`hung${i}`)));
    await route.handle(request(command('next')));
    await expect.poll(() => started.length).toBe(8);
    expect(started).not.toContain('next');
    await expect.poll(() => started, { timeout: 2000 }).toContain('next');
  });

  it("still waits for a modal submission's ack, and answers with what it carries", async () => {
    const route = appWith((app) =>
      app.view('form', async ({ ack }) => {
        await new Promise((r) => setTimeout(r, 20));
        await ack({ response_action: 'errors', errors: { email: 'Not an address' } });
      }),
    );
    const body = interactionBody({ type: 'view_submission', team: { id: 'T1' }, user: { id: 'U100ALICE' }, view: { id: 'V1', callback_id: 'form', type: 'modal', state: { values: {} } }, api_app_id: 'A1', token: 'x' });
    const answer = await route.handle(request(body));
    expect(answer.status).toBe(200);
    expect(JSON.parse(String(answer.body))).toEqual({ response_action: 'errors', errors: { email: 'Not an address' } });
  });

  it('knows which deliveries ack with nothing', () => {
    expect(acksEmpty({ command: '/unlock' })).toBe(true);
    for (const type of ['block_actions', 'event_callback', 'view_closed', 'shortcut', 'message_action']) expect(acksEmpty({ type })).toBe(true);
    for (const type of ['view_submission', 'block_suggestion', 'interactive_message']) expect(acksEmpty({ type })).toBe(false);
  });
});
