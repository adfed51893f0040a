// The views the emulator keeps: modals opened by trigger id (each trigger works once), their
// updates (by id or external id, with Slack's hash check) and each user's Home tab.
import { randomBytes } from 'node:crypto';
import { checkView } from './block-kit-limits.js';
import type { Args, SlackResponse, StoredView, WorkspaceIds } from './slack-methods.js';
import type { UserDirectory } from './slack-users.js';
import { fail, str } from './web-api-request.js';

export class ViewStore {
  private readonly views = new Map<string, StoredView>();
  private readonly usedTriggers = new Set<string>();
  private viewSeq = 0;

  constructor(
    private readonly ids: WorkspaceIds,
    private readonly users: UserDirectory,
  ) {}

  view(idOrExternalId: string): StoredView | undefined {
    return this.views.get(idOrExternalId) ?? [...this.views.values()].find((v) => v.external_id === idOrExternalId);
  }

  all(): StoredView[] {
    return [...this.views.values()];
  }

  restore(views: StoredView[]): void {
    this.views.clear();
    for (const v of views) this.views.set(v.id, v);
    this.viewSeq = Math.max(this.viewSeq, views.length);
  }

  homeView(userId: string): StoredView | undefined {
    return [...this.views.values()].find((v) => v.type === 'home' && v.user_id === userId);
  }

  private store(view: Args, existing?: StoredView, userId?: string): StoredView {
    const id = existing?.id ?? `V${String(++this.viewSeq).padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
    const externalId = str(view, 'external_id') ?? existing?.external_id;
    const stored: StoredView = {
      id, type: String(view.type), hash: `${Date.now()}.${randomBytes(4).toString('hex')}`, view,
      ...(externalId ? { external_id: externalId } : {}),
      ...(userId ?? existing?.user_id ? { user_id: userId ?? existing?.user_id } : {}),
    };
    this.views.set(id, stored);
    return stored;
  }

  private viewResponse(s: StoredView): SlackResponse {
    const v = s.view;
    return {
      ok: true,
      view: {
        id: s.id, team_id: this.ids.teamId, type: s.type, blocks: v.blocks ?? [],
        private_metadata: v.private_metadata ?? '', callback_id: v.callback_id ?? '',
        state: { values: {} }, hash: s.hash, clear_on_close: v.clear_on_close ?? false,
        notify_on_close: v.notify_on_close ?? false, root_view_id: s.id, previous_view_id: null,
        app_id: this.ids.appId, external_id: s.external_id ?? '', bot_id: this.ids.botId,
        ...(v.title !== undefined ? { title: v.title } : {}),
        ...(v.submit !== undefined ? { submit: v.submit } : {}),
        ...(v.close !== undefined ? { close: v.close } : {}),
      },
    };
  }

  private viewArg(args: Args, expected?: 'modal' | 'home'): { view: Args } | { error: SlackResponse } {
    if (args.view === undefined) return { error: fail('invalid_arguments', 'missing required field: view') };
    const problem = checkView(args.view, expected);
    return problem ? { error: fail('invalid_arguments', problem) } : { view: args.view as Args };
  }

  open(args: Args, method: string): SlackResponse {
    const trigger = str(args, 'trigger_id');
    if (!trigger) return fail('invalid_arguments', 'missing required field: trigger_id');
    const checked = this.viewArg(args, 'modal');
    if ('error' in checked) return checked.error;
    const { view } = checked;
    if (this.usedTriggers.has(trigger)) return fail('exchanged_trigger_id', `${method}: trigger_id already used`);
    const external = str(view, 'external_id');
    if (external && this.view(external)) return fail('duplicate_external_id');
    this.usedTriggers.add(trigger);
    return this.viewResponse(this.store(view));
  }

  update(args: Args): SlackResponse {
    const key = str(args, 'view_id') ?? str(args, 'external_id');
    if (!key) return fail('invalid_arguments', 'view_id or external_id is required');
    const checked = this.viewArg(args);
    if ('error' in checked) return checked.error;
    const { view } = checked;
    const existing = this.view(key);
    if (!existing) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash && hash !== existing.hash) return fail('hash_conflict');
    return this.viewResponse(this.store(view, existing));
  }

  publish(args: Args): SlackResponse {
    const userId = str(args, 'user_id');
    if (!userId) return fail('invalid_arguments', 'missing required field: user_id');
    if (!this.users.get(userId)) return fail('user_not_found');
    const checked = this.viewArg(args, 'home');
    if ('error' in checked) return checked.error;
    const { view } = checked;
    const existing = this.homeView(userId);
    const hash = str(args, 'hash');
    if (hash && existing && hash !== existing.hash) return fail('hash_conflict');
    return this.viewResponse(this.store(view, existing, userId));
  }
}
