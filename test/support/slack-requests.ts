// Signed requests the way Slack sends them: slash commands as form posts, interactions
// as a `payload=` form field holding JSON, events as JSON.
import { randomBytes } from 'node:crypto';
import { signBody } from '../../src/slack/signature.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SignedRequest {
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

export interface SendOptions {
  /** Seconds since the epoch for the signature (default: `nowMs`). */
  timestamp?: number;
  nowMs: number;
  retryNum?: number;
  /** Replace the computed signature. */
  signature?: string;
  secret?: string;
}

export function sign(body: string, contentType: string, opts: SendOptions): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(opts.nowMs / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? signBody(opts.secret ?? SIGNING_SECRET, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body, contentType, headers };
}

export const newTriggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`;

export function commandBody(fields: { command: string; text?: string; user_id: string; channel_id?: string; trigger_id?: string; response_url?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: 'A0KEYDESK',
    response_url: fields.response_url ?? 'http://127.0.0.1:9/commands/unused',
    trigger_id: fields.trigger_id ?? newTriggerId(),
  }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload for one button click. */
export function buttonClick(fields: {
  user_id: string;
  action_id: string;
  value?: string;
  channel?: string;
  message_ts?: string;
  view?: Record<string, unknown>;
  trigger_id?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: fields.user_id, team_id: 'T0001' },
    api_app_id: 'A0KEYDESK',
    token: 'deprecated-verification-token',
    trigger_id: fields.trigger_id ?? newTriggerId(),
    container: fields.message_ts ? { type: 'message', message_ts: fields.message_ts, channel_id: fields.channel } : { type: 'view' },
    ...(fields.channel ? { channel: { id: fields.channel } } : {}),
    ...(fields.message_ts ? { message: { ts: fields.message_ts, text: '' } } : {}),
    ...(fields.view ? { view: fields.view } : {}),
    actions: [
      {
        type: 'button',
        action_id: fields.action_id,
        block_id: 'b',
        value: fields.value ?? '',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export function eventBody(event: Record<string, unknown>, eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0KEYDESK',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}

export async function post(url: string, req: SignedRequest): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // plain text answer
  }
  return { status: res.status, text, json };
}
