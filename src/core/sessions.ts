// Sign-in sessions, as POST /api/v1/login hands them out. The token is 256 random bits;
// only its SHA-256 is stored (like link tokens: nothing to slow down guessing against).
// A session lives while it is not ended and both expiries are ahead: the idle one slides
// on each use, never past the absolute one. The slide is one conditional UPDATE, so a
// use racing a logout can never bring an ended session back.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/db.js';
import { findAccountById } from '../store/accounts.js';
import type { Insertable } from 'kysely';
import type { AccountRow, SessionsTable } from '../store/schema.js';
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';
import type { SessionEndReason } from './types.js';

export interface IssuedSession {
  /** The bearer token: shown once, to the client that signed in. */
  token: string;
  /** The idle expiry (ms epoch): when the session ends unless used before. */
  expiresAt: number;
}

/** What a session token looks like: base64url, 43 characters for 32 bytes. Anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const accountActor = (account: Pick<AccountRow, 'id' | 'role'>, clientAddress: string | null = null): Actor => ({
  id: account.id,
  kind: 'account',
  role: account.role,
  clientAddress,
});

/**
 * A new session's row (its token hashed) and what the client is handed, not yet written:
 * the sign-in writes it with its other writes (`finishSignIn` in login.ts), after the
 * guarded UPDATE of the account row, so a racing password change or disable either fails
 * that guard or waits for this row and then ends it (endAllSessions runs after the change).
 *
 * Not audited on its own: the sign-in is already on record (login_attempts `success`, with
 * the address), and the session row keeps when and from where it started; one audit line
 * per sign-in would drown the log.
 */
export function newSessionRow(deps: CoreDeps, accountId: string, clientAddress: string | null): { row: NewSessionRow; issued: IssuedSession } {
  const now = deps.clock.now();
  const token = newTokenSecret();
  const absolute = now + deps.policy.session.maxMs;
  const expiresAt = Math.min(now + deps.policy.session.idleMs, absolute);
  const row: NewSessionRow = {
    id: randomUUID(),
    account_id: accountId,
    token_hash: hashTokenSecret(token),
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    absolute_expires_at: absolute,
    client_address: clientAddress,
  };
  return { row, issued: { token, expiresAt } };
}

/** The columns a new session sets (ended_at and ended_reason stay null). */
export type NewSessionRow = Omit<Insertable<SessionsTable>, 'ended_at' | 'ended_reason'> & { client_address: string | null };

export interface VerifiedSession {
  account: AccountRow;
  sessionId: string;
  /** The new idle expiry, after this use slid it. */
  expiresAt: number;
}

/**
 * Checks a session token and slides its idle expiry, in one conditional UPDATE: only a
 * session not ended, not expired (idle or absolute) and of an active account moves, and
 * it moves to min(now + idle, absolute). Null for anything else.
 */
export async function verifySession(deps: CoreDeps, token: string): Promise<VerifiedSession | null> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
  const now = deps.clock.now();
  const slid = now + deps.policy.session.idleMs;
  const row = await deps.db
    .updateTable('sessions')
    .set((eb) => ({
      last_seen_at: now,
      expires_at: eb.case().when('absolute_expires_at', '<', slid).then(eb.ref('absolute_expires_at')).else(slid).end(),
    }))
    .where('token_hash', '=', hashTokenSecret(token))
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accounts')
          .select('accounts.id')
          .whereRef('accounts.id', '=', 'sessions.account_id')
          .where('accounts.status', '=', 'active'),
      ),
    )
    .returning(['id', 'account_id', 'expires_at'])
    .executeTakeFirst();
  if (!row) return null;
  // Read after the slide: an account disabled in between is refused here too (and its
  // sessions were ended by the disable anyway).
  const account = await findAccountById(deps.db, row.account_id);
  if (account?.status !== 'active') return null;
  return { account, sessionId: row.id, expiresAt: Number(row.expires_at) };
}

/**
 * Ends the session a token names (a logout). Idempotent: an unknown, garbage or already
 * ended token changes nothing. Returns whether a session was ended by this call.
 */
export async function endSession(deps: CoreDeps, token: string, clientAddress: string | null = null): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return false;
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('sessions')
    .set({ ended_at: now, ended_reason: 'logout' })
    .where('token_hash', '=', hashTokenSecret(token))
    .where('ended_at', 'is', null)
    .returning(['id', 'account_id'])
    .executeTakeFirst();
  if (!row) return false;
  const account = await findAccountById(deps.db, row.account_id);
  await writeAudit(deps.db, now, {
    actor: account ? accountActor(account, clientAddress) : { id: row.account_id, kind: 'account', clientAddress },
    action: 'logout',
    targetAccountId: row.account_id,
    detail: { session_id: row.id },
  });
  return true;
}

/**
 * Ends every live session of an account (a password change or reset, an admin reset, an
 * MFA clear, a disable, an email change, "sign out everywhere"). Takes the store rather
 * than deps so it can run inside a caller's transaction. Audits `sessions_ended` with the
 * count and reason when any was ended; returns how many.
 */
export async function endAllSessions(db: Store, accountId: string, reason: SessionEndReason, at: number, actor: Actor): Promise<number> {
  const ended = await db
    .updateTable('sessions')
    .set({ ended_at: at, ended_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', at)
    .where('absolute_expires_at', '>', at)
    .returning('id')
    .execute();
  if (ended.length > 0) {
    await writeAudit(db, at, { actor, action: 'sessions_ended', targetAccountId: accountId, detail: { count: ended.length, reason } });
  }
  return ended.length;
}

/** How many sessions of an account are live now. */
export async function countActiveSessions(deps: CoreDeps, accountId: string): Promise<number> {
  const now = deps.clock.now();
  const row = await deps.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * "Sign out everywhere", asked by the account itself (the Home tab's button): ends all of
 * its sessions and audits `sign_out_everywhere` with the count, even when it was none.
 */
export async function signOutEverywhere(deps: CoreDeps, actor: Actor, accountId: string): Promise<number> {
  const now = deps.clock.now();
  const count = await endAllSessions(deps.db, accountId, 'sign_out_everywhere', now, actor);
  await writeAudit(deps.db, now, { actor, action: 'sign_out_everywhere', targetAccountId: accountId, detail: { count } });
  return count;
}

/** How long an expired or ended session is kept before the clean-up deletes it. */
export const SESSION_RETENTION_MS = 24 * 3600 * 1000;

/** Deletes sessions dead (expired or ended) for longer than `olderThanMs`. Returns how many went. */
export async function purgeDeadSessions(deps: CoreDeps, olderThanMs: number = SESSION_RETENTION_MS): Promise<number> {
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new Error('olderThanMs must be a non-negative number');
  const cutoff = deps.clock.now() - olderThanMs;
  const result = await deps.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('absolute_expires_at', '<', cutoff), eb('ended_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
