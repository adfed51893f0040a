// login_attempts: every sign-in attempt and every guess that counts toward lockout, with
// how it ended and from where (never what was typed). Append-only in the store; read
// back for /login-help, the lock report and `keydesk user show`.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps.js';
import type { AttemptResult } from './types.js';

/** Appends one row to login_attempts: what was tried, from where, and how it ended. */
export async function recordAttempt(deps: CoreDeps, accountId: string | null, result: AttemptResult, clientAddress: string | null): Promise<void> {
  await deps.db.insertInto('login_attempts').values(attemptRow(deps, accountId, result, clientAddress)).execute();
}

/** One login_attempts row, not yet written. */
export function attemptRow(deps: CoreDeps, accountId: string | null, result: AttemptResult, clientAddress: string | null) {
  return { id: randomUUID(), account_id: accountId, at: deps.clock.now(), client_address: clientAddress, result };
}

/** The last attempts on an account, newest first (what /login-help shows). */
export async function recentAttempts(deps: CoreDeps, accountId: string, limit = 5) {
  return deps.db
    .selectFrom('login_attempts')
    .select(['at', 'client_address', 'result'])
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
}
