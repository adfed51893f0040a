// One flow over Socket Mode: the app asks apps.connections.open (through SLACK_API_URL)
// for the emulator's WebSocket, a slash command arrives as an envelope, is acked on the
// socket, and the answer goes to its response_url — the same listener as over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { textOf } from '../support/slack-find.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';

describe('Socket Mode', () => {
  let slack: SlackEmulator;
  let t: TestApp;
  const ALICE = 'U300ALICE';

  beforeAll(async () => {
    slack = await startSlackEmulator();
    t = await startTestApp('sqlite', {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.url,
      HELPDESK_CHANNEL: 'C0HELPDESK',
    });
    slack.addUser({ id: ALICE, name: 'alice', email: 'alice.socket@example.com', tz: 'Europe/Paris' });
    await seedActiveAccount(t.deps, { email: 'alice.socket@example.com' });
  });
  afterAll(async () => {
    await t?.stop();
    await slack?.close();
  });

  it('connects through SLACK_API_URL with the app token and serves /login-help over the socket', async () => {
    await slack.socketConnected();
    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(slack.appToken);
    expect(t.app.slack?.route).toBeNull(); // no HTTP route for Slack in Socket Mode

    const ack = await slack.sendSocketEnvelope('slash_commands', {
      token: 'deprecated-verification-token',
      team_id: slack.teamId,
      team_domain: 'keydesk-sandbox',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: ALICE,
      user_name: 'alice',
      command: '/login-help',
      text: '',
      api_app_id: slack.appId,
      response_url: slack.responseUrl('socket1'),
      trigger_id: '1.2.3',
    });
    expect(ack.envelope_id).toEqual(expect.any(String));

    const answer = await slack.waitForCall('response_url', (c) => c.args.response_id === 'socket1');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(textOf(answer)).toMatch(/looks fine/);
  });

  it('closes the socket when the app closes, and does not reconnect', async () => {
    const opened = slack.callsTo('apps.connections.open').length;
    await t.app.close();
    slack.requestSocketReconnect(); // reaches no one: the app is gone
    await expect(slack.sendSocketEnvelope('slash_commands', { command: '/login-help' }, { timeoutMs: 300 })).rejects.toThrow(/no Socket Mode connection/);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(opened);
  });
});
