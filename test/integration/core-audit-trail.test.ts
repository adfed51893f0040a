// Core conformance, the audit trail read back (readAuditTrail): the CLI and admins only (a
// refusal audited), newest first, every filter, and "older" pages that stay the same
// while new events are written — on both stores.
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor, readAuditTrail, type AuditPage } from '../../src/core/audit-trail.js';
import { writeAudit } from '../../src/core/audit.js';
import { CLI_ACTOR, SYSTEM_ACTOR } from '../../src/core/deps.js';
import { setRole } from '../../src/core/accounts.js';
import { STORE_KINDS } from '../support/stores.js';
import { actorOf, auditRows, seedPerson, startCore, type CoreHarness } from '../support/core.js';

// After the seeded accounts' own events (the manual clock stands in November 2026).
const T0 = Date.UTC(2027, 0, 10, 9, 0, 0);
const S = { since: T0 - 2 * 86_400_000 };

function page(outcome: Awaited<ReturnType<typeof readAuditTrail>>): AuditPage {
  if (!outcome.ok) throw new Error(`refused: ${outcome.code}`);
  return outcome;
}

describe.each(STORE_KINDS)('core audit trail on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  it("reads an account's trail through indexes, not the whole log", async () => {
    const compiled: CompiledQuery[] = [];
    const executor = h.deps.db.getExecutor();
    const db = h.deps.db.withPlugin({
      transformQuery: (args) => (compiled.push(executor.compileQuery(args.node, args.queryId)), args.node),
      transformResult: (args) => Promise.resolve(args.result),
    });
    page(await readAuditTrail({ ...h.deps, db }, CLI_ACTOR, { accountId: 'acc-1', limit: 10 }));
    const trail = compiled.find((q) => /from "audit_log"/.test(q.sql))!;
    const plan = await h.deps.db.transaction().execute(async (trx) => {
      if (kind === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      const explain = kind === 'postgres' ? 'explain' : 'explain query plan';
      return JSON.stringify((await trx.executeQuery(CompiledQuery.raw(`${explain} ${trail.sql}`, [...trail.parameters]))).rows);
    });
    // Both sides of the OR through their own index (SQLite's MULTI-INDEX OR, PostgreSQL's BitmapOr).
    expect(plan).toMatch(/audit_target_at/);
    expect(plan).toMatch(/audit_actor_at/);
    expect(plan).not.toMatch(/Seq Scan on audit_log|SCAN l\b/);
  });

  it('reads newest first with emails for accounts, filters, and pages by a stable cursor', async () => {
    const [ann, bob] = await Promise.all([seedPerson(h, { role: 'admin' }), seedPerson(h)]);
    const annActor = await actorOf(h, ann.id, '203.0.113.5');
    // 30 events about bob, two at the very same millisecond; a few others.
    for (let i = 0; i < 30; i++) {
      await writeAudit(h.deps.db, T0 + Math.floor(i / 2) * 1000, { actor: annActor, action: i % 3 === 0 ? 'unlock' : 'reset_password', targetAccountId: bob.id, detail: { n: i } });
    }
    await writeAudit(h.deps.db, T0 + 100_000, { actor: { ...SYSTEM_ACTOR, id: 'slack:U0BOB' }, action: 'set_locale', targetAccountId: bob.id });
    await writeAudit(h.deps.db, T0 + 200_000, { actor: CLI_ACTOR, action: 'create_account', targetAccountId: ann.id });
    await writeAudit(h.deps.db, T0 - 86_400_000, { actor: SYSTEM_ACTOR, action: 'lock_expired' });

    const all = page(await readAuditTrail(h.deps, CLI_ACTOR, S));
    expect(all.events).toHaveLength(33);
    expect(all.older).toBeNull();
    const times = all.events.map((e) => e.at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.events[0]).toMatchObject({ actor: 'cli', actorId: 'cli', action: 'create_account', target: ann.email, targetAccountId: ann.id, clientAddress: null, detail: {} });
    expect(all.events[1]).toMatchObject({ actor: 'slack:U0BOB', action: 'set_locale', target: bob.email });
    expect(all.events[2]).toMatchObject({ actor: ann.email, actorId: ann.id, target: bob.email, clientAddress: '203.0.113.5' });
    // 28 and 29 share a millisecond: the id decides, the same way on every read.
    const pair = all.events.slice(2, 4);
    expect(pair.map((e) => e.detail.n).sort()).toEqual([28, 29]);
    expect(pair[0]!.id > pair[1]!.id).toBe(true);
    expect(all.events.at(-1)).toMatchObject({ actor: 'system', target: null, action: 'lock_expired' });

    // Filters, alone and together.
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, accountId: bob.id })).events).toHaveLength(31);
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, accountId: ann.id })).events).toHaveLength(31); // 30 by her, 1 about her
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, actor: ann.id })).events).toHaveLength(30);
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, actor: 'slack:U0BOB' })).events.map((e) => e.action)).toEqual(['set_locale']);
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, action: 'unlock', accountId: bob.id })).events).toHaveLength(10);
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { since: T0 + 100_000 })).events.map((e) => e.action)).toEqual(['create_account', 'set_locale']);
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, limit: 5000 })).events).toHaveLength(33);

    // Pages of 20 about bob, as an admin; new events written meanwhile change nothing.
    const first = page(await readAuditTrail(h.deps, annActor, { ...S, accountId: bob.id, limit: 20 }));
    expect(first.events).toHaveLength(20);
    expect(first.older).not.toBeNull();
    const cursor = decodeAuditCursor(encodeAuditCursor(first.older!));
    expect(cursor).toEqual(first.older);
    for (let i = 0; i < 5; i++) await writeAudit(h.deps.db, T0 + 300_000 + i, { actor: annActor, action: 'unlock', targetAccountId: bob.id });
    const second = page(await readAuditTrail(h.deps, annActor, { ...S, accountId: bob.id, limit: 20, before: cursor! }));
    expect(second.events).toHaveLength(11);
    expect(second.older).toBeNull();
    const ids = [...first.events, ...second.events].map((e) => e.id);
    expect(new Set(ids).size).toBe(31);
    const bobsBefore = all.events.filter((e) => e.targetAccountId === bob.id).map((e) => e.id);
    expect(ids).toEqual(bobsBefore);

    // Exactly a page: no "older".
    expect(page(await readAuditTrail(h.deps, CLI_ACTOR, { ...S, accountId: bob.id, limit: 36 })).older).toBeNull();
    expect(decodeAuditCursor('12.abc def')).toBeNull();
    expect(decodeAuditCursor('x.1')).toBeNull();
  });

  it('refuses agents, users and disabled admins, audited as refused:read_audit', async () => {
    const [agent, user, admin] = await Promise.all([seedPerson(h, { role: 'agent' }), seedPerson(h), seedPerson(h, { role: 'admin' })]);
    for (const id of [agent.id, user.id]) {
      const outcome = await readAuditTrail(h.deps, await actorOf(h, id), { accountId: admin.id });
      expect(outcome).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await setRole(h.deps, CLI_ACTOR, admin.id, 'admin')).toMatchObject({ ok: true });
    expect(await readAuditTrail(h.deps, { ...(await actorOf(h, admin.id)), disabled: true }, {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await readAuditTrail(h.deps, SYSTEM_ACTOR, {})).toMatchObject({ ok: false, code: 'forbidden' });
    const refusals = await auditRows(h, { action: 'refused:read_audit' });
    expect(refusals.map((r) => r.actor).sort()).toEqual([agent.id, user.id, admin.id, 'system'].sort());
    expect(page(await readAuditTrail(h.deps, await actorOf(h, admin.id), { limit: 1 })).events).toHaveLength(1);
  });
});
