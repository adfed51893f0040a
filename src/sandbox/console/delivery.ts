// How the console's clicks reach keydesk: exactly as Slack delivers them, either signed
// HTTP posts to /slack/events or Socket Mode envelopes through the emulator's socket.
// The console never calls keydesk's core; it only sees what the app answers.
import type { SlackEmulator } from '../slack-emulator.js';
import { commandBody, eventBody, eventEnvelope, interactionBody, post, sign, type CommandFields } from '../slack-requests.js';

export interface DeliveryAnswer {
  /** HTTP status (Socket Mode: 200 once acked). */
  status: number;
  /** The acknowledgement's body, parsed: a view_submission's response_action travels here. */
  body: unknown;
}

export interface SlackDelivery {
  readonly mode: 'http' | 'socket';
  command(fields: CommandFields): Promise<DeliveryAnswer>;
  interaction(payload: Record<string, unknown>): Promise<DeliveryAnswer>;
  event(event: Record<string, unknown>): Promise<DeliveryAnswer>;
}

export function httpDelivery(opts: { eventsUrl: string; signingSecret: string; team: { team_id: string; team_domain: string; api_app_id: string } }): SlackDelivery {
  const send = async (body: string, contentType: string): Promise<DeliveryAnswer> => {
    const answer = await post(opts.eventsUrl, sign(body, contentType, { secret: opts.signingSecret, nowMs: Date.now() }));
    return { status: answer.status, body: answer.json };
  };
  return {
    mode: 'http',
    command: (fields) => send(commandBody({ ...opts.team, ...fields }), 'application/x-www-form-urlencoded'),
    interaction: (payload) => send(interactionBody(payload), 'application/x-www-form-urlencoded'),
    event: (event) => send(eventBody(event, undefined, opts.team), 'application/json'),
  };
}

export function socketDelivery(emulator: SlackEmulator, team: { team_id: string; team_domain: string; api_app_id: string }): SlackDelivery {
  const send = async (type: 'slash_commands' | 'interactive' | 'events_api', payload: object): Promise<DeliveryAnswer> => {
    await emulator.socketConnected();
    const ack = await emulator.sendSocketEnvelope(type, payload, { timeoutMs: 10_000 });
    return { status: 200, body: ack.payload ?? null };
  };
  return {
    mode: 'socket',
    command: (fields) => send('slash_commands', Object.fromEntries(new URLSearchParams(commandBody({ ...team, ...fields })))),
    interaction: (payload) => send('interactive', payload),
    event: (event) => send('events_api', eventEnvelope(event, undefined, team)),
  };
}
