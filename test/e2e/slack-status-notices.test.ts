// Disable and enable tell the owner, by email and by Slack DM, in their language: the
// reason's words, never the admin's internal note. Through the real queues, the outbox
// and the Slack emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, disableAccount, enableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { readOutbox, waitForEmail } from '../support/outbox.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { STORE_KINDS } from '../support/stores.js';

const NOTE = 'invoice 42 unpaid — internal';

describe.each(STORE_KINDS)('disable and enable notices on %s', (kind) => {
  let t: SlackTestApp;
  let alice: SeededAccount;
  let zoe: SeededAccount;
  const ALICE = 'U500ALICE';
  const ZOE = 'U500ZOE';

  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    t.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@example.com', tz: 'America/New_York' });
    t.slack.addUser({ id: ZOE, name: 'zoe', email: 'zoe@example.fr', tz: 'Europe/Paris' });
    alice = await seedActiveAccount(t.deps, { email: 'alice@example.com' });
    zoe = await seedActiveAccount(t.deps, { email: 'zoe@example.fr', locale: 'fr' });
    await t.deps.db.updateTable('accounts').set({ slack_user_id: ALICE }).where('id', '=', alice.id).execute();
    await t.deps.db.updateTable('accounts').set({ slack_user_id: ZOE }).where('id', '=', zoe.id).execute();
  });
  afterAll(async () => {
    await t.stop();
  });

  const dmTo = (user: string, pattern: RegExp) =>
    t.slack.waitForCall('chat.postMessage', (c) => c.response.channel === t.slack.dmChannelFor(user) && pattern.test(String(c.args.text)));
  const noteNowhere = async () => {
    for (const m of await readOutbox(t.store.dataDir)) expect(m.text).not.toContain('invoice 42');
    for (const c of t.slack.callsTo('chat.postMessage')) expect(JSON.stringify(c.args)).not.toContain('invoice 42');
  };

  it('in English: the reason in words by email and DM, then "enabled again"; the note is sent to nobody', async () => {
    expect((await disableAccount(t.deps, CLI_ACTOR, alice.id, 'payment', NOTE)).ok).toBe(true);
    const mail = await waitForEmail(t.store.dataDir, 'alice@example.com', /(Your keydesk account was disabled because of a billing problem\.)/);
    expect(mail).toBeTruthy();
    const [disabled] = (await readOutbox(t.store.dataDir)).filter((m) => m.to.includes('alice@example.com') && /disabled/.test(m.subject));
    expect(disabled!.subject).toBe('keydesk: Your account was disabled');
    expect(disabled!.text).toMatch(/ask the helpdesk/);
    const dm = await dmTo(ALICE, /disabled/);
    expect(dm.args.text).toMatch(/Your keydesk account was disabled because of a billing problem\./);

    expect((await enableAccount(t.deps, CLI_ACTOR, alice.id)).ok).toBe(true);
    await waitForEmail(t.store.dataDir, 'alice@example.com', /You can sign in again with your password\./);
    // 10:00 UTC on the test clock: the notification says so, her Slack shows it in New York time.
    expect((await dmTo(ALICE, /enabled again/)).args.text).toMatch(/enabled again 25 Nov, 10:00 UTC\. You can sign in with your password\./);
    await noteNowhere();
  });

  it('in French, for each reason word; a never-activated account enabled again is told to ask for a new link', async () => {
    expect((await disableAccount(t.deps, CLI_ACTOR, zoe.id, 'email_conflict', NOTE)).ok).toBe(true);
    await waitForEmail(t.store.dataDir, 'zoe@example.fr', /(Votre compte keydesk a été désactivé parce que son adresse e-mail est aussi utilisée par un autre compte\.)/);
    expect((await dmTo(ZOE, /désactivé/)).args.text).toMatch(/Votre compte keydesk a été désactivé parce que son adresse e-mail est aussi utilisée par un autre compte\./);
    expect((await enableAccount(t.deps, CLI_ACTOR, zoe.id)).ok).toBe(true);
    await waitForEmail(t.store.dataDir, 'zoe@example.fr', /(Vous pouvez de nouveau vous connecter)/);
    expect((await dmTo(ZOE, /réactivé/)).args.text).toMatch(/réactivé 25 nov\., 10:00 UTC\. Vous pouvez vous connecter/);

    const created = await createAccount(t.deps, CLI_ACTOR, { email: 'paul@example.fr', displayName: 'Paul Pending', locale: 'fr' });
    if (!created.ok) throw new Error(created.code);
    expect((await disableAccount(t.deps, CLI_ACTOR, created.account.id, 'validation')).ok).toBe(true);
    await waitForEmail(t.store.dataDir, 'paul@example.fr', /(parce que ses informations n’ont pas pu être validées)/);
    expect((await enableAccount(t.deps, CLI_ACTOR, created.account.id)).ok).toBe(true);
    await waitForEmail(t.store.dataDir, 'paul@example.fr', /(Il n’est pas encore activé)/);
    await noteNowhere();
  });
});
