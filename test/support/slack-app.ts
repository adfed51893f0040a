// The whole app with Slack on, against the Slack emulator: tests send signed requests
// the way Slack does and assert on what the app sent Slack.
import type { Logger } from '../../src/logger.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { startTestApp, type TestApp } from './app.js';
import {
  SIGNING_SECRET,
  buttonClick,
  commandBody,
  eventBody,
  interactionBody,
  newTriggerId,
  post,
  sign,
  type SendOptions,
} from './slack-requests.js';

export const HELPDESK = 'C0HELPDESK';

export interface SlackTestApp extends TestApp {
  slack: SlackEmulator;
  events: string;
  command(userId: string, command: string, text?: string, opts?: Partial<SendOptions> & { triggerId?: string }): ReturnType<typeof post>;
  click(input: Parameters<typeof buttonClick>[0], opts?: Partial<SendOptions>): ReturnType<typeof post>;
  interaction(payload: Record<string, unknown>, opts?: Partial<SendOptions>): ReturnType<typeof post>;
  event(event: Record<string, unknown>, opts?: Partial<SendOptions> & { eventId?: string }): ReturnType<typeof post>;
}

let responses = 0;

export async function startSlackTestApp(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<SlackTestApp> {
  const slack = await startSlackEmulator();
  const t = await startTestApp(
    kind,
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.url,
      HELPDESK_CHANNEL: HELPDESK,
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    },
    { slackProcessBeforeResponse: true, logger: options.logger },
  );
  const events = `${t.app.url}/slack/events`;
  const opts = (o: Partial<SendOptions> = {}): SendOptions => ({ nowMs: t.clock.now(), ...o });
  return {
    ...t,
    slack,
    events,
    command(userId, command, text = '', o = {}) {
      const body = commandBody({ command, text, user_id: userId, trigger_id: o.triggerId ?? newTriggerId(), response_url: slack.responseUrl(`r${++responses}`) });
      return post(events, sign(body, 'application/x-www-form-urlencoded', opts(o)));
    },
    click(input, o = {}) {
      return post(events, sign(interactionBody({ ...buttonClick(input), response_url: slack.responseUrl(`r${++responses}`) }), 'application/x-www-form-urlencoded', opts(o)));
    },
    interaction(payload, o = {}) {
      return post(events, sign(interactionBody(payload), 'application/x-www-form-urlencoded', opts(o)));
    },
    event(event, o = {}) {
      return post(events, sign(eventBody(event, o.eventId), 'application/json', opts(o)));
    },
    async stop() {
      await t.stop();
      await slack.close();
    },
  };
}
