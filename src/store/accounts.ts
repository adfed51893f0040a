// Queries of the accounts table that more than one core module needs. The rules (who may
// read what, how a login name is parsed) stay in src/core; these only fetch.
import { sql } from 'kysely';
import type { Store } from './db.js';
import type { AccountRow } from './schema.js';

/**
 * The column to match an email on: `lower(email)`, the expression the unique index is on
 * (accounts_email_unique). Emails are stored lower-cased, so `email = ?` found the same
 * row, but by reading the whole table: on every sign-in.
 */
export const EMAIL_KEY = sql<string>`lower(email)`;

/** How a login names an account, already normalised (src/core/identity.ts parseLogin). */
export type LoginName = { email: string } | { phone: string; extension: string };

export async function findAccountByLogin(db: Store, login: LoginName): Promise<AccountRow | undefined> {
  const query = db.selectFrom('accounts').selectAll();
  return 'email' in login
    ? query.where(EMAIL_KEY, '=', login.email).executeTakeFirst()
    : query.where('phone', '=', login.phone).where('extension', '=', login.extension).executeTakeFirst();
}

export async function findAccountById(db: Store, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountBySlackId(db: Store, slackUserId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('slack_user_id', '=', slackUserId).executeTakeFirst();
}

export async function findAccountByEmail(db: Store, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where(EMAIL_KEY, '=', email).executeTakeFirst();
}
