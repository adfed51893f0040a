// `/helpdesk audit @user` through signed Slack requests, on both stores: an admin sees the
// latest 20 events of an account (newest first, times in their zone, within Slack's limits)
// with Older, which draws the next page in place and stays the same page while new events
// are written; agents and users are refused politely, audited as refused:read_audit, for the
// command and for a forged Older click.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeAudit } from '../../src/core/audit.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { findAccountById } from '../../src/store/accounts.js';
import { AUDIT_PAGE_SIZE } from '../../handlers/blocks/audit-trail.js';
import { formatDateTimeYear } from '../../handlers/blocks/format-time.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';
import { auditOf, forgetAudit, mention, onlyAnswer, seedCast, type Cast } from '../support/helpdesk-fixtures.js';
import { startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { blocksOf, findButton, textOf } from '../support/slack-find.js';
import { STORE_KINDS } from '../support/stores.js';

const EXTRA = 25;

describe.each(STORE_KINDS)('/helpdesk audit on %s', (kind) => {
  let t: SlackTestApp;
  let cast: Cast;
  let seeded: number;
  beforeAll(async () => {
    t = await startSlackTestApp(kind);
    cast = await seedCast(t);
    const alice = (await findAccountById(t.deps.db, cast.alice.id))!;
    const dana = actorFromAccount((await findAccountById(t.deps.db, cast.dana.id))!, '203.0.113.9');
    seeded = (await t.deps.db.selectFrom('audit_log').select('id').where((eb) => eb.or([eb('target_account_id', '=', alice.id), eb('actor', '=', alice.id)])).execute()).length;
    const now = t.clock.now();
    for (let i = 0; i < EXTRA; i++) {
      await writeAudit(t.deps.db, now + (i + 1) * 60_000, { actor: dana, action: 'unlock', targetAccountId: alice.id, detail: { n: i, note: '<!channel> *hi*' } });
    }
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    t.slack.clear();
    await forgetAudit(t);
  });

  const events = (sent: unknown) => blocksOf(sent).filter((b) => b.block_id?.startsWith(`${BLOCKS.auditEvent}:`));
  const numbers = (sent: unknown) => events(sent).flatMap((b) => /&quot;n&quot;:(\d+)|"n":(\d+)/.exec(textOf(b))?.slice(1).filter(Boolean).map(Number) ?? []);

  it('shows an admin the latest 20, newest first, with Older; Older shows the next page in place', async () => {
    expect(seeded).toBeGreaterThan(0);
    expect(seeded + EXTRA).toBeLessThanOrEqual(2 * AUDIT_PAGE_SIZE);
    await t.command(cast.dana.slackId, '/helpdesk', `audit ${mention(cast.alice)}`);
    const first = onlyAnswer(t);
    expect(first.response_type).toBe('ephemeral');
    expect(limitProblems(blocksOf(first))).toEqual([]);
    expect(events(first)).toHaveLength(AUDIT_PAGE_SIZE);
    expect(numbers(first)).toEqual(Array.from({ length: 20 }, (_, i) => EXTRA - 1 - i));
    const text = textOf(first);
    expect(text).toContain('Audit trail');
    expect(text).toContain('Alice User · alice@example.com: the latest events, newest first. Times in CET.');
    const newest = textOf(events(first)[0]);
    expect(newest).toContain(`*${formatDateTimeYear(t.clock.now() + EXTRA * 60_000, 'Europe/Paris', 'en')}* · \`unlock\` · by dana@example.com`);
    expect(newest).toContain('on alice@example.com · from 203.0.113.9');
    // User text in a detail is escaped: no @channel, no bold of theirs.
    expect(newest).toContain('&lt;!channel&gt;');
    expect(newest).not.toContain('<!channel>');
    const older = findButton(first, ACTIONS.auditOlder);
    expect(older?.value).toMatch(new RegExp(`^${cast.alice.id}:\\d+\\.[0-9a-f-]{36}$`));

    // New events meanwhile don't shift the next page.
    await writeAudit(t.deps.db, t.clock.now() + 999 * 60_000, { actor: actorFromAccount((await findAccountById(t.deps.db, cast.dana.id))!), action: 'unlock', targetAccountId: cast.alice.id, detail: { n: 999 } });
    t.slack.clear();
    await t.click({ user_id: cast.dana.slackId, action_id: ACTIONS.auditOlder, value: older!.value!, channel: 'C0GENERAL', message_ts: '1764064800.000100' });
    const second = onlyAnswer(t);
    expect(second).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(limitProblems(blocksOf(second))).toEqual([]);
    expect(textOf(second)).toContain('older events, newest first');
    expect(events(second)).toHaveLength(EXTRA - 20 + seeded);
    expect(numbers(second)).toEqual([4, 3, 2, 1, 0]);
    expect(textOf(second)).toMatch(/by the server \(CLI\)/); // the seeded account was created by the CLI
    expect(findButton(second, ACTIONS.auditOlder)).toBeUndefined();
  });

  it('answers in French for a French admin', async () => {
    await t.deps.db.updateTable('accounts').set({ locale: 'fr' }).where('id', '=', cast.sam.id).execute();
    await t.command(cast.sam.slackId, '/helpdesk', `audit ${mention(cast.alice)}`);
    const answer = onlyAnswer(t);
    expect(textOf(answer)).toContain('Journal d’audit');
    expect(textOf(answer)).toContain('par dana@example.com');
    expect(findButton(answer, ACTIONS.auditOlder)?.text).toMatchObject({ text: 'Plus anciens' });
  });

  it('refuses an agent and a user politely, audited; a forged Older click from an agent too', async () => {
    await t.command(cast.alex.slackId, '/helpdesk', `audit ${mention(cast.alice)}`);
    expect(onlyAnswer(t).response_type).toBe('ephemeral');
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(events(onlyAnswer(t))).toEqual([]);
    t.slack.clear();
    await t.command(cast.alice.slackId, '/helpdesk', `audit ${mention(cast.dana)}`);
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    t.slack.clear();
    await t.click({ user_id: cast.alex.slackId, action_id: ACTIONS.auditOlder, value: `${cast.alice.id}:${t.clock.now() + 10 * 60_000}.ffffffff-ffff-ffff-ffff-ffffffffffff`, channel: 'C0GENERAL', message_ts: '1764064800.000200' });
    expect(onlyAnswer(t)).toMatchObject({ replace_original: false });
    expect(textOf(onlyAnswer(t))).toMatch(/not allowed/);
    expect(events(onlyAnswer(t))).toEqual([]);
    expect((await auditOf(t, 'refused:read_audit')).map((a) => a.actor)).toEqual([cast.alex.id, cast.alice.id, cast.alex.id]);
  });

  it('says so for someone without an account, and lists audit in /helpdesk help', async () => {
    t.slack.addUser({ id: 'U999NOBODY', name: 'nobody', real_name: 'No Body', email: 'nobody@example.com' });
    await t.command(cast.dana.slackId, '/helpdesk', 'audit <@U999NOBODY|nobody>');
    expect(textOf(onlyAnswer(t))).toMatch(/No keydesk account matches/);
    t.slack.clear();
    await t.command(cast.dana.slackId, '/helpdesk', 'help');
    expect(textOf(onlyAnswer(t))).toContain('/helpdesk audit @user');
  });
});
