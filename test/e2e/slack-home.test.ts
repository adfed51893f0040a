// The Home tab end to end: app_home_opened publishes the viewer's status and buttons; agents
// and admins also see open tickets and locked accounts with counts; its buttons work there.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, sentAnywhere, textOf, waitForText } from '../support/slack-find.js';
import { buttonClick } from '../support/slack-requests.js';

describe('Home tab', () => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  let locked: SeededAccount;
  const [ALICE, ADMIN] = ['U100ALICE', 'U200ADMIN'];

  beforeAll(async () => {
    t = await startSlackTestApp();
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' });
    t.slack.addUser({ id: ADMIN, name: 'dana', email: 'dana@example.com' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com', displayName: 'Alice Martin' });
    await seedActiveAccount(t.deps, { email: 'dana@example.com', displayName: 'Dana Admin', role: 'admin' });
    locked = await seedActiveAccount(t.deps, { email: 'lou@example.com', displayName: 'Lou Locked' });
    await t.deps.db.updateTable('accounts').set({ locked_until: t.clock.now() + 3_600_000, failed_count: 5 }).where('id', '=', locked.id).execute();
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const openHome = async (user: string, tab = 'home') => t.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab, event_ts: `${Date.now() / 1000}` });
  const published = async (user: string) => (await t.slack.waitForCall('views.publish', (c) => c.args.user_id === user)).args.view as { type: string };
  // A click on the Home tab carries the view and no response_url.
  const homeClick = (user: string, actionId: string) =>
    t.interaction(buttonClick({ user_id: user, action_id: actionId, value: 'home', view: { id: 'VHOME', type: 'home', callback_id: '' } }));

  it('shows a user their status and the self-service buttons, without the helpdesk lists', async () => {
    expect((await openHome(ALICE)).status).toBe(200);
    const view = await published(ALICE);
    expect(view.type).toBe('home');
    expect(textOf(view)).toMatch(/Hello\* ?\*?Alice Martin|Hello \*Alice Martin\*/);
    expect(textOf(view)).toMatch(/active and not locked/);
    for (const id of [ACTIONS.passwordChange, ACTIONS.passwordForgot, ACTIONS.requestMfaReset, ACTIONS.requestAccessKey, ACTIONS.loginHelp, ACTIONS.homeRefresh]) {
      expect(actionIdsOf(view)).toContain(id);
    }
    expect(sentAnywhere(view, /Open tickets|Locked accounts/)).toBe(false);
  });

  it('shows an admin the open tickets and the locked accounts, with counts', async () => {
    await homeClick(ALICE, ACTIONS.requestMfaReset); // one open ticket
    await waitForText(t.slack, 'views.open', /is with the helpdesk/);
    await openHome(ADMIN);
    const view = await published(ADMIN);
    expect(textOf(view)).toMatch(/Open tickets \(1\)/);
    expect(textOf(view)).toMatch(/MFA reset request/);
    expect(textOf(view)).toMatch(/Locked accounts \(1\)/);
    expect(textOf(view)).toMatch(/Lou Locked/);
    expect(actionIdsOf(view)).toContain(ACTIONS.unlockRow);
  });

  it('says so to a Slack user with no account, and files no ticket', async () => {
    t.slack.addUser({ id: 'U300CAROL', name: 'carol', email: 'carol@elsewhere.com' });
    await openHome('U300CAROL');
    expect(textOf(await published('U300CAROL'))).toMatch(/No keydesk account is linked/);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('kind', '=', 'no_account').execute()).toEqual([]);
  });

  it('publishes nothing for the Messages tab', async () => {
    await openHome(ALICE, 'messages');
    await openHome(ALICE);
    await published(ALICE);
    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('Refresh publishes again; a lock shows with Request unlock', async () => {
    await t.deps.db.updateTable('accounts').set({ locked_until: t.clock.now() + 600_000 }).where('id', '=', alice.id).execute();
    await homeClick(ALICE, ACTIONS.homeRefresh);
    const view = await published(ALICE);
    expect(textOf(view)).toMatch(/Your account is locked until/);
    expect(actionIdsOf(view)).toContain(ACTIONS.requestUnlock);
    await t.deps.db.updateTable('accounts').set({ locked_until: null }).where('id', '=', alice.id).execute();
  });

  it('its password and login-help buttons answer in a modal', async () => {
    await homeClick(ALICE, ACTIONS.passwordChange);
    await waitForText(t.slack, 'chat.postMessage', /change-password/, (c) => c.response.channel === t.slack.dmChannelFor(ALICE));
    await waitForText(t.slack, 'views.open', /direct message/);
    await homeClick(ALICE, ACTIONS.loginHelp);
    await waitForText(t.slack, 'views.open', /looks fine/);
  });
});
