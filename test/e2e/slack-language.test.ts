// Language per person, end to end through signed Slack requests: an account follows its
// Slack user's locale (users.info with include_locale, fr-* → fr) from the link on, until
// someone chooses one (Home tab English / Français, a page's switch, the CLI); someone
// without an account is answered in their Slack locale; the helpdesk channel's cards are
// in HELPDESK_LOCALE.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { setLocale } from '../../src/core/locale.js';
import { findAccountById } from '../../src/store/accounts.js';
import { seedActiveAccount } from '../support/app.js';
import { auditOf, forgetAudit } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { ACTIONS } from '../../handlers/ids.js';
import { buttonClick } from '../support/slack-requests.js';
import { findButton, textOf } from '../support/slack-find.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('language per person in Slack on %s', (kind) => {
  let t: SlackTestApp;
  let n = 0;
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await forgetAudit(t);
  });

  /** An unlinked active account and its Slack user, whose Slack locale is `locale`. */
  async function someone(locale: string | undefined, opts: { linked?: boolean } = {}) {
    n += 1;
    const slackId = `U5${String(n).padStart(2, '0')}LANG`;
    const email = `lang${n}@example.com`;
    t.slack.addUser({ id: slackId, name: `lang${n}`, email, ...(locale ? { locale } : {}) });
    const account = await seedActiveAccount(t.deps, { email, displayName: `Lang ${n}`, ...(opts.linked ? { slackUserId: slackId } : {}) });
    return { slackId, email, id: account.id };
  }
  const row = async (id: string) => (await findAccountById(t.deps.db, id))!;
  const answer = async () => textOf(await t.slack.waitForCall('response_url'));

  it('asks users.info with include_locale', async () => {
    const p = await someone('en-US');
    await t.command(p.slackId, '/login-help');
    await answer();
    expect(t.slack.callsTo('users.info').map((c) => String(c.args.include_locale))).toContain('true');
  });

  it('a fr-FR Slack user linked by email gets French replies; the account follows Slack (not chosen), audited', async () => {
    const p = await someone('fr-FR');
    await t.command(p.slackId, '/login-help');
    expect(await answer()).toMatch(/Votre compte semble en ordre/);
    expect(await row(p.id)).toMatchObject({ slack_user_id: p.slackId, locale: 'fr', locale_chosen: 0 });
    expect(await auditOf(t, 'set_locale')).toEqual([
      expect.objectContaining({ actor: `slack:${p.slackId}`, target_account_id: p.id, detail: JSON.stringify({ from: 'en', locale: 'fr', chosen: false }) }),
    ]);
  });

  it('an account an admin linked (CLI) follows the Slack locale the first time it is seen', async () => {
    const p = await someone('fr-CA', { linked: true });
    await t.command(p.slackId, '/login-help');
    expect(await answer()).toMatch(/Votre compte semble en ordre/);
    expect((await row(p.id)).locale).toBe('fr');
  });

  it('someone who chose English keeps English with a fr-FR Slack locale', async () => {
    const p = await someone('fr-FR');
    expect(await setLocale(t.deps, CLI_ACTOR, p.id, 'en', { chosen: true })).toMatchObject({ ok: true });
    await forgetAudit(t);
    await t.command(p.slackId, '/login-help');
    expect(await answer()).toMatch(/Your account looks fine/);
    expect(await row(p.id)).toMatchObject({ slack_user_id: p.slackId, locale: 'en', locale_chosen: 1 });
    expect(await auditOf(t, 'set_locale')).toEqual([]);
  });

  it('a Slack user with no locale reported changes nothing; another locale is English', async () => {
    const silent = await someone(undefined);
    await t.deps.db.updateTable('accounts').set({ locale: 'fr' }).where('id', '=', silent.id).execute();
    await t.command(silent.slackId, '/login-help');
    expect(await answer()).toMatch(/Votre compte semble en ordre/);
    t.slack.clear();
    const german = await someone('de-DE');
    await t.deps.db.updateTable('accounts').set({ locale: 'fr' }).where('id', '=', german.id).execute();
    await t.command(german.slackId, '/login-help');
    expect(await answer()).toMatch(/Your account looks fine/);
    expect((await row(german.id)).locale).toBe('en');
  });

  const openHome = (user: string) => t.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` });
  const published = async (user: string, after = 0) =>
    (await t.slack.waitForCall('views.publish', (c) => c.args.user_id === user && t.slack.callsTo('views.publish').indexOf(c) >= after)).args.view;
  const homeClick = (user: string, actionId: string, value: string) =>
    t.interaction(buttonClick({ user_id: user, action_id: actionId, value, view: { id: 'VHOME', type: 'home', callback_id: '' } }));

  it('a fr-FR Slack user gets a French Home tab, Français selected', async () => {
    const p = await someone('fr-FR');
    await openHome(p.slackId);
    const view = await published(p.slackId);
    expect(textOf(view)).toMatch(/Bonjour/);
    expect(findButton(view, ACTIONS.homeFrench)).toMatchObject({ style: 'primary', value: 'fr' });
    expect(findButton(view, ACTIONS.homeEnglish)?.style).toBeUndefined();
  });

  it('English / Français on the Home tab choose the language (it sticks) and publish the tab again in it', async () => {
    const p = await someone('fr-FR');
    await openHome(p.slackId);
    await published(p.slackId);
    await homeClick(p.slackId, ACTIONS.homeEnglish, 'en');
    const english = await published(p.slackId, 1);
    expect(textOf(english)).toMatch(/Hello/);
    expect(findButton(english, ACTIONS.homeEnglish)?.style).toBe('primary');
    expect(await row(p.id)).toMatchObject({ locale: 'en', locale_chosen: 1 });
    const chosen = (await auditOf(t, 'set_locale')).filter((a) => a.actor === p.id);
    expect(chosen).toEqual([expect.objectContaining({ target_account_id: p.id, detail: JSON.stringify({ from: 'fr', locale: 'en', chosen: true }) })]);

    // Slack still says fr-FR: the choice holds, in the tab and in command replies.
    await t.command(p.slackId, '/login-help');
    expect(await answer()).toMatch(/Your account looks fine/);
    await homeClick(p.slackId, ACTIONS.homeFrench, 'fr');
    expect(textOf(await published(p.slackId, 2))).toMatch(/Bonjour/);
    expect(await row(p.id)).toMatchObject({ locale: 'fr', locale_chosen: 1 });
  });

  it('a language button with a value keydesk never drew changes nothing', async () => {
    const p = await someone('en-US');
    await openHome(p.slackId);
    await published(p.slackId);
    expect((await homeClick(p.slackId, ACTIONS.homeFrench, 'de')).status).toBe(200);
    expect(await row(p.id)).toMatchObject({ locale: 'en', locale_chosen: 0 });
  });

  it('answers a fr-FR Slack user without an account in French; the no_account card words the Slack email in English (HELPDESK_LOCALE=en)', async () => {
    t.slack.addUser({ id: 'U599NOBODY', name: 'nobody', email: 'nobody@elsewhere.com', locale: 'fr-FR' });
    await t.command('U599NOBODY', '/login-help');
    expect(await answer()).toMatch(/Je ne trouve pas de compte keydesk pour vous/);
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && c.args.thread_ts === undefined);
    expect(textOf(card)).toMatch(/Slack email\*?\n?.*nobody@elsewhere\.com/);
    const [ticket] = await t.deps.db.selectFrom('tickets').select('data').where('requester_slack_id', '=', 'U599NOBODY').execute();
    expect(JSON.parse(ticket!.data)).toEqual({ slack_email: 'nobody@elsewhere.com' });
  });

  it('tells a fr-FR guest in French to ask an admin to link them', async () => {
    t.slack.addUser({ id: 'U598GUEST', name: 'guest', email: 'guest@example.com', locale: 'fr-FR', is_restricted: true });
    await t.command('U598GUEST', '/login-help');
    const text = await answer();
    expect(text).toMatch(/Demandez à un administrateur keydesk de le relier pour vous : `keydesk user link-slack <votre e-mail> U598GUEST`/);
    expect(text).toMatch(/les comptes invités ne sont jamais reliés par e-mail/);
  });
});

describe('helpdesk channel cards in HELPDESK_LOCALE=fr', () => {
  let t: SlackTestApp;
  beforeAll(async () => {
    t = await startSlackTestApp('sqlite', { HELPDESK_LOCALE: 'fr' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('posts the card and its thread line in French, answers an English requester in English', async () => {
    t.slack.addUser({ id: 'U597NOBODY', name: 'nobody', email: 'nobody2@elsewhere.com', locale: 'en-US' });
    await t.command('U597NOBODY', '/login-help');
    expect(textOf(await t.slack.waitForCall('response_url'))).toMatch(/I can't find a keydesk account for you/);
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && c.args.thread_ts === undefined);
    expect(textOf(card)).toMatch(/E-mail Slack/);
    expect(textOf(card)).not.toMatch(/Slack email|Requested by/);
    const thread = await t.slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts !== undefined);
    expect(textOf(thread)).toMatch(/[Oo]uvert/);
  });
});
