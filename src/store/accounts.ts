// Queries of the accounts table that more than one core module needs. The rules (who may
// read what, how a login name is parsed) stay in src/core; these only fetch.
import type { Store } from './db.js';
import type { AccountRow } from './schema.js';

/** How a login names an account, already normalised (src/core/identity.ts parseLogin). */
export type LoginName = { email: string } | { phone: string; extension: string };

export async function findAccountByLogin(db: Store, login: LoginName): Promise<AccountRow | undefined> {
  const query = db.selectFrom('accounts').selectAll();
  return 'email' in login
    ? query.where('email', '=', login.email).executeTakeFirst()
    : query.where('phone', '=', login.phone).where('extension', '=', login.extension).executeTakeFirst();
}

export async function findAccountById(db: Store, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountBySlackId(db: Store, slackUserId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('slack_user_id', '=', slackUserId).executeTakeFirst();
}

export async function findAccountByEmail(db: Store, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}
