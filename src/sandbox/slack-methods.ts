// The Web API methods the emulator answers, over an in-memory workspace: messages per
// channel, DM channels, users (views are in slack-views.ts). Errors are the ones Slack gives.
import { checkAttachments, checkMessageBlocks } from './block-kit-limits.js';
import { UserDirectory, zoneInfo } from './slack-users.js';
import { ViewStore } from './slack-views.js';
import { fail, str } from './web-api-request.js';

export type Args = Record<string, unknown>;
export type SlackResponse = { ok: boolean; error?: string } & Record<string, unknown>;
export type TokenKind = 'bot' | 'app';

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** How many times chat.update changed it. */
  edits: number;
}

export interface StoredView {
  id: string;
  type: string;
  external_id?: string;
  hash: string;
  /** The user whose Home tab this is (views.publish). */
  user_id?: string;
  view: Args;
}

export interface WorkspaceSnapshot {
  messages: StoredMessage[];
  views: StoredView[];
  lastTsMicros: number;
}

export interface WorkspaceIds {
  teamId: string;
  teamDomain: string;
  appId: string;
  botId: string;
  botUserId: string;
  /** Enterprise Grid: the enterprise the workspace belongs to. */
  enterpriseId?: string;
}

export const MESSAGE_TEXT_LIMIT = 40_000;

const CHANNEL_ID = /^[CDG][A-Z0-9]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

export class SlackWorkspace {
  readonly users: UserDirectory;
  private readonly messages = new Map<string, Map<string, StoredMessage>>();
  private readonly views: ViewStore;
  private lastTsMicros = 0;

  constructor(readonly ids: WorkspaceIds) {
    this.users = new UserDirectory(ids.teamId, ids.enterpriseId ?? null);
    this.views = new ViewStore(ids, this.users);
  }

  /** The DM channel id the emulator gives the bot's conversation with a user (stable). */
  dmChannelFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  /** Messages posted to a channel (D… for DMs), oldest first, thread replies included. */
  channelMessages(channel: string): StoredMessage[] {
    return [...(this.messages.get(channel)?.values() ?? [])];
  }

  view(idOrExternalId: string): StoredView | undefined {
    return this.views.view(idOrExternalId);
  }

  homeView(userId: string): StoredView | undefined {
    return this.views.homeView(userId);
  }

  /** Messages and views as plain JSON, so a sandbox keeps its workspace across restarts. */
  snapshot(): WorkspaceSnapshot {
    return {
      messages: [...this.messages.values()].flatMap((perChannel) => [...perChannel.values()]),
      views: this.views.all(),
      lastTsMicros: this.lastTsMicros,
    };
  }

  restore(snapshot: WorkspaceSnapshot): void {
    this.messages.clear();
    for (const m of snapshot.messages) {
      let perChannel = this.messages.get(m.channel);
      if (!perChannel) this.messages.set(m.channel, (perChannel = new Map<string, StoredMessage>()));
      perChannel.set(m.ts, m);
    }
    this.views.restore(snapshot.views);
    this.lastTsMicros = Math.max(this.lastTsMicros, snapshot.lastTsMicros);
  }

  readonly methods: Record<string, { token: TokenKind; run: (args: Args) => SlackResponse }> = {
    'auth.test': { token: 'bot', run: () => this.authTest() },
    'chat.postMessage': { token: 'bot', run: (a) => this.postMessage(a) },
    'chat.postEphemeral': { token: 'bot', run: (a) => this.postEphemeral(a) },
    'chat.update': { token: 'bot', run: (a) => this.update(a) },
    'chat.delete': { token: 'bot', run: (a) => this.delete(a) },
    'chat.getPermalink': { token: 'bot', run: (a) => this.permalink(a) },
    'views.open': { token: 'bot', run: (a) => this.views.open(a, 'views.open') },
    'views.push': { token: 'bot', run: (a) => this.views.open(a, 'views.push') },
    'views.update': { token: 'bot', run: (a) => this.views.update(a) },
    'views.publish': { token: 'bot', run: (a) => this.views.publish(a) },
    'users.info': { token: 'bot', run: (a) => this.usersInfo(a) },
    'users.lookupByEmail': { token: 'bot', run: (a) => this.lookupByEmail(a) },
    'conversations.open': { token: 'bot', run: (a) => this.openConversation(a) },
    'apps.connections.open': { token: 'app', run: () => ({ ok: true }) }, // url added by the server
  };

  private authTest(): SlackResponse {
    const { teamId, teamDomain, botId, botUserId, enterpriseId } = this.ids;
    return {
      ok: true, url: `https://${teamDomain}.slack.com/`, team: 'Keydesk Sandbox', user: 'keydesk',
      team_id: teamId, user_id: botUserId, bot_id: botId, ...(enterpriseId ? { enterprise_id: enterpriseId } : {}), is_enterprise_install: false,
    };
  }

  private nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 100, Date.now() * 1000);
    const s = String(this.lastTsMicros);
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  }

  /** A channel argument → the channel id messages go to, or an error. */
  private resolveChannel(args: Args): string | SlackResponse {
    const channel = str(args, 'channel');
    if (!channel) return fail('channel_not_found');
    if (CHANNEL_ID.test(channel)) return channel;
    if (USER_ID.test(channel)) {
      const user = this.users.get(channel);
      if (!user) return fail('channel_not_found');
      if (user.deleted) return fail('user_disabled');
      return this.dmChannelFor(channel);
    }
    return fail('channel_not_found', `"${channel}" is not a channel id the emulator knows (C…, G…, D…, or a user id)`);
  }

  /** text / blocks / attachments of a message: present, within limits. */
  private checkContent(args: Args): SlackResponse | null {
    const text = typeof args.text === 'string' ? args.text : undefined;
    const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
    const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
    if (!text && !hasBlocks && !hasAttachments) return fail('no_text');
    if (text && text.length > MESSAGE_TEXT_LIMIT) return fail('msg_too_long', `text is ${text.length} characters`);
    if (args.blocks !== undefined) {
      const problem = checkMessageBlocks(args.blocks);
      if (problem) return fail('invalid_blocks', problem);
    }
    if (args.attachments !== undefined) {
      const problem = checkAttachments(args.attachments);
      if (problem) return fail('invalid_attachments', problem);
    }
    return null;
  }

  private messageObject(m: StoredMessage): Args {
    return {
      type: 'message', user: this.ids.botUserId, bot_id: this.ids.botId, app_id: this.ids.appId, team: this.ids.teamId,
      ts: m.ts, text: m.text ?? '',
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.attachments ? { attachments: m.attachments } : {}),
      ...(m.edits > 0 ? { edited: { user: this.ids.botUserId, ts: m.ts } } : {}),
    };
  }

  private postMessage(args: Args): SlackResponse {
    const channel = this.resolveChannel(args);
    if (typeof channel !== 'string') return channel;
    const problem = this.checkContent(args);
    if (problem) return problem;
    const threadTs = str(args, 'thread_ts');
    if (threadTs && !/^\d+\.\d{6}$/.test(threadTs)) return fail('invalid_thread_ts');
    const msg: StoredMessage = {
      channel, ts: this.nextTs(), edits: 0,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(typeof args.text === 'string' ? { text: args.text } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks as unknown[] } : {}),
      ...(Array.isArray(args.attachments) ? { attachments: args.attachments as unknown[] } : {}),
    };
    let perChannel = this.messages.get(channel);
    if (!perChannel) this.messages.set(channel, (perChannel = new Map<string, StoredMessage>()));
    perChannel.set(msg.ts, msg);
    return { ok: true, channel, ts: msg.ts, message: this.messageObject(msg) };
  }

  private postEphemeral(args: Args): SlackResponse {
    const channel = this.resolveChannel(args);
    if (typeof channel !== 'string') return channel;
    const userId = str(args, 'user');
    if (!userId || !this.users.get(userId)) return fail('user_not_found');
    const problem = this.checkContent(args);
    if (problem) return problem;
    return { ok: true, message_ts: this.nextTs() };
  }

  private findMessage(args: Args, tsKey: string): StoredMessage | SlackResponse {
    const channel = str(args, 'channel');
    if (!channel) return fail('channel_not_found');
    const ts = str(args, tsKey);
    if (!ts) return fail('invalid_arguments', `missing required field: ${tsKey}`);
    return this.messages.get(channel)?.get(ts) ?? fail('message_not_found');
  }

  private update(args: Args): SlackResponse {
    const msg = this.findMessage(args, 'ts');
    if ('ok' in msg) return msg;
    const problem = this.checkContent(args);
    if (problem) return problem;
    if (typeof args.text === 'string') msg.text = args.text;
    if (Array.isArray(args.blocks)) msg.blocks = args.blocks as unknown[];
    if (Array.isArray(args.attachments)) msg.attachments = args.attachments as unknown[];
    msg.edits += 1;
    return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text ?? '', message: this.messageObject(msg) };
  }

  private delete(args: Args): SlackResponse {
    const msg = this.findMessage(args, 'ts');
    if ('ok' in msg) return msg;
    this.messages.get(msg.channel)?.delete(msg.ts);
    return { ok: true, channel: msg.channel, ts: msg.ts };
  }

  private permalink(args: Args): SlackResponse {
    const msg = this.findMessage(args, 'message_ts');
    if ('ok' in msg) return msg;
    const p = msg.ts.replace('.', '');
    const thread = msg.thread_ts ? `?thread_ts=${msg.thread_ts}&cid=${msg.channel}` : '';
    return { ok: true, channel: msg.channel, permalink: `https://${this.ids.teamDomain}.slack.com/archives/${msg.channel}/p${p}${thread}` };
  }

  /** The user as users.info answers; Slack includes `locale` only when asked (include_locale). */
  private userObject(id: string, withLocale = false): Args | undefined {
    const found = this.users.get(id);
    if (!found) return undefined;
    const { locale, ...user } = found;
    return { ...user, ...zoneInfo(user.tz), ...(withLocale && locale ? { locale } : {}) };
  }

  private usersInfo(args: Args): SlackResponse {
    const id = str(args, 'user');
    if (!id) return fail('invalid_arguments', 'missing required field: user');
    const asked = args['include_locale'];
    const user = this.userObject(id, asked === true || asked === 'true' || asked === '1' || asked === 1);
    return user ? { ok: true, user } : fail('user_not_found');
  }

  private lookupByEmail(args: Args): SlackResponse {
    const email = str(args, 'email');
    if (!email) return fail('invalid_arguments', 'missing required field: email');
    const found = this.users.byEmail(email);
    return found ? { ok: true, user: this.userObject(found.id) } : fail('users_not_found');
  }

  private openConversation(args: Args): SlackResponse {
    const channel = str(args, 'channel');
    if (channel) return CHANNEL_ID.test(channel) ? { ok: true, channel: { id: channel } } : fail('channel_not_found');
    const ids = (str(args, 'users') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) return fail('users_list_not_supplied');
    if (ids.length > 8) return fail('too_many_users');
    for (const id of ids) {
      const user = this.users.get(id);
      if (!user) return fail('user_not_found');
      if (user.deleted) return fail('user_disabled');
    }
    const first = ids[0] as string;
    const id = ids.length === 1 ? this.dmChannelFor(first) : `G${[...ids].sort().map((u) => u.slice(1, 5)).join('')}`;
    return { ok: true, no_op: false, already_open: false, channel: { id } };
  }
}
