// `/helpdesk locked` with 45 locked accounts: pages within Slack's 50 blocks, Next page,
// a row's red-lock Unlock (admins only, checked again on the click), the Home tab's
// "Show all" in a modal, and refusals for everyone else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../handlers/ids.js';
import { auditOf, onlyAnswer, seedCast, type Cast } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { textOf } from '../support/slack-find.js';
import { buttonClick } from '../support/slack-requests.js';

type Block = { type: string; block_id?: string; accessory?: { action_id: string; value: string }; elements?: { action_id: string; value: string }[] };

describe('/helpdesk locked', () => {
  let t: SlackTestApp;
  let cast: Cast;
  const locked: string[] = [];
  beforeAll(async () => {
    t = await startSlackTestApp();
    cast = await seedCast(t);
    const now = t.clock.now();
    for (let i = 0; i < 45; i++) {
      const made = await createAccount(t.deps, CLI_ACTOR, { email: `locked-${i}@example.com`, displayName: `Locked Person ${i}` });
      if (!made.ok) throw new Error(made.code);
      // Soonest to unlock first: row i of the list is account i.
      await t.deps.db.updateTable('accounts').set({ locked_until: now + (i + 1) * 60_000, failed_count: 5 }).where('id', '=', made.account.id).execute();
      locked.push(made.account.id);
    }
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.clear());

  const blocksOf = (args: Record<string, unknown>) => args.blocks as Block[];
  const rows = (blocks: Block[]) => blocks.filter((b) => b.type === 'section' && b.block_id?.startsWith(`${BLOCKS.lockedRow}:`));
  const buttons = (blocks: Block[]) => rows(blocks).flatMap((b) => (b.accessory ? [b.accessory] : []));
  const pager = (blocks: Block[]) => blocks.find((b) => b.block_id === BLOCKS.lockedPager)?.elements?.[0];
  const page = (offset: string) => t.click({ user_id: cast.dana.slackId, action_id: ACTIONS.lockedPage, value: offset, channel: 'C0GENERAL', message_ts: '1764064800.000100' });

  it('pages 45 locked accounts 20 at a time, each page within Slack’s limits, with Next page', async () => {
    await t.command(cast.dana.slackId, '/helpdesk', 'locked');
    const first = onlyAnswer(t);
    expect(first.response_type).toBe('ephemeral');
    expect(blocksOf(first).length).toBeLessThanOrEqual(50);
    expect(limitProblems(blocksOf(first))).toEqual([]);
    expect(buttons(blocksOf(first)).map((b) => b.value)).toEqual(locked.slice(0, 20));
    expect(buttons(blocksOf(first)).every((b) => b.action_id === ACTIONS.unlockRow)).toBe(true);
    expect(pager(blocksOf(first))).toMatchObject({ action_id: ACTIONS.lockedPage, value: '20' });

    t.slack.clear();
    await page('20');
    const second = onlyAnswer(t);
    expect(second).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(textOf(second)).toContain('Showing 21–40');
    expect(buttons(blocksOf(second)).map((b) => b.value)).toEqual(locked.slice(20, 40));
    expect(pager(blocksOf(second))?.value).toBe('40');

    t.slack.clear();
    await page('40');
    const last = onlyAnswer(t);
    expect(buttons(blocksOf(last)).map((b) => b.value)).toEqual(locked.slice(40));
    expect(pager(blocksOf(last))).toBeUndefined();
  });

  it('a row’s Unlock (after "Yes") unlocks, audits, and redraws the page without that row', async () => {
    const target = locked[21]!;
    const click = buttonClick({ user_id: cast.dana.slackId, action_id: ACTIONS.unlockRow, value: target, channel: 'C0GENERAL', message_ts: '1764064800.000200' });
    (click.actions as { block_id: string }[])[0]!.block_id = `${BLOCKS.lockedRow}:20:1`;
    await t.interaction({ ...click, response_url: t.slack.responseUrl('row') });
    expect((await findAccountById(t.deps.db, target))!.locked_until).toBeNull();
    expect(await auditOf(t, 'unlock')).toEqual([expect.objectContaining({ actor: cast.dana.id, target_account_id: target })]);
    const redrawn = onlyAnswer(t);
    expect(redrawn).toMatchObject({ replace_original: true });
    const values = buttons(blocksOf(redrawn)).map((b) => b.value);
    expect(values).not.toContain(target);
    expect(values).toEqual([...locked.slice(20, 21), ...locked.slice(22, 41)]);
    locked.splice(21, 1);
  });

  it('agents see the list without Unlock buttons; a forged Unlock click from one is refused, audited, and changes nothing', async () => {
    await t.command(cast.alex.slackId, '/helpdesk', 'locked');
    const list = blocksOf(onlyAnswer(t));
    expect(rows(list)).toHaveLength(20);
    expect(buttons(list)).toEqual([]);
    expect(pager(list)?.value).toBe('20');

    t.slack.clear();
    await t.click({ user_id: cast.alex.slackId, action_id: ACTIONS.unlockRow, value: locked[0]!, channel: 'C0GENERAL', message_ts: '1764064800.000300' });
    expect(onlyAnswer(t)).toMatchObject({ replace_original: false });
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect((await findAccountById(t.deps.db, locked[0]!))!.locked_until).not.toBeNull();
    expect(await auditOf(t, 'refused:unlock')).toEqual([expect.objectContaining({ actor: cast.alex.id, target_account_id: locked[0] })]);
  });

  it('refuses a plain user, audited, for the list and its pages', async () => {
    await t.command(cast.alice.slackId, '/helpdesk', 'locked');
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    t.slack.clear();
    await t.click({ user_id: cast.alice.slackId, action_id: ACTIONS.lockedPage, value: '20', channel: 'C0GENERAL', message_ts: '1764064800.000400' });
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect((await auditOf(t, 'refused:list_locked')).map((a) => a.actor)).toEqual([cast.alice.id, cast.alice.id]);
  });

  it('"Show all" on the Home tab opens the list in a modal, whose Next page updates it', async () => {
    await t.interaction(buttonClick({ user_id: cast.dana.slackId, action_id: ACTIONS.lockedPage, value: '0', view: { id: 'VHOME', type: 'home' } }));
    const opened = t.slack.callsTo('views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]!.args.view as { callback_id: string; blocks: Block[] };
    expect(view.callback_id).toBe(VIEWS.lockedList);
    expect(buttons(view.blocks)).toHaveLength(20);

    const viewId = String((opened[0]!.response.view as { id: string }).id);
    await t.interaction(buttonClick({ user_id: cast.dana.slackId, action_id: ACTIONS.lockedPage, value: '20', view: { id: viewId, type: 'modal' } }));
    const updated = t.slack.callsTo('views.update');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.args.view_id).toBe(viewId);
    expect(textOf(updated[0]!.args.view)).toContain('Showing 21–40');
  });
});
