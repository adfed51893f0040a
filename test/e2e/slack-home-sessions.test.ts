// The Home tab's sign-in sessions end to end: two API logins show "2 active sessions" with
// "Sign out everywhere" (behind a confirm dialog); the click ends them (GET /api/v1/session
// answers 401), audited as the viewer, and the tab is published again without the line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';
import { postJson, seedActiveAccount, type SeededAccount } from '../support/app.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, textOf } from '../support/slack-find.js';
import { buttonClick } from '../support/slack-requests.js';
import { STORE_KINDS } from '../support/stores.js';

interface Block {
  block_id?: string;
  accessory?: { action_id?: string; style?: string; confirm?: { title: { text: string }; confirm: { text: string }; deny: { text: string } } };
}

describe.each(STORE_KINDS)('Home tab sessions on %s', (kind) => {
  let t: SlackTestApp;
  let sam: SeededAccount;
  let zoe: SeededAccount;
  const [SAM, ZOE] = ['U100SAM', 'U200ZOE'];

  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    t.slack.addUser({ id: SAM, name: 'sam', email: 'sam@example.com' });
    t.slack.addUser({ id: ZOE, name: 'zoe', email: 'zoe@example.com' });
    sam = await seedActiveAccount(t.deps, { email: 'sam@example.com', displayName: 'Sam Session' });
    zoe = await seedActiveAccount(t.deps, { email: 'zoe@example.com', displayName: 'Zoé Dupont', locale: 'fr' });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const openHome = async (user: string) => t.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` });
  const published = async (user: string) =>
    (await t.slack.waitForCall('views.publish', (c) => c.args.user_id === user)).args.view as { type: string; blocks: Block[] };
  const homeClick = (user: string, actionId: string) =>
    t.interaction(buttonClick({ user_id: user, action_id: actionId, value: 'home', view: { id: 'VHOME', type: 'home', callback_id: '' } }));
  const signIn = async (user: SeededAccount) => {
    const res = await postJson(`${t.app.url}/api/v1/login`, { login: user.email, password: user.password });
    expect(res.status).toBe(200);
    return String(res.body.session_token);
  };
  const sessionStatus = async (token: string) => (await fetch(`${t.app.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('shows no session line before any sign-in', async () => {
    await openHome(SAM);
    const view = await published(SAM);
    expect(textOf(view)).not.toMatch(/active session/);
    expect(actionIdsOf(view)).not.toContain(ACTIONS.homeSignOutEverywhere);
  });

  it('shows "2 active sessions"; Sign out everywhere ends them and publishes the tab again without the line', async () => {
    const tokens = [await signIn(sam), await signIn(sam)];
    const zoeToken = await signIn(zoe);
    await openHome(SAM);
    const view = await published(SAM);
    expect(textOf(view)).toMatch(/2 active sessions/);
    const row = view.blocks.find((b) => b.block_id === BLOCKS.homeSessions);
    expect(row?.accessory).toMatchObject({ action_id: ACTIONS.homeSignOutEverywhere, style: 'danger' });
    expect(row?.accessory?.confirm).toMatchObject({ title: { text: 'Sign out everywhere?' }, confirm: { text: 'Sign out' }, deny: { text: 'Cancel' } });

    t.slack.clear();
    expect((await homeClick(SAM, ACTIONS.homeSignOutEverywhere)).status).toBe(200);
    const after = await published(SAM);
    expect(textOf(after)).not.toMatch(/active session/);
    expect(actionIdsOf(after)).not.toContain(ACTIONS.homeSignOutEverywhere);
    for (const token of tokens) expect(await sessionStatus(token)).toBe(401);
    expect(await sessionStatus(zoeToken)).toBe(200); // someone else's session is untouched

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('target_account_id', '=', sam.id)
      .where('action', 'in', ['sign_out_everywhere', 'sessions_ended'])
      .execute();
    expect(audit.map((a) => [a.actor, a.action, JSON.parse(a.detail) as unknown]).sort()).toEqual([
      [sam.id, 'sessions_ended', { count: 2, reason: 'sign_out_everywhere' }],
      [sam.id, 'sign_out_everywhere', { count: 2 }],
    ]);
  });

  it('says it in French, singular, with the confirm dialog in French', async () => {
    await openHome(ZOE);
    const view = await published(ZOE);
    expect(textOf(view)).toMatch(/1 session active/);
    const row = view.blocks.find((b) => b.block_id === BLOCKS.homeSessions);
    expect(row?.accessory?.confirm).toMatchObject({ title: { text: 'Déconnecter partout ?' }, deny: { text: 'Annuler' } });
    await signIn(zoe);
    await openHome(ZOE);
    await t.slack.waitForCall('views.publish', (c) => c.args.user_id === ZOE && /2 sessions actives/.test(textOf(c.args.view)));
  });
});
