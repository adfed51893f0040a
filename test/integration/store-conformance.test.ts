// The same store tests on PostgreSQL and SQLite (one conformance suite per backend).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { migrateToLatest } from '../../src/store/migrations.js';
import { findAccountByEmail, findAccountByLogin } from '../../src/store/accounts.js';
import { findPendingTicket, findTicketByCard } from '../../src/store/tickets.js';
import type { NewAccountRow } from '../../src/store/schema.js';
import { createTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const account = (over: Partial<NewAccountRow> = {}): NewAccountRow => ({
  id: randomUUID(),
  email: `u-${randomUUID()}@example.com`,
  display_name: 'Test User',
  status: 'pending_activation',
  created_at: 1_795_000_000_000,
  updated_at: 1_795_000_000_000,
  ...over,
});

describe.each(STORE_KINDS)('store conformance on %s', (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it('migrations are idempotent', async () => {
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  // A lookup that scans a table grows with it: every sign-in, every notice, every request.
  it('finds an account by email or phone, a pending ticket and a card\'s ticket, through an index', async () => {
    const compiled: CompiledQuery[] = [];
    const executor = store.db.getExecutor();
    const db = store.db.withPlugin({
      transformQuery: (args) => (compiled.push(executor.compileQuery(args.node, args.queryId)), args.node),
      transformResult: (args) => Promise.resolve(args.result),
    });
    await findAccountByLogin(db, { email: 'alice@example.com' });
    await findAccountByLogin(db, { phone: '+14155550100', extension: '' });
    await findAccountByEmail(db, 'alice@example.com');
    await findPendingTicket(db, 'unlock', { accountId: 'acc-1' });
    await findPendingTicket(db, 'unlock', { requesterSlackId: 'U1' });
    await findTicketByCard(db, 'C0HELPDESK', '1700000000.000100');
    const expected = [/accounts_email_unique/, /accounts_phone_unique/, /accounts_email_unique/, /tickets_account_kind/, /tickets_requester_kind/, /tickets_card/];
    expect(compiled).toHaveLength(expected.length);
    // PostgreSQL prefers a scan on a table this small: with scans priced out, it uses an index if one fits.
    const plans = await store.db.transaction().execute(async (trx) => {
      if (kind === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      const prefix = kind === 'postgres' ? 'explain' : 'explain query plan';
      return Promise.all(compiled.map(async (q) => JSON.stringify((await trx.executeQuery(CompiledQuery.raw(`${prefix} ${q.sql}`, [...q.parameters]))).rows)));
    });
    // SQLite's plan names the index; PostgreSQL's choice among usable indexes on empty tables
    // says little, so there it is enough that none of these needs a scan.
    plans.forEach((plan, i) => (kind === 'sqlite' ? expect(plan).toMatch(expected[i]!) : expect(plan).not.toMatch(/Seq Scan/)));
  });

  it('round-trips times as numbers and flags as 0/1', async () => {
    const row = account({ locked_until: 1_795_000_123_456, must_change_password: 1 });
    await store.db.insertInto('accounts').values(row).execute();
    const got = await store.db.selectFrom('accounts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(got.locked_until).toBe(1_795_000_123_456);
    expect(got.must_change_password).toBe(1);
    expect(got.failed_count).toBe(0);
    expect(got.extension).toBe('');
  });

  it('keeps emails unique whatever their case', async () => {
    await store.db.insertInto('accounts').values(account({ email: 'alice@example.com' })).execute();
    await expect(
      store.db.insertInto('accounts').values(account({ email: 'ALICE@example.com' })).execute(),
    ).rejects.toThrow();
  });

  it('keeps (phone, extension) unique, with "" for no extension', async () => {
    await store.db.insertInto('accounts').values(account({ phone: '+14155550100' })).execute();
    await store.db.insertInto('accounts').values(account({ phone: '+14155550100', extension: '12' })).execute();
    await expect(store.db.insertInto('accounts').values(account({ phone: '+14155550100' })).execute()).rejects.toThrow();
    // Accounts without a phone don't collide.
    await store.db.insertInto('accounts').values(account()).execute();
    await store.db.insertInto('accounts').values(account()).execute();
  });

  it('consumes a token exactly once under 10 parallel attempts', async () => {
    const a = account();
    await store.db.insertInto('accounts').values(a).execute();
    const tokenId = randomUUID();
    await store.db
      .insertInto('one_time_tokens')
      .values({ id: tokenId, account_id: a.id, purpose: 'reset', token_hash: 'h', created_at: 1, expires_at: 2 })
      .execute();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.db
          .updateTable('one_time_tokens')
          .set({ used_at: 100 + i })
          .where('id', '=', tokenId)
          .where('used_at', 'is', null)
          .returning('id')
          .executeTakeFirst(),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps the audit log append-only', async () => {
    await store.db.insertInto('audit_log').values({ id: randomUUID(), at: 1, actor: 'cli', action: 'test' }).execute();
    await expect(store.db.updateTable('audit_log').set({ action: 'rewritten' }).execute()).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const rows = await store.db.selectFrom('audit_log').select('action').execute();
    expect(rows).toEqual([{ action: 'test' }]);
  });
});
