// In-process checks of what `keydesk user add/import` rest on: the all-or-nothing
// creation (one transaction, emails queued only after the commit) and the import plan's
// checks against the store, on both stores.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliContext, type CliContext } from '../../src/cli/context.js';
import { createAccountsAtomically, RowRefused } from '../../src/cli/create.js';
import { planImport } from '../../src/cli/import.js';
import { testConfig } from '../support/config.js';
import { createTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

describe.each(STORE_KINDS)('CLI account creation on %s', (kind) => {
  let store: TestStore;
  let ctx: CliContext;

  beforeEach(async () => {
    store = await createTestStore(kind);
    ctx = await openCliContext(testConfig({ DATA_DIR: store.dataDir, DATABASE_URL: store.databaseUrl }));
  });

  afterEach(async () => {
    for (const q of [ctx.queues!.email, ctx.queues!.lockExpiry, ctx.queues!.notify]) await q.obliterate({ force: true });
    await ctx.close();
    await store.destroy();
  });

  const count = async (table: 'accounts' | 'audit_log' | 'one_time_tokens') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates every account, audit entry and activation token in one transaction, then queues the emails', async () => {
    const created = await createAccountsAtomically(ctx.deps, [
      { email: 'a@example.com', displayName: 'A', role: 'primary_admin' },
      { email: 'b@example.com', displayName: 'B', phone: '+1 415 555 0100', extension: '3', locale: 'fr' },
    ]);
    expect(created.accounts.map((a) => a.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(created).toMatchObject({ queued: 2, queueError: null });
    expect(await count('accounts')).toBe(2);
    expect(await count('audit_log')).toBe(2);
    expect(await count('one_time_tokens')).toBe(2);
    const jobs = await ctx.queues!.email.getJobs(['waiting']);
    expect(jobs.map((j) => [j.data.kind, j.data.to]).sort()).toEqual([
      ['activation', 'a@example.com'],
      ['activation', 'b@example.com'],
    ]);
  });

  it('writes nothing and queues nothing when one account is refused', async () => {
    const attempt = createAccountsAtomically(ctx.deps, [
      { email: 'a@example.com', displayName: 'A' },
      { email: 'b@example.com', displayName: 'B' },
      { email: 'A@example.com', displayName: 'again' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(RowRefused);
    await attempt.catch((err: RowRefused) => {
      expect(err.index).toBe(2);
      expect(err.refusal.code).toBe('account_exists');
    });
    expect(await count('accounts')).toBe(0);
    expect(await count('audit_log')).toBe(0);
    expect(await count('one_time_tokens')).toBe(0);
    expect(await ctx.queues!.email.getJobCountByTypes('waiting', 'delayed')).toBe(0);
  });

  it('plans an import against the accounts already in the store', async () => {
    await store.db
      .insertInto('accounts')
      .values({
        id: randomUUID(),
        email: 'taken@example.com',
        phone: '+14155550100',
        extension: '',
        slack_user_id: 'U0TAKEN',
        display_name: 'Taken',
        status: 'active',
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    const plan = await planImport(
      store.db,
      'name,email,phone,slack_user_id\nOne,taken@example.com,,\nTwo,two@example.com,+1 415 555 0100,\nThree,three@example.com,,U0TAKEN\nFour,four@example.com,+1 415 555 0100,\n',
      'US',
    );
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems).toEqual([
      { row: 2, reasons: ['an account with email taken@example.com already exists'] },
      { row: 3, reasons: ['an account with phone +14155550100 already exists'] },
      { row: 4, reasons: ['an account with slack_user_id U0TAKEN already exists'] },
      { row: 5, reasons: ['phone +14155550100 is also on row 3'] },
    ]);
  });
});
