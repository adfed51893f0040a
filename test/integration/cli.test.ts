// `keydesk …` as an operator runs it: a child process on a test store and the suite's
// Redis, with its own queue prefix. Spawning tsx costs about a second, so independent
// commands run side by side and each test checks several things.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { connectRedis } from '../../src/redis.js';
import type { NewAccountRow } from '../../src/store/schema.js';
import { totpContext } from '../../src/core/mfa.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { runKeydesk, type CliRun } from '../support/cli.js';
import { TEST_SECRETS_KEY } from '../support/config.js';
import { createTestStore, type TestStore } from '../support/stores.js';
import { deleteKeysWithPrefix } from '../support/redis-keys.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures');
const SLOW = 60_000;

const keydesk = runKeydesk;
type Run = CliRun;

const json = <T = Record<string, unknown>>(run: Run) => JSON.parse(run.stdout) as T & { ok: boolean };
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

function useCliStore(kind: 'sqlite' | 'postgres') {
  const state = {} as { store: TestStore; env: Record<string, string | undefined>; prefix: string };

  beforeEach(async () => {
    state.store = await createTestStore(kind);
    state.prefix = `{kdtest-cli-${randomBytes(4).toString('hex')}}`;
    state.env = {
      NODE_ENV: 'test',
      DATA_DIR: state.store.dataDir,
      DATABASE_URL: state.store.databaseUrl,
      REDIS_URL: inject('redisUrl'),
      SECRETS_KEY: TEST_SECRETS_KEY,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      QUEUE_PREFIX: state.prefix,
    };
  });

  afterEach(async () => {
    const connection = connectRedis(inject('redisUrl'));
    const queues = createQueues({ connection, prefix: state.prefix });
    for (const q of [queues.email, queues.lockExpiry, queues.notify]) await q.obliterate({ force: true });
    await queues.close();
    await connection.quit();
    await deleteKeysWithPrefix(inject('redisUrl'), state.prefix);
    await state.store.destroy();
  });

  /** The queued emails, as [kind, to] pairs, sorted. */
  async function queuedEmails(): Promise<string[][]> {
    const connection = connectRedis(inject('redisUrl'));
    const queues = createQueues({ connection, prefix: state.prefix });
    try {
      const jobs = await queues.email.getJobs(['waiting', 'delayed']);
      return jobs.map((j) => [j.data.kind, j.data.to]).sort();
    } finally {
      await queues.close();
      await connection.quit();
    }
  }

  const cli = (args: string[], input?: string) => keydesk(args, state.env, input);
  return { state, cli, queuedEmails };
}

const seed = (over: Partial<NewAccountRow> = {}): NewAccountRow => ({
  id: randomUUID(),
  email: `u-${randomBytes(3).toString('hex')}@example.com`,
  display_name: 'Seeded User',
  status: 'active',
  // Every column, so a multi-row insert never leaves one to NULL (SQLite has no DEFAULT there).
  role: 'user',
  locale: 'en',
  locale_chosen: 0,
  extension: '',
  failed_count: 0,
  failure_window_start: null,
  locked_until: null,
  totp_secret_enc: null,
  must_change_password: 0,
  password_hash: '$argon2id$v=19$m=1024,t=1,p=1$c2VlZHNlZWQ$c2VlZHNlZWRzZWVkc2VlZA',
  created_at: Date.now(),
  updated_at: Date.now(),
  ...over,
});

describe('keydesk CLI on sqlite', () => {
  const { state, cli, queuedEmails } = useCliStore('sqlite');

  it('adds accounts (the first primary admin too), then shows and lists them', { timeout: SLOW }, async () => {
    const [primary, agent] = await Promise.all([
      cli(['user', 'add', '--email', 'Ada@Example.com', '--name', 'Ada Lovelace', '--phone', '+1 415 555 0100', '--ext', '12',
        '--role', 'primary_admin', '--locale', 'fr', '--slack-user', 'U0ADA', '--json']),
      cli(['user', 'add', '--email', 'bob@example.com', '--name', 'Bob', '--role', 'agent']),
    ]);
    expect(primary).toMatchObject({ code: 0, stderr: '' });
    const added = json<{ account: { id: string; email: string; status: string; role: string } }>(primary);
    expect(added).toMatchObject({ ok: true, account: { email: 'ada@example.com', status: 'pending_activation', role: 'primary_admin' } });
    expect(agent.code).toBe(0);
    expect(agent.stdout).toMatch(/^created bob@example\.com \(agent, pending activation\); activation email queued\nid: [0-9a-f-]{36}\n$/);

    const [show, showHuman, list, duplicate, queue] = await Promise.all([
      cli(['user', 'show', added.account.id, '--json']),
      cli(['user', 'show', '+14155550100#12']),
      cli(['user', 'list', '--role', 'primary_admin', '--json']),
      cli(['user', 'add', '--email', 'ADA@example.com', '--name', 'Ada again']),
      cli(['queue', 'status', '--json']),
    ]);
    expect(show.code).toBe(0);
    expect(json(show)).toMatchObject({
      account: {
        email: 'ada@example.com', name: 'Ada Lovelace', role: 'primary_admin', locale: 'fr', status: 'pending_activation',
        phone: '+14155550100', extension: '12', slackUserId: 'U0ADA', locked: false, failedAttempts: 0, mfaEnrolled: false,
      },
      accessKeys: { active: 0, pendingReveal: 0, revoked: 0 },
      recentLogins: [],
    });
    expect(showHuman.stdout).toMatch(/phone\s+\+14155550100#12/);
    expect(showHuman.stdout).toMatch(/MFA enrolled\s+no/);
    for (const run of [show, showHuman, list]) expect(run.stdout).not.toMatch(/argon2|hash|secret/i);

    const listed = json<{ accounts: { email: string }[] }>(list);
    expect(listed.accounts.map((a) => a.email)).toEqual(['ada@example.com']);

    expect(duplicate).toMatchObject({ code: 1, stdout: '' });
    expect(lines(duplicate.stderr)).toEqual(['keydesk: ada@example.com: An account with this email already exists.']);

    expect(json(queue)).toMatchObject({ queues: { email: { waiting: 2 }, 'lock-expiry': { waiting: 0, delayed: 0 } } });
    expect(await queuedEmails()).toEqual([['activation', 'ada@example.com'], ['activation', 'bob@example.com']]);
    const audit = await state.store.db.selectFrom('audit_log').select(['actor', 'action']).execute();
    expect(audit).toEqual([{ actor: 'cli', action: 'create_account' }, { actor: 'cli', action: 'create_account' }]);
  });

  it('refuses a CSV with two bad rows, writing nothing; imports a good one whole', { timeout: SLOW }, async () => {
    const bad = await cli(['user', 'import', path.join(FIXTURES, 'users-bad.csv'), '--json']);
    expect(bad.code).toBe(1);
    expect(json(bad)).toMatchObject({ ok: false, error: { code: 'invalid_rows' }, rows: [{ row: 3 }, { row: 5 }] });
    expect(lines(bad.stderr)).toEqual([
      '  row 3: email "not-an-email": That is not a valid email address.',
      '  row 5: role "boss" is not one of user, agent, admin, primary_admin; email ok1@example.com is also on row 2',
      expect.stringMatching(/^keydesk: .*users-bad\.csv: 2 bad rows; nothing was imported$/),
    ]);
    expect(await state.store.db.selectFrom('accounts').select('id').execute()).toEqual([]);
    expect(await queuedEmails()).toEqual([]);

    const good = await cli(['user', 'import', path.join(FIXTURES, 'users-good.csv')]);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(lines(good.stdout).at(-1)).toBe('imported 3 accounts (pending activation); 3 activation emails queued');
    const accounts = await state.store.db
      .selectFrom('accounts')
      .select(['email', 'display_name', 'phone', 'extension', 'role', 'locale', 'slack_user_id', 'status'])
      .orderBy('email')
      .execute();
    expect(accounts).toEqual([
      { email: 'alan@example.com', display_name: 'Alan "Prof" Turing', phone: '+14155550101', extension: '7', role: 'agent', locale: 'fr', slack_user_id: null, status: 'pending_activation' },
      { email: 'grace@example.com', display_name: 'Hopper, Grace', phone: '+14155550101', extension: '', role: 'admin', locale: 'en', slack_user_id: 'U0GRACE', status: 'pending_activation' },
      { email: 'linus@example.com', display_name: 'Linus', phone: null, extension: '', role: 'user', locale: 'en', slack_user_id: null, status: 'pending_activation' },
    ]);
    expect(await queuedEmails()).toEqual([
      ['activation', 'alan@example.com'],
      ['activation', 'grace@example.com'],
      ['activation', 'linus@example.com'],
    ]);
  });

  it('disables, enables, sets roles, unlocks and clears MFA as the CLI', { timeout: SLOW }, async () => {
    const now = Date.now();
    const [dina, gone, pat, lock, prim, keep, still] = [
      seed({ email: 'dina@example.com' }),
      seed({ email: 'gone@example.com', status: 'disabled', disabled_reason: 'too_many_failures' }),
      seed({ email: 'pat@example.com' }),
      seed({ email: 'lock@example.com', locked_until: now + 3_600_000, failed_count: 5, failure_window_start: now - 1000 }),
      seed({ email: 'prim@example.com', role: 'primary_admin', totp_secret_enc: 'v1.sealed-totp' }),
      seed({ email: 'keep@example.com', role: 'primary_admin', totp_secret_enc: 'v1.sealed-totp' }),
      seed({ email: 'still@example.com', locked_until: now + 3_600_000, failed_count: 5 }),
    ];
    await state.store.db.insertInto('accounts').values([dina, gone, pat, lock, prim, keep, still]).execute();

    const [disable, enable, setRole, unlock, clear, unconfirmed] = await Promise.all([
      cli(['user', 'disable', 'dina@example.com', '--reason', 'payment', '--note', 'card expired']),
      cli(['user', 'enable', 'gone@example.com']),
      cli(['user', 'set-role', 'pat@example.com', 'primary_admin', '--json']),
      cli(['user', 'unlock', 'lock@example.com']),
      cli(['break-glass', 'clear-mfa', 'prim@example.com', '--yes']),
      cli(['break-glass', 'clear-mfa', 'keep@example.com'], 'someone-else@example.com\n'),
    ]);
    expect(disable).toMatchObject({ code: 0, stdout: 'dina@example.com: disabled (payment)\n' });
    expect(enable).toMatchObject({ code: 0, stdout: 'gone@example.com: enabled (now active)\n' });
    expect(json(setRole)).toMatchObject({ ok: true, email: 'pat@example.com', from: 'user', role: 'primary_admin' });
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toMatch(/^lock@example\.com: unlocked \(was locked until .+ UTC\); unlock email queued\n$/);
    expect(clear).toMatchObject({ code: 0, stdout: 'prim@example.com: MFA cleared; enrolment link emailed; audited\n' });
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('Type keep@example.com to confirm:');
    expect(lines(unconfirmed.stderr).at(-1)).toBe('keydesk: not confirmed: nothing was changed');

    const [disabledList, lockedList] = await Promise.all([
      cli(['user', 'list', '--disabled', '--json']),
      cli(['user', 'list', '--locked']),
    ]);
    expect(json(disabledList)).toMatchObject({
      accounts: [{ email: 'dina@example.com', status: 'disabled', disabledReason: 'payment', disabledNote: 'card expired' }],
    });
    expect(lines(lockedList.stdout)).toEqual([
      expect.stringMatching(/^EMAIL\s+NAME\s+ROLE\s+STATUS\s+LOCKED UNTIL$/),
      expect.stringMatching(/^still@example\.com\s+Seeded User\s+user\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      '1 account',
    ]);

    const byEmail = Object.fromEntries((await state.store.db.selectFrom('accounts').selectAll().execute()).map((a) => [a.email, a]));
    expect(byEmail['dina@example.com']).toMatchObject({ status: 'disabled', disabled_reason: 'payment' });
    expect(byEmail['gone@example.com']).toMatchObject({ status: 'active', disabled_reason: null });
    expect(byEmail['pat@example.com']!.role).toBe('primary_admin');
    expect(byEmail['lock@example.com']).toMatchObject({ locked_until: null, failed_count: 0 });
    expect(byEmail['prim@example.com']!.totp_secret_enc).toBeNull();
    expect(byEmail['keep@example.com']!.totp_secret_enc).toBe('v1.sealed-totp');

    const audit = await state.store.db.selectFrom('audit_log').select(['actor', 'action', 'target_account_id']).execute();
    // Each direct action also files a resolved ticket (its card goes to #helpdesk when Slack is on).
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.target_account_id}`).sort()).toEqual(
      [
        `disable ${dina.id}`,
        `enable ${gone.id}`,
        `set_role ${pat.id}`,
        `unlock ${lock.id}`,
        `clear_mfa ${prim.id}`,
        ...[dina.id, gone.id, lock.id, prim.id].map((id) => `record_ticket ${id}`),
      ].map((e) => `cli ${e}`).sort(),
    );
    const filed = await state.store.db.selectFrom('tickets').select(['kind', 'status', 'account_id']).execute();
    expect(filed.map((r) => `${r.kind} ${r.status} ${r.account_id}`).sort()).toEqual(
      [`direct_action resolved ${dina.id}`, `direct_action resolved ${gone.id}`, `unlock resolved ${lock.id}`, `mfa_reset resolved ${prim.id}`].sort(),
    );
    const emails = await queuedEmails();
    expect(emails).toContainEqual(['account_unlocked', 'lock@example.com']);
    expect(emails).toContainEqual(['mfa_cleared', 'prim@example.com']);
    // The disabled and the enabled owner are told (the reason, never the note).
    expect(emails).toContainEqual(['account_disabled', 'dina@example.com']);
    expect(emails).toContainEqual(['account_enabled', 'gone@example.com']);
    expect(emails.filter(([, to]) => !['lock@example.com', 'prim@example.com', 'dina@example.com', 'gone@example.com'].includes(to ?? ''))).toEqual([]);
  });

  it('secrets reseal: after a rotation, TOTP secrets sealed under the previous key are sealed under the new one', { timeout: SLOW }, async () => {
    const oldBox = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));
    const ann = seed({ mfa_method: 'totp' });
    await state.store.db.insertInto('accounts').values({ ...ann, totp_secret_enc: oldBox.seal('JBSWY3DPEHPK3PXP', totpContext(ann.id)) }).execute();
    const fresh = randomBytes(32).toString('base64');
    state.env = { ...state.env, SECRETS_KEY: fresh, SECRETS_KEY_PREVIOUS: TEST_SECRETS_KEY };
    const run = await cli(['secrets', 'reseal', '--json']);
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ totpResealed: 1, totpUnreadable: 0, accessKeysOnPreviousKey: 0 });
    const row = await state.store.db.selectFrom('accounts').select('totp_secret_enc').where('id', '=', ann.id).executeTakeFirstOrThrow();
    expect(new SecretBox(secretKeyFromBase64(fresh)).open(row.totp_secret_enc!, totpContext(ann.id))).toBe('JBSWY3DPEHPK3PXP');
    expect(lines((await cli(['secrets', 'reseal'])).stdout)).toEqual([
      '0 TOTP secret(s) sealed again under the current SECRETS_KEY',
      'no active access key depends on a previous key',
    ]);
  });

  it('signs an account out everywhere, saying how many sessions it ended, audited', { timeout: SLOW }, async () => {
    const now = Date.now();
    const [sam, other] = [seed({ email: 'sam@example.com' }), seed({ email: 'other@example.com' })];
    await state.store.db.insertInto('accounts').values([sam, other]).execute();
    const session = (accountId: string, over: { expires_at?: number; ended_at?: number | null } = {}) => ({
      id: randomUUID(),
      account_id: accountId,
      token_hash: randomBytes(32).toString('hex'),
      created_at: now,
      last_seen_at: now,
      expires_at: over.expires_at ?? now + 3_600_000,
      absolute_expires_at: now + 86_400_000,
      ended_at: over.ended_at ?? null,
      ended_reason: over.ended_at ? ('logout' as const) : null,
      client_address: '203.0.113.5',
    });
    await state.store.db
      .insertInto('sessions')
      .values([session(sam.id), session(sam.id), session(sam.id, { expires_at: now - 1000 }), session(sam.id, { ended_at: now - 1000 }), session(other.id)])
      .execute();

    const first = await cli(['user', 'sign-out', 'sam@example.com']);
    expect(first).toMatchObject({ code: 0, stdout: 'sam@example.com: 2 sessions ended\n' });
    const again = await cli(['user', 'sign-out', 'sam@example.com', '--json']);
    expect(json(again)).toMatchObject({ ok: true, email: 'sam@example.com', sessionsEnded: 0 });

    const live = await state.store.db.selectFrom('sessions').select(['account_id', 'ended_reason']).where('ended_at', 'is', null).where('expires_at', '>', now).execute();
    expect(live).toEqual([{ account_id: other.id, ended_reason: null }]);
    const audit = await state.store.db.selectFrom('audit_log').select(['actor', 'action', 'target_account_id', 'detail']).orderBy('at').execute();
    expect(audit.map((a) => [a.actor, a.action, a.target_account_id, JSON.parse(a.detail) as unknown]).sort()).toEqual(
      [
        ['cli', 'sessions_ended', sam.id, { count: 2, reason: 'sign_out_everywhere' }],
        ['cli', 'sign_out_everywhere', sam.id, { count: 2 }],
        ['cli', 'sign_out_everywhere', sam.id, { count: 0 }],
      ].sort(),
    );
  });

  it('sets an email at once (both addresses told) and verifies a primary admin, audited', { timeout: SLOW }, async () => {
    const [sam, other, pat] = [seed({ email: 'sam@example.com' }), seed({ email: 'other@example.com' }), seed({ email: 'pat@example.com', role: 'primary_admin' })];
    await state.store.db.insertInto('accounts').values([sam, other, pat]).execute();
    const [changed, taken, verified] = await Promise.all([
      cli(['user', 'set-email', 'sam@example.com', 'Sam.New@Example.com']),
      cli(['user', 'set-email', 'other@example.com', 'pat@example.com']),
      cli(['user', 'verify', 'pat@example.com', '--json']),
    ]);
    expect(changed).toMatchObject({ code: 0, stdout: 'sam@example.com → sam.new@example.com: changed; both addresses notified\n' });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/An account with this email already exists/);
    expect(json(verified)).toMatchObject({ ok: true, email: 'pat@example.com' });
    const emails = await queuedEmails();
    expect(emails).toEqual(
      [
        ['email_changed', 'sam@example.com'],
        ['email_changed', 'sam.new@example.com'],
        ['security_reset_link', 'pat@example.com'],
      ].sort(),
    );
    const audit = await state.store.db.selectFrom('audit_log').select(['actor', 'action', 'target_account_id']).where('action', 'in', ['change_email', 'verify_identity']).execute();
    expect(audit.map((a) => [a.actor, a.action, a.target_account_id]).sort()).toEqual([['cli', 'change_email', sam.id], ['cli', 'verify_identity', pat.id]].sort());
  });

  it('chooses a language: set-locale and add --locale stick (locale_chosen), add without --locale follows Slack', { timeout: SLOW }, async () => {
    const lea = seed({ email: 'lea@example.com' });
    await state.store.db.insertInto('accounts').values([lea]).execute();
    const [set, added, plain, bad] = await Promise.all([
      cli(['user', 'set-locale', 'lea@example.com', 'fr', '--json']),
      cli(['user', 'add', '--email', 'fr@example.com', '--name', 'Fr', '--locale', 'fr']),
      cli(['user', 'add', '--email', 'plain@example.com', '--name', 'Plain']),
      cli(['user', 'set-locale', 'lea@example.com', 'de']),
    ]);
    expect(json(set)).toMatchObject({ ok: true, email: 'lea@example.com', from: 'en', locale: 'fr' });
    expect(added.code).toBe(0);
    expect(plain.code).toBe(0);
    expect(bad.code).toBe(2);
    const rows = await state.store.db.selectFrom('accounts').select(['email', 'locale', 'locale_chosen']).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'fr@example.com', locale: 'fr', locale_chosen: 1 },
      { email: 'lea@example.com', locale: 'fr', locale_chosen: 1 },
      { email: 'plain@example.com', locale: 'en', locale_chosen: 0 },
    ]);
    const audit = await state.store.db.selectFrom('audit_log').select(['actor', 'action', 'target_account_id']).where('action', '=', 'set_locale').execute();
    expect(audit).toEqual([{ actor: 'cli', action: 'set_locale', target_account_id: lea.id }]);
    const show = await cli(['user', 'show', 'lea@example.com']);
    expect(show.stdout).toMatch(/locale\s+fr \(chosen\)/);
  });

  it('answers usage, config and lookup errors in one line with exit 2 or 1', { timeout: SLOW }, async () => {
    const [badPort, unknown, bare, noReason, nobody] = await Promise.all([
      keydesk(['user', 'list'], { ...state.env, PORT: 'x' }),
      cli(['user', 'frobnicate']),
      cli([]),
      cli(['user', 'disable', 'dina@example.com']),
      cli(['user', 'show', 'nobody@example.com', '--json']),
    ]);
    expect(badPort).toMatchObject({ code: 2, stdout: '' });
    expect(lines(badPort.stderr)).toEqual(['keydesk: config: PORT must be a port number (1-65535) (got "x")']);

    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)[0]).toBe("error: unknown command 'frobnicate'");
    expect(unknown.stderr).toContain('Usage: keydesk user [options] [command]');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: keydesk [options] [command]');
    expect(noReason.code).toBe(2);
    expect(lines(noReason.stderr)[0]).toBe("error: required option '--reason <reason>' not specified");

    expect(nobody.code).toBe(1);
    expect(lines(nobody.stderr)).toEqual(['keydesk: no account matches "nobody@example.com"']);
    expect(json(nobody)).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
    for (const run of [badPort, unknown, bare, noReason, nobody]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('keydesk CLI on postgres', () => {
  const { state, cli, queuedEmails } = useCliStore('postgres');

  it('migrates, imports, refuses conflicts with existing accounts, shows', { timeout: SLOW }, async () => {
    const [migrate, good] = await Promise.all([
      cli(['migrate']),
      cli(['user', 'import', path.join(FIXTURES, 'users-good.csv'), '--json']),
    ]);
    expect(migrate).toMatchObject({ code: 0, stdout: 'postgres store is up to date\n' });
    expect(good.code).toBe(0);
    const imported = json<{ created: { row: number; email: string }[]; activationEmailsQueued: number }>(good);
    expect(imported.created.map((c) => [c.row, c.email])).toEqual([
      [2, 'grace@example.com'],
      [3, 'alan@example.com'],
      [4, 'linus@example.com'],
    ]);
    expect(imported.activationEmailsQueued).toBe(3);

    const [again, show] = await Promise.all([
      cli(['user', 'import', path.join(FIXTURES, 'users-good.csv')]),
      cli(['user', 'show', 'grace@example.com', '--json']),
    ]);
    expect(again.code).toBe(1);
    expect(lines(again.stderr)).toEqual([
      '  row 2: an account with email grace@example.com already exists; an account with phone +14155550101 already exists; an account with slack_user_id U0GRACE already exists',
      '  row 3: an account with email alan@example.com already exists; an account with phone +14155550101#7 already exists',
      '  row 4: an account with email linus@example.com already exists',
      expect.stringMatching(/users-good\.csv: 3 bad rows; nothing was imported$/),
    ]);
    expect(json(show)).toMatchObject({ account: { email: 'grace@example.com', name: 'Hopper, Grace', role: 'admin', slackUserId: 'U0GRACE' } });
    expect(await state.store.db.selectFrom('accounts').select('id').execute()).toHaveLength(3);
    expect(await queuedEmails()).toHaveLength(3);
  });
});
