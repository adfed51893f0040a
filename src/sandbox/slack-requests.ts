// What Slack sends an app, built the way Slack builds it: slash commands as form posts,
// interactions as a `payload=` form field holding JSON, events as a JSON envelope, each
// signed with the app's signing secret. The sandbox console sends these; the tests too.
import { randomBytes } from 'node:crypto';
import { signBody } from '../slack/signature.js';

export interface SignedRequest {
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  secret: string;
  nowMs: number;
  /** Seconds since the epoch for the signature (default: from `nowMs`). */
  timestamp?: number;
  retryNum?: number;
  /** Replace the computed signature. */
  signature?: string;
}

/** The team every payload names, unless the caller gives another (the emulator's own). */
export interface TeamFields {
  team_id?: string;
  team_domain?: string;
  api_app_id?: string;
}

const DEFAULT_TEAM = { team_id: 'T0001', team_domain: 'acme', api_app_id: 'A0KEYDESK' };

export function sign(body: string, contentType: string, opts: SignOptions): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(opts.nowMs / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? signBody(opts.secret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body, contentType, headers };
}

export const newTriggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`;

export interface CommandFields extends TeamFields {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  trigger_id?: string;
  response_url?: string;
}

/** A slash command's fields, as Slack posts them (and as Socket Mode carries them). */
export function commandFields(fields: CommandFields): Record<string, string> {
  const team = { ...DEFAULT_TEAM, ...pickTeam(fields) };
  return {
    token: 'deprecated-verification-token',
    team_id: team.team_id,
    team_domain: team.team_domain,
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: fields.channel_name ?? 'general',
    user_id: fields.user_id,
    user_name: fields.user_name ?? fields.user_id.toLowerCase(),
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: team.api_app_id,
    response_url: fields.response_url ?? 'http://127.0.0.1:9/commands/unused',
    trigger_id: fields.trigger_id ?? newTriggerId(),
  };
}

export function commandBody(fields: CommandFields): string {
  return new URLSearchParams(commandFields(fields)).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** What every interaction payload opens with: its type, the team, the user, a trigger. */
function interactionHead(type: string, fields: TeamFields & { user_id: string; trigger_id?: string }): Record<string, unknown> {
  const team = { ...DEFAULT_TEAM, ...pickTeam(fields) };
  return {
    type,
    team: { id: team.team_id, domain: team.team_domain },
    user: { id: fields.user_id, team_id: team.team_id },
    api_app_id: team.api_app_id,
    token: 'deprecated-verification-token',
    trigger_id: fields.trigger_id ?? newTriggerId(),
  };
}

/** One element of a block_actions payload's `actions`. */
export interface ActionFields {
  type: string;
  action_id: string;
  block_id?: string;
  value?: string;
  text?: string;
  selected_option?: { text: string; value: string };
  selected_user?: string;
}

/** A block_actions payload: one click on a message (channel + message_ts) or in a view. */
export function blockActions(fields: TeamFields & {
  user_id: string;
  action: ActionFields;
  channel?: string;
  message_ts?: string;
  /** The message as the user saw it (Slack sends it whole). */
  message?: Record<string, unknown>;
  /** An ephemeral message: Slack names the container so, and sends no message body. */
  is_ephemeral?: boolean;
  view?: Record<string, unknown>;
  trigger_id?: string;
  response_url?: string;
}): Record<string, unknown> {
  const { action } = fields;
  const container = fields.message_ts && !fields.view
    ? { type: 'message', message_ts: fields.message_ts, channel_id: fields.channel, is_ephemeral: fields.is_ephemeral ?? false }
    : { type: 'view', ...(fields.view?.id ? { view_id: fields.view.id } : {}) };
  return {
    ...interactionHead('block_actions', fields),
    container,
    ...(fields.channel ? { channel: { id: fields.channel } } : {}),
    ...(fields.message_ts && !fields.view && !fields.is_ephemeral ? { message: { ts: fields.message_ts, text: '', ...fields.message } } : {}),
    ...(fields.view ? { view: fields.view } : {}),
    ...(fields.response_url ? { response_url: fields.response_url } : {}),
    actions: [
      {
        type: action.type,
        action_id: action.action_id,
        block_id: action.block_id ?? 'b',
        ...(action.type === 'button' ? { value: action.value ?? '', ...(action.text ? { text: { type: 'plain_text', text: action.text, emoji: true } } : {}) } : {}),
        ...(action.selected_option
          ? { selected_option: { text: { type: 'plain_text', text: action.selected_option.text, emoji: true }, value: action.selected_option.value } }
          : {}),
        ...(action.selected_user ? { selected_user: action.selected_user } : {}),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** A block_actions payload for one button click (the tests' shorthand). */
export function buttonClick(fields: {
  user_id: string;
  action_id: string;
  value?: string;
  channel?: string;
  message_ts?: string;
  view?: Record<string, unknown>;
  trigger_id?: string;
}): Record<string, unknown> {
  return blockActions({
    user_id: fields.user_id,
    action: { type: 'button', action_id: fields.action_id, value: fields.value ?? '' },
    ...(fields.channel ? { channel: fields.channel } : {}),
    ...(fields.message_ts ? { message_ts: fields.message_ts } : {}),
    ...(fields.view ? { view: fields.view } : {}),
    ...(fields.trigger_id ? { trigger_id: fields.trigger_id } : {}),
  });
}

/** A view_submission payload: the modal as Slack holds it, with the user's input in `state.values`. */
export function viewSubmission(fields: TeamFields & {
  user_id: string;
  view: Record<string, unknown>;
  values: Record<string, Record<string, unknown>>;
  trigger_id?: string;
}): Record<string, unknown> {
  return {
    ...interactionHead('view_submission', fields),
    view: { ...fields.view, state: { values: fields.values } },
    response_urls: [],
  };
}

export function eventEnvelope(event: Record<string, unknown>, eventId = newEventId(), team: TeamFields = {}): Record<string, unknown> {
  const t = { ...DEFAULT_TEAM, ...pickTeam(team) };
  return {
    token: 'deprecated-verification-token',
    team_id: t.team_id,
    api_app_id: t.api_app_id,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  };
}

export function eventBody(event: Record<string, unknown>, eventId = newEventId(), team: TeamFields = {}): string {
  return JSON.stringify(eventEnvelope(event, eventId, team));
}

export const newEventId = () => `Ev${randomBytes(5).toString('hex').toUpperCase()}`;

function pickTeam(f: TeamFields): TeamFields {
  return {
    ...(f.team_id ? { team_id: f.team_id } : {}),
    ...(f.team_domain ? { team_domain: f.team_domain } : {}),
    ...(f.api_app_id ? { api_app_id: f.api_app_id } : {}),
  };
}

export interface SlackAnswer {
  status: number;
  text: string;
  json: unknown;
}

export async function post(url: string, req: SignedRequest): Promise<SlackAnswer> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // a plain-text answer
  }
  return { status: res.status, text, json };
}
