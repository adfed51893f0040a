// `keydesk audit` as an operator runs it: a child process on a test store (no Redis
// needed: it only reads), on both stores. Spawning tsx costs about a second, so the
// commands of a test run side by side.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAudit } from '../../src/core/audit.js';
import { CLI_ACTOR, SYSTEM_ACTOR } from '../../src/core/deps.js';
import type { NewAccountRow } from '../../src/store/schema.js';
import { readOnlyCliEnv, runKeydesk as keydesk } from '../support/cli.js';
import { createTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const SLOW = 120_000;

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

const seed = (email: string, role: NewAccountRow['role'] = 'user'): NewAccountRow => ({
  id: randomUUID(),
  email,
  display_name: 'Seeded User',
  status: 'active',
  role,
  locale: 'en',
  locale_chosen: 0,
  extension: '',
  failed_count: 0,
  created_at: Date.now(),
  updated_at: Date.now(),
});

interface AuditJson {
  ok: boolean;
  more: boolean;
  events: { id: string; at: string; actor: string; actorId: string; action: string; target: string | null; address: string | null; detail: Record<string, unknown> }[];
}

describe.each(STORE_KINDS)('keydesk audit on %s', (kind) => {
  let store: TestStore;
  let env: Record<string, string | undefined>;
  beforeEach(async () => {
    store = await createTestStore(kind);
    // Redis points nowhere: audit opens no connection to it.
    env = readOnlyCliEnv(store);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it('prints the trail newest first, one line an event, with filters and --json', { timeout: SLOW }, async () => {
    const ann = seed('ann@example.com', 'admin');
    const bob = seed('bob@example.com');
    await store.db.insertInto('accounts').values([ann, bob]).execute();
    const annActor = { id: ann.id, kind: 'account' as const, role: 'admin' as const, clientAddress: '203.0.113.5' };
    const t = Date.UTC(2026, 0, 2, 9, 30, 0);
    await writeAudit(store.db, Date.UTC(2025, 11, 31, 23, 0, 0), { actor: SYSTEM_ACTOR, action: 'lock_expired', targetAccountId: bob.id });
    await writeAudit(store.db, t, { actor: CLI_ACTOR, action: 'create_account', targetAccountId: bob.id });
    await writeAudit(store.db, t + 60_000, { actor: annActor, action: 'unlock', targetAccountId: bob.id, detail: { wasLocked: true, note: 'said "hi"' } });
    await writeAudit(store.db, t + 120_000, { actor: { ...SYSTEM_ACTOR, id: 'slack:U0BOB' }, action: 'set_locale', targetAccountId: bob.id, detail: { locale: 'fr' } });
    await writeAudit(store.db, t + 180_000, { actor: annActor, action: 'refused:unlock', targetAccountId: ann.id, detail: { reason: 'self_admin_action' } });

    const [all, asJson, byAccount, byActor, since, action, limited, slackActor] = await Promise.all([
      keydesk(['audit'], env),
      keydesk(['audit', '--json'], env),
      keydesk(['audit', '--account', 'BOB@example.com'], env),
      keydesk(['audit', '--actor', 'ann@example.com', '--json'], env),
      keydesk(['audit', '--since', '2026-01-01'], env),
      keydesk(['audit', '--action', 'unlock', '--since', '2026-01-02T09:31:00Z'], env),
      keydesk(['audit', '--limit', '2', '--json'], env),
      keydesk(['audit', '--actor', 'slack:U0BOB'], env),
    ]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(lines(all.stdout)).toEqual([
      `2026-01-02T09:33:00.000Z ann@example.com refused:unlock ann@example.com 203.0.113.5 {"reason":"self_admin_action"}`,
      `2026-01-02T09:32:00.000Z slack:U0BOB set_locale bob@example.com - {"locale":"fr"}`,
      `2026-01-02T09:31:00.000Z ann@example.com unlock bob@example.com 203.0.113.5 {"wasLocked":true,"note":"said \\"hi\\""}`,
      `2026-01-02T09:30:00.000Z cli create_account bob@example.com - {}`,
      `2025-12-31T23:00:00.000Z system lock_expired bob@example.com - {}`,
    ]);

    expect(asJson).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(asJson.stdout) as AuditJson;
    expect(doc.ok).toBe(true);
    expect(doc.more).toBe(false);
    expect(doc.events).toHaveLength(5);
    expect(doc.events[2]).toEqual({
      id: expect.any(String) as string,
      at: '2026-01-02T09:31:00.000Z',
      actor: 'ann@example.com',
      actorId: ann.id,
      action: 'unlock',
      target: 'bob@example.com',
      targetAccountId: bob.id,
      address: '203.0.113.5',
      detail: { wasLocked: true, note: 'said "hi"' },
    });

    expect(lines(byAccount.stdout).map((l) => l.split(' ')[2])).toEqual(['set_locale', 'unlock', 'create_account', 'lock_expired']);
    expect((JSON.parse(byActor.stdout) as AuditJson).events.map((e) => e.action)).toEqual(['refused:unlock', 'unlock']);
    expect(lines(since.stdout)).toHaveLength(4);
    expect(lines(action.stdout)).toEqual([expect.stringMatching(/^2026-01-02T09:31:00.000Z ann@example.com unlock /)]);
    const two = JSON.parse(limited.stdout) as AuditJson;
    expect(two.events.map((e) => e.action)).toEqual(['refused:unlock', 'set_locale']);
    expect(two.more).toBe(true);
    expect(lines(slackActor.stdout)).toEqual([expect.stringContaining(' slack:U0BOB set_locale ')]);
  });

  it('answers a bad date or limit in one line with exit 2, an unknown account with exit 1', { timeout: SLOW }, async () => {
    const [badDate, notReal, badLimit, tooMany, nobody, nobodyJson, nobodyActor, empty] = await Promise.all([
      keydesk(['audit', '--since', 'yesterday'], env),
      keydesk(['audit', '--since', '2026-02-31'], env),
      keydesk(['audit', '--limit', 'ten'], env),
      keydesk(['audit', '--limit', '1001'], env),
      keydesk(['audit', '--account', 'nobody@example.com'], env),
      keydesk(['audit', '--account', 'nobody@example.com', '--json'], env),
      keydesk(['audit', '--actor', 'nobody@example.com'], env),
      keydesk(['audit', '--action', 'nothing_like_this'], env),
    ]);
    for (const run of [badDate, notReal, badLimit, tooMany]) {
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(lines(run.stderr)).toHaveLength(1);
    }
    expect(lines(badDate.stderr)).toEqual(['keydesk: --since: "yesterday" is not a date (YYYY-MM-DD or an ISO time like 2026-01-01T09:00:00Z)']);
    expect(lines(notReal.stderr)).toEqual(['keydesk: --since: "2026-02-31" is not a real date']);
    expect(lines(tooMany.stderr)).toEqual(['keydesk: --limit: "1001" is not a whole number from 1 to 1000']);
    for (const run of [nobody, nobodyActor]) {
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(lines(run.stderr)).toEqual(['keydesk: no account matches "nobody@example.com"']);
    }
    expect(nobodyJson.code).toBe(1);
    expect(JSON.parse(nobodyJson.stdout)).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
    expect(empty).toMatchObject({ code: 0, stdout: 'no audit events match\n', stderr: '' });
  });
});
