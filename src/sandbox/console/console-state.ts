// What the console's people see beyond the emulator's Web API state: ephemeral messages
// (shown to one user only), what a response_url post does (a new ephemeral, a message in
// the channel, or the original replaced or deleted), each person's stack of open modals
// (views.open by a trigger the console minted for them, views.push, response_action), and a
// version number that moves on every change so the browser knows when to redraw.
// Everything follows the calls the app made (emulator.onCall); the workspace persists to
// one JSON file so a restart keeps the channels the store's tickets point at.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Args, RecordedCall, SlackEmulator, StoredView, WorkspaceSnapshot } from '../slack-emulator.js';
import { newTriggerId } from '../slack-requests.js';

export interface Ephemeral {
  id: string;
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

/** What a click came from, so a response_url post knows what "original" means. */
export type Origin = { kind: 'message'; channel: string; ts: string } | { kind: 'ephemeral'; id: string } | { kind: 'view'; viewId: string } | { kind: 'none' };

interface ResponseContext {
  user: string;
  channel: string;
  origin: Origin;
}

interface SavedState {
  workspace: WorkspaceSnapshot;
  ephemerals: Ephemeral[];
  modals: Array<[string, string[]]>;
}

const USER_ID = /^[UW][A-Z0-9]+$/;

export class ConsoleState {
  private ephemeralList: Ephemeral[] = [];
  private readonly triggers = new Map<string, string>();
  private readonly responses = new Map<string, ResponseContext>();
  private readonly modals = new Map<string, string[]>();
  private versionNumber = 0;
  private waiters: Array<() => void> = [];
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    readonly emulator: SlackEmulator,
    private readonly file: string | null,
  ) {
    if (file) this.load(file);
    this.unsubscribe = emulator.onCall((call) => this.follow(call));
  }

  get version(): number {
    return this.versionNumber;
  }

  /** Resolves when the version moves past `seen`, or after `timeoutMs` (a long poll). */
  waitForChange(seen: number, timeoutMs: number): Promise<void> {
    if (this.versionNumber !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      function done() {
        resolve();
      }
      this.waiters.push(waiter);
    });
  }

  /** A trigger_id for one user's action: a views.open carrying it opens their modal. */
  mintTrigger(user: string): string {
    const id = newTriggerId();
    this.triggers.set(id, user);
    return id;
  }

  /** A response_url for one command or click. */
  responseUrl(context: ResponseContext): string {
    const id = `s${randomBytes(8).toString('hex')}`;
    this.responses.set(id, context);
    return this.emulator.responseUrl(id);
  }

  ephemerals(user: string, channel: string): Ephemeral[] {
    return this.ephemeralList.filter((e) => e.user === user && e.channel === channel);
  }

  ephemeral(id: string): Ephemeral | undefined {
    return this.ephemeralList.find((e) => e.id === id);
  }

  /** A message only `user` sees in `channel` (a command's acknowledgement with a body). */
  addEphemeral(user: string, channel: string, body: { text?: unknown; blocks?: unknown }): void {
    this.ephemeralList.push({ id: `E${randomBytes(6).toString('hex')}`, channel, user, ts: nowTs(), ...content(body) });
    this.changed();
  }

  /** The modal on top of a user's stack, as the emulator holds it. */
  modal(user: string): StoredView | undefined {
    const stack = this.modals.get(user) ?? [];
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const view = this.emulator.view(stack[i] as string);
      if (view) return view;
    }
    return undefined;
  }

  modalDepth(user: string): number {
    return this.modals.get(user)?.length ?? 0;
  }

  /** The user closed their top modal (×, Cancel) or submitted it with an empty answer. */
  closeModal(user: string, viewId: string): void {
    const stack = this.modals.get(user) ?? [];
    if (stack[stack.length - 1] !== viewId) return;
    stack.pop();
    this.changed();
  }

  /**
   * What a view_submission's acknowledgement asks for: `errors` stay on the modal,
   * `update` replaces it, `push` stacks one more, `clear` closes them all, nothing closes it.
   */
  applySubmissionAnswer(user: string, viewId: string, body: unknown): { errors?: Record<string, string> } {
    const answer = (body && typeof body === 'object' ? body : {}) as Args;
    const stack = this.modals.get(user) ?? [];
    switch (answer.response_action) {
      case 'errors':
        return { errors: (answer.errors ?? {}) as Record<string, string> };
      case 'update': {
        this.emulator.run('views.update', { view_id: viewId, view: answer.view });
        break;
      }
      case 'push': {
        const opened = this.emulator.run('views.open', { trigger_id: newTriggerId(), view: answer.view });
        const id = (opened.view as { id?: string } | undefined)?.id;
        if (opened.ok && id) this.modals.set(user, [...stack, id]);
        break;
      }
      case 'clear':
        this.modals.set(user, []);
        break;
      default:
        this.modals.set(user, stack.filter((id) => id !== viewId));
    }
    this.changed();
    return {};
  }

  /** Something the console itself changed (a person switched, a message deleted…). */
  changed(): void {
    this.versionNumber += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.scheduleSave();
  }

  private follow(call: RecordedCall): void {
    if (call.ok) this.apply(call);
    this.changed();
  }

  private apply(call: RecordedCall): void {
    const { args, response } = call;
    switch (call.method) {
      case 'chat.postEphemeral': {
        const channel = String(args.channel);
        this.ephemeralList.push({
          id: `E${randomBytes(6).toString('hex')}`,
          channel: USER_ID.test(channel) ? this.emulator.dmChannelFor(channel) : channel,
          user: String(args.user),
          ts: String(response.message_ts),
          ...content(args),
        });
        return;
      }
      case 'views.open':
      case 'views.push': {
        const user = this.triggers.get(String(args.trigger_id));
        const id = (response.view as { id?: string } | undefined)?.id;
        if (!user || !id) return;
        this.modals.set(user, call.method === 'views.open' ? [id] : [...(this.modals.get(user) ?? []), id]);
        return;
      }
      case 'response_url':
        this.respond(String(args.response_id), args);
        return;
      default:
    }
  }

  /** Slack's response_url rules: replace or delete the original, or post anew (ephemeral unless in_channel). */
  private respond(responseId: string, args: Args): void {
    const ctx = this.responses.get(responseId);
    if (!ctx) return;
    const { origin } = ctx;
    const replace = args.replace_original === true || args.replace_original === 'true';
    const remove = args.delete_original === true || args.delete_original === 'true';
    if ((replace || remove) && origin.kind === 'ephemeral') {
      const e = this.ephemeral(origin.id);
      if (!e) return;
      if (remove) this.ephemeralList = this.ephemeralList.filter((x) => x !== e);
      else Object.assign(e, { text: undefined, blocks: undefined }, content(args));
      return;
    }
    if ((replace || remove) && origin.kind === 'message') {
      if (remove) this.emulator.run('chat.delete', { channel: origin.channel, ts: origin.ts });
      else this.emulator.run('chat.update', { channel: origin.channel, ts: origin.ts, ...content(args) });
      return;
    }
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (args.response_type === 'in_channel') {
      this.emulator.run('chat.postMessage', { channel: ctx.channel, ...content(args), ...(threadTs ? { thread_ts: threadTs } : {}) });
      return;
    }
    this.ephemeralList.push({
      id: `E${randomBytes(6).toString('hex')}`,
      channel: ctx.channel,
      user: ctx.user,
      ts: nowTs(),
      ...content(args),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  private load(file: string): void {
    let saved: SavedState;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
    } catch {
      return; // no workspace yet (or a damaged one): start empty
    }
    this.emulator.restore(saved.workspace);
    this.ephemeralList = saved.ephemerals ?? [];
    for (const [user, stack] of saved.modals ?? []) this.modals.set(user, stack);
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saving = this.saving.then(() => this.save()).catch(() => undefined);
    }, 200);
  }

  private async save(): Promise<void> {
    if (!this.file) return;
    const state: SavedState = { workspace: this.emulator.snapshot(), ephemerals: this.ephemeralList, modals: [...this.modals] };
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, this.file);
  }

  /** Stops following the emulator and writes the workspace one last time. */
  async close(): Promise<void> {
    this.unsubscribe();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    for (const w of this.waiters) w();
    this.waiters = [];
    await this.saving;
    await this.save();
  }
}

function content(args: Args): { text?: string; blocks?: unknown[] } {
  return {
    ...(typeof args.text === 'string' ? { text: args.text } : {}),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks as unknown[] } : {}),
  };
}

function nowTs(): string {
  const micros = String(Date.now() * 1000);
  return `${micros.slice(0, -6)}.${micros.slice(-6)}`;
}
