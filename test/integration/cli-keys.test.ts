// `keydesk key list [ACCOUNT]` and `keydesk key revoke KEY_ID [--leaked]` as an operator runs
// them: a child process on a test store (both kinds) and the suite's Redis. Audited as the
// CLI; only public ids and times are printed.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { connectRedis } from '../../src/redis.js';
import type { AccessKeyRow, NewAccountRow } from '../../src/store/schema.js';
import { runKeydesk, type CliRun } from '../support/cli.js';
import { TEST_SECRETS_KEY } from '../support/config.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';
import { createTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const SLOW = 60_000;
const keydesk = (args: string[], env: Record<string, string | undefined>) => runKeydesk(args, env);

const json = <T = Record<string, unknown>>(run: CliRun) => JSON.parse(run.stdout) as T & { ok: boolean };

const seed = (over: Partial<NewAccountRow> = {}): NewAccountRow => ({
  id: randomUUID(),
  email: `u-${randomBytes(3).toString('hex')}@example.com`,
  display_name: 'Seeded User',
  status: 'active',
  role: 'user',
  locale: 'en',
  locale_chosen: 0,
  extension: '',
  failed_count: 0,
  failure_window_start: null,
  locked_until: null,
  totp_secret_enc: null,
  must_change_password: 0,
  password_hash: null,
  created_at: Date.now(),
  updated_at: Date.now(),
  ...over,
});

const keyRow = (accountId: string, over: Partial<AccessKeyRow> = {}): AccessKeyRow => ({
  id: randomBytes(12).toString('hex'),
  account_id: accountId,
  created_by: 'cli',
  created_at: Date.now() - 60_000,
  status: 'active',
  secret_hash: randomBytes(32).toString('hex'),
  hash_key_id: 'k1',
  revealed_at: Date.now() - 60_000,
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
  replaced_by: null,
  ...over,
});

describe.each(STORE_KINDS)('keydesk key on %s', (kind) => {
  let store: TestStore;
  let env: Record<string, string | undefined>;
  let prefix: string;
  beforeEach(async () => {
    store = await createTestStore(kind);
    prefix = `{kdtest-cli-keys-${randomBytes(4).toString('hex')}}`;
    env = {
      NODE_ENV: 'test',
      DATA_DIR: store.dataDir,
      DATABASE_URL: store.databaseUrl,
      REDIS_URL: inject('redisUrl'),
      SECRETS_KEY: TEST_SECRETS_KEY,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      QUEUE_PREFIX: prefix,
    };
  });
  afterEach(async () => {
    const connection = connectRedis(inject('redisUrl'));
    const queues = createQueues({ connection, prefix });
    for (const q of [queues.email, queues.lockExpiry, queues.notify]) await q.obliterate({ force: true });
    await queues.close();
    await connection.quit();
    await deleteKeysWithPrefix(inject('redisUrl'), prefix);
    await store.destroy();
  });
  const cli = (args: string[]) => keydesk(args, env);

  async function queued(): Promise<{ emails: string[][]; notices: string[] }> {
    const connection = connectRedis(inject('redisUrl'));
    const queues = createQueues({ connection, prefix });
    try {
      const emails = (await queues.email.getJobs(['waiting', 'delayed'])).map((j) => [j.data.kind, j.data.to]).sort();
      const notices = (await queues.notify.getJobs(['waiting', 'delayed'])).map((j) => j.data.kind).sort();
      return { emails, notices };
    } finally {
      await queues.close();
      await connection.quit();
    }
  }

  it('lists every key or one account\'s, with status, times and never a secret; revokes (and as leaked) as the CLI', { timeout: SLOW }, async () => {
    const [sam, ada] = [seed({ email: 'sam@example.com' }), seed({ email: 'ada@example.com' })];
    await store.db.insertInto('accounts').values([sam, ada]).execute();
    const now = Date.now();
    const live = keyRow(sam.id, { last_used_at: now - 1000 });
    const expiring = keyRow(sam.id, { expires_at: now + 3_600_000, replaced_by: live.id, created_at: now - 120_000 });
    const gone = keyRow(ada.id, { status: 'revoked', revoked_at: now - 1000, created_at: now - 180_000 });
    await store.db.insertInto('access_keys').values([live, expiring, gone]).execute();

    const [all, samsJson, nobody] = await Promise.all([cli(['key', 'list']), cli(['key', 'list', 'sam@example.com', '--json']), cli(['key', 'list', 'nobody@example.com'])]);
    expect(all.code).toBe(0);
    const rows = all.stdout.split('\n').filter(Boolean);
    expect(rows[0]).toMatch(/^ID\s+OWNER\s+STATUS\s+CREATED\s+LAST USED\s+EXPIRES/);
    expect(rows.slice(1, 4).map((r) => r.split(/\s+/).slice(0, 3))).toEqual([
      [live.id, 'sam@example.com', 'active'],
      [expiring.id, 'sam@example.com', 'expiring'],
      [gone.id, 'ada@example.com', 'revoked'],
    ]);
    expect(rows.at(-1)).toBe('3 keys');
    for (const k of [live, expiring, gone]) expect(all.stdout + samsJson.stdout).not.toContain(k.secret_hash!);
    const listed = json<{ keys: { id: string; owner: string; status: string; lastUsedAt: string | null; expiresAt: string | null }[] }>(samsJson);
    expect(listed.keys.map((k) => [k.id, k.owner, k.status])).toEqual([
      [live.id, 'sam@example.com', 'active'],
      [expiring.id, 'sam@example.com', 'expiring'],
    ]);
    expect(listed.keys[0]!.lastUsedAt).toBe(new Date(live.last_used_at!).toISOString());
    expect(listed.keys[1]!.expiresAt).toBe(new Date(expiring.expires_at!).toISOString());
    expect(nobody).toMatchObject({ code: 1, stderr: 'keydesk: no account matches "nobody@example.com"\n' });

    const [revoked, leaked, unknown] = await Promise.all([
      cli(['key', 'revoke', live.id]),
      cli(['key', 'revoke', expiring.id, '--leaked', '--json']),
      cli(['key', 'revoke', 'f'.repeat(24)]),
    ]);
    expect(revoked).toMatchObject({ code: 0, stdout: `${live.id} (sam@example.com): revoked; audited\n` });
    const leakedOut = json<{ key: { id: string; status: string }; leaked: boolean; ticketId: string }>(leaked);
    expect(leakedOut).toMatchObject({ ok: true, key: { id: expiring.id, status: 'revoked' }, leaked: true });
    expect(unknown).toMatchObject({ code: 1, stderr: `keydesk: ${'f'.repeat(24)}: No such access key.\n` });

    const keys = await store.db.selectFrom('access_keys').select(['id', 'status']).orderBy('id').execute();
    expect(keys.filter((k) => k.status === 'revoked').map((k) => k.id).sort()).toEqual([live.id, expiring.id, gone.id].sort());
    const ticket = await store.db.selectFrom('tickets').selectAll().where('id', '=', leakedOut.ticketId).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ kind: 'access_key_leak', account_id: sam.id, status: 'open' });
    // Slack is off in this environment, so the Slack notices are no-ops (the core test records them).
    expect(await queued()).toEqual({ emails: [['access_key_revoked', 'sam@example.com']], notices: [] });
    const audit = await store.db.selectFrom('audit_log').select(['actor', 'action', 'target_account_id']).where('action', 'like', 'revoke%').execute();
    expect(audit.map((a) => [a.actor, a.action, a.target_account_id]).sort()).toEqual(
      [
        ['cli', 'revoke_access_key', sam.id],
        ['cli', 'revoke_leaked_access_key', sam.id],
      ].sort(),
    );
  });
});
