// One set of migrations for PostgreSQL and SQLite, written with Kysely's schema builder.
// Kept in code (not files on disk) so that the same list runs from tsx, the CLI and tests.
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';

const initial: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('extension', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('slack_user_id', 'text')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('disabled_note', 'text')
      .addColumn('locked_until', 'bigint')
      .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failure_window_start', 'bigint')
      .addColumn('password_hash', 'text')
      .addColumn('temp_password_expires_at', 'bigint')
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pin_hash', 'text')
      .addColumn('totp_secret_enc', 'text')
      .addColumn('totp_last_step', 'bigint')
      .addColumn('security_question', 'text')
      .addColumn('security_answer_hash', 'text')
      .addColumn('password_changed_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // The app stores emails lower-cased; the index on lower() makes that a rule of the store too.
    await db.schema
      .createIndex('accounts_email_unique')
      .on('accounts')
      .unique()
      .expression(sql`lower(email)`)
      .execute();
    await db.schema.createIndex('accounts_phone_unique').on('accounts').unique().columns(['phone', 'extension']).execute();
    await db.schema.createIndex('accounts_slack_unique').on('accounts').unique().column('slack_user_id').execute();
    await db.schema.createIndex('accounts_locked_until').on('accounts').column('locked_until').execute();

    await db.schema
      .createTable('access_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text')
      .addColumn('hash_key_id', 'text')
      .addColumn('revealed_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('replaced_by', 'text')
      .execute();
    await db.schema.createIndex('access_keys_account').on('access_keys').column('account_id').execute();

    await db.schema
      .createTable('one_time_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('tokens_account').on('one_time_tokens').columns(['account_id', 'purpose']).execute();
    await db.schema.createIndex('tokens_expires').on('one_time_tokens').column('expires_at').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('client_address', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_attempts_account_at').on('login_attempts').columns(['account_id', 'at']).execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('requester_slack_id', 'text')
      .addColumn('channel', 'text')
      .addColumn('message_ts', 'text')
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'created_at']).execute();

    // No foreign key on target_account_id: the audit log outlives what it speaks of.
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_account_id', 'text')
      .addColumn('client_address', 'text')
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('audit_target_at').on('audit_log').columns(['target_account_id', 'at']).execute();
  },
};

/**
 * At most one pending (open or claimed) ticket of a kind about one account — or, with no
 * account, from one Slack user: two racing requests can't both open one.
 */
const onePendingTicket: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('tickets_one_pending')
      .on('tickets')
      .unique()
      .expression(sql`kind, coalesce(account_id, requester_slack_id, id)`)
      .where(sql.ref('status'), 'in', ['open', 'claimed'])
      .execute();
  },
};

/**
 * Makes a table append-only as a rule of the store, not only a habit of the code: any
 * UPDATE or DELETE aborts. The names (`<table>_append_only`, `<table>_no_change`, …) are
 * those migration 0003 created for the audit log.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
async function makeAppendOnly(db: Kysely<any>, table: 'audit_log' | 'login_attempts'): Promise<void> {
  const message = sql.lit(`${table} is append-only`);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function ${sql.raw(`${table}_append_only`)}() returns trigger language plpgsql as $$
      begin raise exception ${message}; end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_change`)} before update or delete on ${sql.table(table)}
      for each row execute function ${sql.raw(`${table}_append_only`)}()`.execute(db);
  } else {
    for (const verb of ['update', 'delete'] as const) {
      await sql`create trigger ${sql.raw(`${table}_no_${verb}`)} before ${sql.raw(verb)} on ${sql.table(table)}
        begin select raise(abort, ${message}); end`.execute(db);
    }
  }
}

/** The audit log is append-only as a rule of the store, not only a habit of the code. */
const appendOnlyAudit: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await makeAppendOnly(db, 'audit_log');
  },
};

/**
 * login_attempts is append-only like the audit log (what was tried must stay on record),
 * and a token remembers where it came from, so the change link a temporary password's one
 * sign-in earned is the only place that password still counts as "current".
 */
const appendOnlyAttemptsAndTokenOrigin: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema.alterTable('one_time_tokens').addColumn('origin', 'text').execute();
    await makeAppendOnly(db, 'login_attempts');
  },
};

/**
 * Sign-in sessions (POST /api/v1/login): only the SHA-256 of the token is stored. A
 * session is live while ended_at is null and both expiries are ahead; expires_at slides
 * on each use, never past absolute_expires_at.
 */
const sessions: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('ended_reason', 'text')
      .addColumn('client_address', 'text')
      .execute();
    await db.schema.createIndex('sessions_token_hash').on('sessions').unique().column('token_hash').execute();
    await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
  },
};

/** An email-change confirmation link carries the address it confirms. */
const emailChange: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema.alterTable('one_time_tokens').addColumn('new_email', 'text').execute();
  },
};

/**
 * Whether the account's language was chosen (by its owner on the Home tab or a page, or by
 * the CLI): 0 while it only follows Slack's locale, which a link then may overwrite.
 */
const localeChoice: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema.alterTable('accounts').addColumn('locale_chosen', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};

/** Agents' replies in a ticket card's thread, kept as the ticket's history. */
const ticketReplies: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('ticket_replies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('slack_user_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('message_ts', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ticket_replies_message').on('ticket_replies').unique().columns(['ticket_id', 'message_ts']).execute();
  },
};

/**
 * Second factors by email or SMS: the account's chosen method (null: none; 'totp' when a
 * TOTP secret is enrolled) and the one-time codes sent to a channel. A code is stored as an
 * HMAC under a server key (6 digits are too few for a plain hash), lives 10 minutes, is
 * used once, and counts its failed tries (5 end it).
 */
const secondFactor: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema.alterTable('accounts').addColumn('mfa_method', 'text').execute();
    await db.updateTable('accounts').set({ mfa_method: 'totp' }).where('totp_secret_enc', 'is not', null).execute();
    await db.schema
      .createTable('otp_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('otp_codes_account').on('otp_codes').columns(['account_id', 'created_at']).execute();
  },
};

/**
 * Finding a person's pending ticket of a kind (findPendingTicket: every unlock notice, every
 * request) looked at every pending ticket through tickets_status; with thousands open, each
 * lookup read them all. These indexes go straight to the account's, or the requester's; the
 * third finds the ticket a reply in the helpdesk channel is under (findTicketByCard), which
 * read every ticket ever opened. audit_actor_at serves an account's trail (what it did or had
 * done to it: `actor = ? or target_account_id = ?`), which read the whole audit log.
 */
const ticketLookups: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>) {
    await db.schema.createIndex('tickets_account_kind').on('tickets').columns(['account_id', 'kind', 'status']).execute();
    await db.schema.createIndex('tickets_requester_kind').on('tickets').columns(['requester_slack_id', 'kind', 'status']).execute();
    await db.schema.createIndex('tickets_card').on('tickets').columns(['channel', 'message_ts']).execute();
    await db.schema.createIndex('audit_actor_at').on('audit_log').columns(['actor', 'at']).execute();
  },
};

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_one_pending_ticket': onePendingTicket,
  '0003_append_only_audit': appendOnlyAudit,
  '0004_append_only_attempts_token_origin': appendOnlyAttemptsAndTokenOrigin,
  '0005_sessions': sessions,
  '0006_email_change': emailChange,
  '0007_locale_choice': localeChoice,
  '0008_ticket_replies': ticketReplies,
  '0009_second_factor': secondFactor,
  '0010_ticket_lookups': ticketLookups,
};

class InCodeProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema may be migrated
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
