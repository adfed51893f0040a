// Managed access keys end to end (signed Slack requests, the Web API emulator, the auth
// API): `/access-key list` shows a user's keys with Rotate / Revoke / Revoke as leaked;
// Rotate DMs a new "Reveal once" and the old key shows "expires in …" and works until the
// grace ends; Revoke ends a key at once (whoami 401); Revoke as leaked posts a ticket card
// in the helpdesk channel and DMs the owner; nobody else lists or revokes a user's key;
// the Home tab lists the viewer's keys; 10 racing Rotate clicks make one new key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessKey, revealAccessKey } from '../../src/core/access-keys.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';
import { seedActiveAccount, type SeededAccount } from '../support/app.js';
import { notifyIdle } from '../support/notify.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { actionIdsOf, blocksOf, buttonsOf, findButton, textOf, waitForText } from '../support/slack-find.js';
import { buttonClick } from '../support/slack-requests.js';
import { STORE_KINDS } from '../support/stores.js';
import type { RecordedCall } from '../../src/sandbox/slack-emulator.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('managed access keys in Slack on %s', (kind) => {
  let t: SlackTestApp;
  let bob: SeededAccount;
  let carol: SeededAccount;
  const [BOB, CAROL, ADMIN] = ['U100BOB', 'U300CAROL', 'U200ADMIN'];

  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    t.slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com', tz: 'Europe/Paris' });
    t.slack.addUser({ id: CAROL, name: 'carol', email: 'carol@example.com' });
    t.slack.addUser({ id: ADMIN, name: 'dana', email: 'dana@example.com' });
    bob = await seedActiveAccount(t.deps, { email: 'bob@example.com', displayName: 'Bob Stone', slackUserId: BOB });
    carol = await seedActiveAccount(t.deps, { email: 'carol@example.com', displayName: 'Carol Case', slackUserId: CAROL });
    await seedActiveAccount(t.deps, { email: 'dana@example.com', displayName: 'Dana Admin', role: 'admin', slackUserId: ADMIN });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  /** A key of Bob's, revealed (made through the core: the reveal itself has its own e2e test). */
  async function bobsKey(): Promise<{ keyId: string; key: string }> {
    t.clock.advance(1000); // each key newer than the last: lists show the newest first
    const issued = await issueAccessKey(t.deps, CLI_ACTOR, bob.id);
    if (!issued.ok) throw new Error(issued.code);
    const actor = actorFromAccount((await findAccountById(t.deps.db, bob.id))!);
    const revealed = await revealAccessKey(t.deps, actor, issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    return { keyId: issued.key.id, key: revealed.accessKey };
  }
  const whoami = async (key: string) => {
    const res = await fetch(`${t.app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const keyStatus = async (id: string) => (await t.deps.db.selectFrom('access_keys').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const answered = (pattern: RegExp) => waitForText(t.slack, 'response_url', pattern);
  const list = async (user: string, text = 'list') => {
    await t.command(user, '/access-key', text);
    return t.slack.waitForCall('response_url');
  };
  const keyBlock = (sent: RecordedCall, keyId: string) => blocksOf(sent).find((b) => b.block_id === `${BLOCKS.keyListItem}:${keyId}`);
  const buttonOf = (sent: RecordedCall, keyId: string, actionId: string) =>
    buttonsOf(blocksOf(sent).find((b) => b.block_id === `${BLOCKS.keyListActions}:${keyId}`)).find((b) => b.action_id === actionId);
  const click = (user: string, actionId: string, keyId: string) => t.click({ user_id: user, action_id: actionId, value: keyId, channel: t.slack.dmChannelFor(user) });

  it('lists the user’s keys ephemerally, each with Rotate, Revoke and Revoke as leaked (both behind a confirm)', async () => {
    const { keyId } = await bobsKey();
    const shown = await list(BOB);
    expect(shown.args.response_type).toBe('ephemeral');
    expect(textOf(shown)).toMatch(/Your access keys\* \(\d+\)/);
    expect(textOf(keyBlock(shown, keyId))).toContain(`\`${keyId.slice(0, 8)}…\` :large_green_circle: active`);
    expect(textOf(shown)).toMatch(/never used/);
    expect(buttonOf(shown, keyId, ACTIONS.rotateKey)).toBeDefined();
    const revoke = buttonOf(shown, keyId, ACTIONS.revokeKey) as unknown as { confirm?: { title: { text: string } } };
    const leaked = buttonOf(shown, keyId, ACTIONS.revokeKeyLeaked) as unknown as { confirm?: { title: { text: string } } };
    expect(revoke.confirm?.title.text).toBe('Revoke this key?');
    expect(leaked.confirm?.title.text).toBe('Report a leaked key?');
    // The secret never goes through Slack here.
    expect(JSON.stringify(shown.args)).not.toMatch(/kd_[0-9a-f]{24}_/);
  });

  it('Rotate DMs a new “Reveal once”; the old key shows “expires in 24 h” and works until the grace ends', async () => {
    const { keyId, key } = await bobsKey();
    expect((await click(BOB, ACTIONS.rotateKey, keyId)).status).toBe(200);
    const dm = await waitForText(t.slack, 'chat.postMessage', 'Reveal once', (c) => c.response.channel === t.slack.dmChannelFor(BOB));
    const newId = findButton(dm, ACTIONS.revealKey)?.value;
    expect(newId).toMatch(/^[0-9a-f]{24}$/);
    expect(newId).not.toBe(keyId);
    await answered(/keeps working for 24 h/);
    // The list is redrawn from the store: the old key is replaced and expires in 24 h, with no Rotate.
    const redrawn = await t.slack.waitForCall('response_url', (c) => c.args.replace_original === true);
    expect(textOf(keyBlock(redrawn, keyId))).toMatch(/replaced, expires in 24 h/);
    expect(buttonOf(redrawn, keyId, ACTIONS.rotateKey)).toBeUndefined();
    t.slack.clear();
    const again = await list(BOB);
    expect(textOf(keyBlock(again, keyId))).toMatch(/expires in 24 h/);
    expect(textOf(keyBlock(again, newId!))).toMatch(/waiting to be revealed/);

    expect((await whoami(key)).status).toBe(200);
    t.clock.advance(DAY - 60_000);
    t.slack.clear();
    expect(textOf(keyBlock(await list(BOB), keyId))).toMatch(/expires in 1 min/);
    t.clock.advance(60_000);
    expect(await whoami(key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
    t.slack.clear();
    const later = await list(BOB);
    expect(textOf(keyBlock(later, keyId))).toMatch(/expired/);
    expect(buttonOf(later, keyId, ACTIONS.revokeKey)).toBeUndefined();
  });

  it('“I lost it” (behind a confirm) DMs a new “Reveal once” and ends the old key at once', async () => {
    const { keyId, key } = await bobsKey();
    const shown = await list(BOB);
    const lost = buttonOf(shown, keyId, ACTIONS.replaceLostKey) as unknown as { confirm?: { title: { text: string } } };
    expect(lost.confirm?.title.text).toBe('Lost this key?');
    t.slack.clear();
    await click(BOB, ACTIONS.replaceLostKey, keyId);
    const dm = await waitForText(t.slack, 'chat.postMessage', 'Reveal once', (c) => c.response.channel === t.slack.dmChannelFor(BOB));
    expect(findButton(dm, ACTIONS.revealKey)?.value).not.toBe(keyId);
    await answered(/no longer works/);
    expect(await whoami(key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
    expect(await keyStatus(keyId)).toBe('revoked');
  });

  it('Revoke ends the key at once: whoami answers 401 invalid_key right after the click', async () => {
    const { keyId, key } = await bobsKey();
    expect((await whoami(key)).status).toBe(200);
    await click(BOB, ACTIONS.revokeKey, keyId);
    await answered(/is revoked: it no longer works/);
    expect(await whoami(key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
    expect(await keyStatus(keyId)).toBe('revoked');
  });

  it('Revoke as leaked (an admin, from `/access-key list @bob`) posts a ticket card in the helpdesk channel and DMs the owner', async () => {
    const { keyId, key } = await bobsKey();
    const shown = await list(ADMIN, `list <@${BOB}|bob>`);
    expect(textOf(shown)).toMatch(/Access keys of Bob Stone/);
    expect(buttonOf(shown, keyId, ACTIONS.revokeKeyLeaked)).toBeDefined();
    t.slack.clear();
    await click(ADMIN, ACTIONS.revokeKeyLeaked, keyId);
    await answered(/its owner is told and the helpdesk has a ticket/);
    expect(await whoami(key)).toMatchObject({ status: 401, body: { error: 'invalid_key' } });
    await notifyIdle(t.app.queues.notify);
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === HELPDESK && !c.args.thread_ts);
    expect(textOf(card)).toMatch(/Leaked access key/);
    expect(textOf(card)).toContain(keyId);
    expect(textOf(card)).toMatch(/reported leaked and is already revoked/);
    const dm = await waitForText(t.slack, 'chat.postMessage', /reported leaked and revoked/, (c) => c.response.channel === t.slack.dmChannelFor(BOB));
    expect(textOf(dm)).toContain(keyId);
    const ticket = await t.deps.db.selectFrom('tickets').selectAll().where('kind', '=', 'access_key_leak').where('account_id', '=', bob.id).executeTakeFirstOrThrow();
    expect(ticket.status).toBe('open');
  });

  it('a user can neither list nor revoke nor rotate someone else’s key', async () => {
    const { keyId, key } = await bobsKey();
    await t.command(CAROL, '/access-key', `list <@${BOB}|bob>`);
    const refused = await answered(/not allowed/);
    expect(textOf(refused)).not.toContain(keyId.slice(0, 8));
    for (const actionId of [ACTIONS.revokeKey, ACTIONS.revokeKeyLeaked, ACTIONS.rotateKey, ACTIONS.replaceLostKey]) {
      t.slack.clear();
      await click(CAROL, actionId, keyId);
      await answered(/No such access key/);
    }
    expect(await keyStatus(keyId)).toBe('active');
    expect((await whoami(key)).status).toBe(200);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('actor', '=', carol.id).where('action', 'like', 'refused:%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['refused:list_access_keys', 'refused:revoke_access_key', 'refused:revoke_leaked_access_key', 'refused:rotate_access_key', 'refused:rotate_access_key']);
    // Carol's own list has none of Bob's keys.
    t.slack.clear();
    const own = await list(CAROL);
    expect(textOf(own)).toMatch(/No access key yet/);
    expect(actionIdsOf(own)).not.toContain(ACTIONS.revokeKey);
  });

  it('the Home tab lists the viewer’s keys with their buttons; a Revoke there publishes it again', async () => {
    const { keyId } = await bobsKey();
    await t.event({ type: 'app_home_opened', user: BOB, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` });
    const home = await t.slack.waitForCall('views.publish', (c) => c.args.user_id === BOB);
    const count = (await t.deps.db.selectFrom('access_keys').select('id').where('account_id', '=', bob.id).execute()).length;
    expect(textOf(home)).toContain(`Your access keys (${count})`);
    expect(textOf(keyBlock(home, keyId))).toMatch(/active/);
    expect((home.args.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(100);
    t.slack.clear();
    await t.interaction(buttonClick({ user_id: BOB, action_id: ACTIONS.revokeKey, value: keyId, view: { id: 'VHOME', type: 'home', callback_id: '' } }));
    const after = await t.slack.waitForCall('views.publish', (c) => c.args.user_id === BOB);
    expect(textOf(keyBlock(after, keyId))).toMatch(/revoked/);
    expect(await keyStatus(keyId)).toBe('revoked');
  });

  it('10 concurrent Rotate clicks on one key make exactly one new key and one “Reveal once”', async () => {
    const { keyId } = await bobsKey();
    const before = (await t.deps.db.selectFrom('access_keys').select('id').execute()).length;
    const clicks = await Promise.all(Array.from({ length: 10 }, () => click(BOB, ACTIONS.rotateKey, keyId)));
    expect(clicks.map((c) => c.status)).toEqual(Array(10).fill(200));
    await t.slack.waitForCall('response_url', (c) => /keeps working/.test(textOf(c)));
    expect((await t.deps.db.selectFrom('access_keys').select('id').execute()).length).toBe(before + 1);
    const replacedBy = (await t.deps.db.selectFrom('access_keys').select('replaced_by').where('id', '=', keyId).executeTakeFirstOrThrow()).replaced_by;
    expect(replacedBy).toMatch(/^[0-9a-f]{24}$/);
    const offers = t.slack.callsTo('chat.postMessage').filter((c) => c.response.channel === t.slack.dmChannelFor(BOB) && findButton(c, ACTIONS.revealKey));
    expect(offers.map((c) => findButton(c, ACTIONS.revealKey)?.value)).toEqual([replacedBy]);
    expect(t.slack.callsTo('response_url').filter((c) => /already replaced/.test(textOf(c)))).toHaveLength(9);
  });
});
