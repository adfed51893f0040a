// What a person does in the console, turned into what Slack would send keydesk: a slash
// command's form, a block_actions payload (with the message or view it came from, a
// response_url and a trigger_id), a view_submission, view_closed, app_home_opened. The
// answers come back the way Slack reads them: a command's acknowledgement body shows as an
// ephemeral message, a submission's response_action drives the modal stack.
import type { StoredView } from '../slack-emulator.js';
import { blockActions, viewSubmission, type ActionFields } from '../slack-requests.js';
import type { SandboxPerson } from '../people.js';
import { SANDBOX_CHANNELS } from '../people.js';
import type { ConsoleState, Origin } from './console-state.js';
import type { DeliveryAnswer, SlackDelivery } from './delivery.js';

export interface SlashCommand {
  command: string;
  description: string;
  usageHint?: string;
}

export type ConsoleOutcome = { ok: true; errors?: Record<string, string> } | { ok: false; message: string };

export interface Team {
  team_id: string;
  team_domain: string;
  api_app_id: string;
}

export class ConsoleActions {
  constructor(
    private readonly state: ConsoleState,
    private readonly delivery: SlackDelivery,
    private readonly commands: readonly SlashCommand[],
    private readonly team: Team,
  ) {}

  /** `/unlock @sam` typed in a channel or the DM. */
  async command(me: SandboxPerson, channel: string, line: string): Promise<ConsoleOutcome> {
    const m = /^\s*(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(line);
    if (!m) return { ok: false, message: 'Type a slash command, for example /login-help (keydesk only listens to its commands).' };
    const command = (m[1] as string).toLowerCase();
    if (!this.commands.some((c) => c.command === command)) {
      return { ok: false, message: `${command} is not a valid command. keydesk's are ${this.commands.map((c) => c.command).join(', ')}.` };
    }
    const channelName = SANDBOX_CHANNELS.find((c) => c.id === channel)?.name ?? 'directmessage';
    const answer = await this.delivery.command({
      command,
      text: (m[2] ?? '').trim(),
      user_id: me.slackId,
      user_name: me.handle,
      channel_id: channel,
      channel_name: channelName,
      trigger_id: this.state.mintTrigger(me.slackId),
      response_url: this.state.responseUrl({ user: me.slackId, channel, origin: { kind: 'none' } }),
      ...this.team,
    });
    const failed = failure(answer, command);
    if (failed) return failed;
    // An acknowledgement with a body is Slack's quickest reply: an ephemeral message.
    const body = answer.body as { text?: unknown; blocks?: unknown } | null;
    if (body && (typeof body.text === 'string' || Array.isArray(body.blocks))) this.state.addEphemeral(me.slackId, channel, body);
    return { ok: true };
  }

  /** A button, overflow or select in a message, an ephemeral message, a modal or the Home tab. */
  async action(me: SandboxPerson, origin: Origin, action: ActionFields): Promise<ConsoleOutcome> {
    const trigger = this.state.mintTrigger(me.slackId);
    let payload: Record<string, unknown>;
    if (origin.kind === 'message') {
      const message = this.state.emulator.messages(origin.channel).find((x) => x.ts === origin.ts);
      if (!message) return { ok: false, message: 'That message is gone.' };
      payload = blockActions({
        ...this.team, user_id: me.slackId, action, channel: origin.channel, message_ts: origin.ts, trigger_id: trigger,
        message: { type: 'message', ts: message.ts, text: message.text ?? '', ...(message.blocks ? { blocks: message.blocks } : {}), ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
        response_url: this.state.responseUrl({ user: me.slackId, channel: origin.channel, origin }),
      });
    } else if (origin.kind === 'ephemeral') {
      const e = this.state.ephemeral(origin.id);
      if (!e || e.user !== me.slackId) return { ok: false, message: 'That message is gone.' };
      payload = blockActions({
        ...this.team, user_id: me.slackId, action, channel: e.channel, message_ts: e.ts, is_ephemeral: true, trigger_id: trigger,
        response_url: this.state.responseUrl({ user: me.slackId, channel: e.channel, origin }),
      });
    } else {
      const view = origin.kind === 'view' ? this.state.emulator.view(origin.viewId) : undefined;
      if (!view) return { ok: false, message: 'That view is closed.' };
      payload = blockActions({ ...this.team, user_id: me.slackId, action, view: this.viewPayload(view), trigger_id: trigger });
    }
    return failure(await this.delivery.interaction(payload), 'the click') ?? { ok: true };
  }

  async submit(me: SandboxPerson, viewId: string, values: Record<string, Record<string, unknown>>): Promise<ConsoleOutcome> {
    const view = this.state.modal(me.slackId);
    if (!view || view.id !== viewId) return { ok: false, message: 'That modal is no longer open.' };
    const answer = await this.delivery.interaction(
      viewSubmission({ ...this.team, user_id: me.slackId, view: this.viewPayload(view), values, trigger_id: this.state.mintTrigger(me.slackId) }),
    );
    const failed = failure(answer, 'the form');
    if (failed) return failed;
    const { errors } = this.state.applySubmissionAnswer(me.slackId, viewId, answer.body);
    return errors ? { ok: true, errors } : { ok: true };
  }

  async close(me: SandboxPerson, viewId: string): Promise<ConsoleOutcome> {
    const view = this.state.modal(me.slackId);
    if (!view || view.id !== viewId) return { ok: true };
    this.state.closeModal(me.slackId, viewId);
    if (view.view.notify_on_close === true) {
      await this.delivery.interaction({
        type: 'view_closed', team: { id: this.team.team_id, domain: this.team.team_domain }, user: { id: me.slackId, team_id: this.team.team_id },
        api_app_id: this.team.api_app_id, view: this.viewPayload(view), is_cleared: false,
      });
    }
    return { ok: true };
  }

  /** Opening the app's Home or Messages tab: Slack sends app_home_opened each time. */
  async openHome(me: SandboxPerson, tab: 'home' | 'messages'): Promise<ConsoleOutcome> {
    const home = this.state.emulator.homeView(me.slackId);
    const answer = await this.delivery.event({
      type: 'app_home_opened', user: me.slackId, channel: this.state.emulator.dmChannelFor(me.slackId), tab,
      event_ts: `${(Date.now() / 1000).toFixed(6)}`, ...(home && tab === 'home' ? { view: this.viewPayload(home) } : {}),
    });
    return failure(answer, 'app_home_opened') ?? { ok: true };
  }

  /** A view the way Slack puts it in payloads. */
  private viewPayload(s: StoredView): Record<string, unknown> {
    const v = s.view;
    return {
      id: s.id, team_id: this.team.team_id, type: s.type, blocks: v.blocks ?? [], private_metadata: v.private_metadata ?? '',
      callback_id: v.callback_id ?? '', state: { values: {} }, hash: s.hash, title: v.title, close: v.close ?? null, submit: v.submit ?? null,
      clear_on_close: v.clear_on_close ?? false, notify_on_close: v.notify_on_close ?? false, root_view_id: s.id, previous_view_id: null,
      app_id: this.team.api_app_id, external_id: s.external_id ?? '', app_installed_team_id: this.team.team_id,
    };
  }
}

/** Slack's own words when an app fails to answer: the person sees them, not a stack. */
function failure(answer: DeliveryAnswer, what: string): ConsoleOutcome | null {
  if (answer.status >= 200 && answer.status < 300) return null;
  return { ok: false, message: `keydesk did not accept ${what} (HTTP ${answer.status}); Slack would say "dispatch_failed". See the terminal's log.` };
}

