// The Slack Web API emulator, driven by the real @slack/web-api client and a real Bolt app
// in Socket Mode.
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';

const { WebClient, ErrorCode } = webApi;

let emu: SlackEmulator;
let slack: webApi.WebClient;

/** The client logs response_metadata messages at error level: keep the expected refusals quiet. */
const quiet: webApi.Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  setLevel: () => {}, getLevel: () => webApi.LogLevel.ERROR, setName: () => {},
};

const client = (token: string, extra: webApi.WebClientOptions = {}): webApi.WebClient =>
  new WebClient(token, { slackApiUrl: emu.url, retryConfig: { retries: 0 }, logger: quiet, ...extra });

/** The Slack error code a rejected call carries. */
async function slackError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; data?: { error?: string } };
    if (err.code === ErrorCode.PlatformError) return err.data?.error ?? 'no error field';
    throw e;
  }
  throw new Error('the call succeeded');
}

const section = (text: string, extra: object = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });
const button = (action_id: string, value: string) => ({
  type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id, value }],
});

beforeAll(async () => {
  emu = await startSlackEmulator();
  slack = client(emu.botToken);
  emu.addUser({ id: 'U100ALICE', name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' });
  emu.addUser({ id: 'U200BOB', name: 'bob', email: 'Bob@Example.com', is_admin: true });
  emu.addUser({ id: 'U300GONE', name: 'gone', deleted: true });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => emu.clear());

describe('Slack emulator: Web API methods', () => {
  it('answers auth.test with the bot identity', async () => {
    const r = await slack.auth.test();
    expect(r).toMatchObject({ ok: true, user_id: emu.botUserId, bot_id: emu.botId, team_id: emu.teamId });
    expect(r.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    expect(emu.calls[0]).toMatchObject({ method: 'auth.test', token: 'xoxb-test', ok: true });
  });

  it('posts, updates and makes ephemeral messages, recording parsed args', async () => {
    const blocks = [section('*Ticket #1*'), button('approve', 'ticket:1')];
    const first = await slack.chat.postMessage({ channel: 'C0HELP', text: 'Ticket #1', blocks });
    const second = await slack.chat.postMessage({ channel: 'C0HELP', text: 'reply', thread_ts: first.ts });
    expect(first).toMatchObject({ ok: true, channel: 'C0HELP', message: { text: 'Ticket #1', blocks } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const call = emu.callsTo('chat.postMessage')[0];
    expect(call?.args).toEqual({ channel: 'C0HELP', text: 'Ticket #1', blocks });
    expect(call?.args).not.toHaveProperty('token');

    const updated = await slack.chat.update({ channel: 'C0HELP', ts: first.ts as string, text: 'Approved', blocks: [section('Approved')] });
    expect(updated).toMatchObject({ ok: true, ts: first.ts, text: 'Approved' });
    expect(emu.messages('C0HELP').map((m) => [m.text, m.thread_ts, m.edits])).toEqual([
      ['Approved', undefined, 1],
      ['reply', first.ts, 0],
    ]);
    expect(await slackError(slack.chat.update({ channel: 'C0HELP', ts: '1.000001', text: 'x' }))).toBe('message_not_found');

    const eph = await slack.chat.postEphemeral({ channel: 'C0HELP', user: 'U100ALICE', text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(await slackError(slack.chat.postEphemeral({ channel: 'C0HELP', user: 'U999', text: 'x' }))).toBe('user_not_found');

    const link = await slack.chat.getPermalink({ channel: 'C0HELP', message_ts: first.ts as string });
    expect(link.permalink).toContain(`/archives/C0HELP/p${(first.ts as string).replace('.', '')}`);
  });

  it('opens DMs stably per user and posts to a user id as its DM', async () => {
    const a = await slack.conversations.open({ users: 'U100ALICE' });
    const b = await slack.conversations.open({ users: 'U100ALICE' });
    expect(a.channel?.id).toMatch(/^D/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(emu.dmChannelFor('U100ALICE')).toBe(a.channel?.id);
    const posted = await slack.chat.postMessage({ channel: 'U100ALICE', text: 'hi' });
    expect(posted.channel).toBe(a.channel?.id);
    expect(await slackError(slack.conversations.open({ users: 'U404' }))).toBe('user_not_found');
    expect(await slackError(slack.conversations.open({ users: 'U300GONE' }))).toBe('user_disabled');
  });

  it('answers users.info and users.lookupByEmail from the directory', async () => {
    const { user } = await slack.users.info({ user: 'U100ALICE' });
    expect(user).toMatchObject({ id: 'U100ALICE', name: 'alice', tz: 'Europe/Paris', deleted: false, profile: { email: 'alice@example.com' } });
    expect([3600, 7200]).toContain(user?.tz_offset);
    expect((await slack.users.info({ user: 'U300GONE' })).user?.deleted).toBe(true);
    expect(await slackError(slack.users.info({ user: 'U404' }))).toBe('user_not_found');
    const found = await slack.users.lookupByEmail({ email: 'bob@example.com' });
    expect(found.user).toMatchObject({ id: 'U200BOB', is_admin: true });
    expect(await slackError(slack.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
  });

  it('opens, updates and publishes views; a trigger id works once', async () => {
    const modal = { type: 'modal' as const, callback_id: 'pw', title: { type: 'plain_text' as const, text: 'Password' }, blocks: [section('Pick one')] };
    const opened = await slack.views.open({ trigger_id: 'trig-1', view: modal });
    expect(opened.view?.id).toMatch(/^V/);
    expect(emu.callsTo('views.open')[0]?.args).toEqual({ trigger_id: 'trig-1', view: modal });
    expect(await slackError(slack.views.open({ trigger_id: 'trig-1', view: modal }))).toBe('exchanged_trigger_id');

    const updated = await slack.views.update({ view_id: opened.view?.id as string, view: { ...modal, blocks: [section('Done')] } });
    expect(updated.view?.blocks).toEqual([section('Done')]);
    expect(await slackError(slack.views.update({ view_id: 'V404', view: modal }))).toBe('not_found');

    const home = { type: 'home' as const, blocks: [section('Your account is fine')] };
    await slack.views.publish({ user_id: 'U100ALICE', view: home });
    expect(emu.homeView('U100ALICE')?.view).toEqual(home);
    expect(emu.callsTo('views.publish')[0]?.args).toEqual({ user_id: 'U100ALICE', view: home });
    // A modal with an input needs a submit button.
    const input = { type: 'input', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'r' } };
    expect(await slackError(slack.views.open({ trigger_id: 'trig-2', view: { ...modal, blocks: [input] } as never }))).toBe('invalid_arguments');
  });
});

describe('Slack emulator: errors as Slack gives them', () => {
  it('checks the token', async () => {
    expect(await slackError(client('xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await slackError(client(emu.appToken).chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('not_allowed_token_type');
    const res = await fetch(`${emu.url}auth.test`, { method: 'POST' });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(emu.calls.map((c) => [c.method, c.error])).toContainEqual(['auth.test', 'invalid_auth']);
  });

  it('checks required arguments and unknown methods', async () => {
    expect(await slackError(slack.chat.postMessage({ text: 'x' } as never))).toBe('channel_not_found');
    expect(await slackError(slack.chat.postMessage({ channel: 'C1' } as never))).toBe('no_text');
    expect(await slackError(slack.views.open({ view: { type: 'modal' } } as never))).toBe('invalid_arguments');
    expect(await slackError(slack.apiCall('chat.frobnicate', {}))).toBe('unknown_method');
  });

  it('enforces Block Kit and message limits', async () => {
    const post = (extra: object) => slackError(slack.chat.postMessage({ channel: 'C1', text: 'x', ...extra }));
    expect(await post({ blocks: Array.from({ length: 51 }, (_, i) => section(`row ${i}`)) })).toBe('invalid_blocks');
    expect(await post({ blocks: [section('x'.repeat(3001))] })).toBe('invalid_blocks');
    expect(await post({ blocks: [button('a'.repeat(256), 'v')] })).toBe('invalid_blocks');
    expect(await post({ blocks: [button('ok', 'v'.repeat(2001))] })).toBe('invalid_blocks');
    expect(await post({ blocks: [section('')] })).toBe('invalid_blocks');
    expect(await post({ text: 'x'.repeat(40_001) })).toBe('msg_too_long');
    await expect(slack.chat.postMessage({ channel: 'C1', text: 'x', blocks: Array.from({ length: 50 }, (_, i) => section('x'.repeat(3000), { block_id: `b${i}` })) })).resolves.toMatchObject({ ok: true });
    const bad = emu.callsTo('chat.postMessage').find((c) => c.error === 'invalid_blocks');
    expect(bad?.response.response_metadata).toEqual({ messages: ['[ERROR] must provide no more than 50 items [json-pointer:/blocks]'] });
  });

  it('fails the next call on request, ratelimited as HTTP 429 with Retry-After', async () => {
    emu.failNext('chat.postMessage', 'ratelimited', { retryAfter: 1 });
    const raw = await fetch(`${emu.url}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.botToken}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: 'hello' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });

    emu.failNext('chat.postMessage', 'ratelimited', { retryAfter: 7 });
    const limited = client(emu.botToken, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'x' });
    await expect(limited).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    emu.failNext('users.info', 'fatal_error');
    expect(await slackError(slack.users.info({ user: 'U100ALICE' }))).toBe('fatal_error');
    await expect(slack.users.info({ user: 'U100ALICE' })).resolves.toMatchObject({ ok: true });
  });

  it('accepts JSON bodies with blocks as objects or strings', async () => {
    const res = await fetch(`${emu.url}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.botToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'C1', blocks: [section('json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(emu.callsTo('chat.postMessage')[0]?.args.blocks).toEqual([section('json')]);
  });

  it('waits for a call, and says what it saw on timeout', async () => {
    const waiting = emu.waitForCall('chat.postMessage', (c) => c.args.channel === 'C2');
    await slack.chat.postMessage({ channel: 'C1', text: 'not this one' });
    await slack.chat.postMessage({ channel: 'C2', text: 'this one' });
    expect((await waiting).args.text).toBe('this one');
    await expect(emu.waitForCall('chat.update', undefined, 50)).rejects.toThrow(/chat\.update.*timed out.*\n.*chat\.postMessage\(ok\)/s);
  });
});

describe('Slack emulator: Socket Mode', () => {
  it('serves a Bolt app over Socket Mode: hello, envelopes, acks', async () => {
    const app = new App({
      token: emu.botToken, appToken: emu.appToken, socketMode: true,
      botId: emu.botId, botUserId: emu.botUserId, tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emu.url, retryConfig: { retries: 0 } },
    });
    app.command('/login-help', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `hello ${command.user_id}` });
    });
    app.event('app_home_opened', async ({ event, client: web }) => {
      await web.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('home')] } });
    });
    await app.start();
    try {
      await emu.socketConnected();
      expect(emu.callsTo('apps.connections.open')[0]).toMatchObject({ ok: true, token: emu.appToken, response: { url: emu.socketUrl } });

      const ack = await emu.sendSocketEnvelope('slash_commands', {
        command: '/login-help', text: '', user_id: 'U100ALICE', user_name: 'alice', channel_id: 'D100ALICE',
        team_id: emu.teamId, api_app_id: emu.appId, trigger_id: 'trig-sm', response_url: 'https://example.invalid/r',
      });
      expect(ack).toMatchObject({ payload: { response_type: 'ephemeral', text: 'hello U100ALICE' } });
      expect(ack.envelope_id).toMatch(/[0-9a-f-]{36}/);

      await emu.sendSocketEnvelope('events_api', { type: 'app_home_opened', user: 'U100ALICE', channel: 'D100ALICE', tab: 'home' });
      const publish = await emu.waitForCall('views.publish');
      expect(publish.args).toMatchObject({ user_id: 'U100ALICE', view: { type: 'home', blocks: [section('home')] } });
    } finally {
      await app.stop();
    }
  });

  it('refuses apps.connections.open with the bot token', async () => {
    expect(await slackError(slack.apiCall('apps.connections.open'))).toBe('not_allowed_token_type');
    expect(await client(emu.appToken).apps.connections.open({})).toMatchObject({ ok: true, url: emu.socketUrl });
  });
});
