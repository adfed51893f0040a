// Lockout: N failures within a window lock the account until `locked_until`.
// An attempt is reserved (counted) in one conditional UPDATE *before* its secret is
// verified, and refused unverified once N are reserved or the account is locked, so a
// concurrent burst verifies at most N guesses per lock cycle and makes exactly one lock. The login check enforces `locked_until` itself; the expiry job only tidies
// up and tells people, so a late or lost job can never extend a lock.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AccountRow, Database } from '../store/schema.js';
import { bigintParam } from '../store/db.js';
import { writeAudit, writeAudits } from './audit.js';
import { authorizeAdmin } from './authority.js';
import { SYSTEM_ACTOR, type Actor, type CoreDeps } from './deps.js';
import { findAccountById } from '../store/accounts.js';
import { ok, refuse, type Outcome } from './refusal.js';

export function isLocked(account: Pick<AccountRow, 'locked_until'>, now: number): boolean {
  return account.locked_until !== null && account.locked_until > now;
}

/**
 * An attempt reserved on an account before its secret is verified. Every attempt is
 * counted as a failure up front; a right one gives its slot back (or clears the count).
 */
export interface AttemptReservation {
  accountId: string;
  /** This attempt's place in the window: the threshold-th wrong one locks. */
  slot: number;
  windowStart: number;
}

export type ReserveOutcome = { ok: true; reservation: AttemptReservation } | { ok: false; lockedUntil: number | null };

/**
 * Reserves one attempt, atomically, before any password, PIN or code is verified. Once
 * `threshold` attempts are reserved inside the window, or the account is locked, every
 * further attempt is refused here without being verified: whatever the concurrency, at
 * most `threshold` wrong guesses are ever checked per lock cycle.
 */
export async function reserveAttempt(deps: CoreDeps, accountId: string): Promise<ReserveOutcome> {
  const now = deps.clock.now();
  const { threshold, windowMs } = deps.policy.lockout;
  // A new window starts when there is none, when it has passed, or after an ended lock.
  // The numbers are bound with their type (bigintParam): PostgreSQL can't type a bare
  // parameter inside CASE.
  const fresh = sql<boolean>`(failure_window_start is null or failure_window_start <= ${bigintParam(now - windowMs)} or locked_until is not null)`;
  const row = await deps.db
    .updateTable('accounts')
    .set({
      failed_count: sql<number>`(case when ${fresh} then 1 else failed_count + 1 end)`,
      failure_window_start: sql<number>`(case when ${fresh} then ${bigintParam(now)} else failure_window_start end)`,
      locked_until: null,
    })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .where(sql<boolean>`(${fresh} or failed_count < ${bigintParam(threshold)})`)
    .returning(['failed_count', 'failure_window_start'])
    .executeTakeFirst();
  if (row && row.failure_window_start !== null) {
    return { ok: true, reservation: { accountId, slot: row.failed_count, windowStart: row.failure_window_start } };
  }
  const current = await deps.db.selectFrom('accounts').select('locked_until').where('id', '=', accountId).executeTakeFirst();
  const lockedUntil = current?.locked_until != null && current.locked_until > now ? current.locked_until : null;
  return { ok: false, lockedUntil };
}

/**
 * The reserved attempt was wrong. Its slot already counts; the threshold-th wrong one
 * locks the account (one conditional UPDATE, so exactly one lock per cycle). Returns the
 * lock's end when this very failure locked the account, else null.
 */
export async function settleFailure(deps: CoreDeps, account: AccountRow, reservation: AttemptReservation, actor: Actor): Promise<number | null> {
  const { threshold, durationMs } = deps.policy.lockout;
  if (reservation.slot < threshold) return null;
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('accounts')
    .set({ locked_until: now + durationMs, updated_at: now })
    .where('id', '=', account.id)
    .where('failure_window_start', '=', reservation.windowStart)
    .where('failed_count', '>=', threshold)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['failed_count', 'locked_until'])
    .executeTakeFirst();
  if (!row || row.locked_until === null) return null;
  deps.metrics?.accountLocked();
  const clientAddress = actor.clientAddress ?? null;

  await writeAudit(deps.db, now, {
    actor,
    action: 'lock',
    targetAccountId: account.id,
    detail: { failures: row.failed_count, locked_until: row.locked_until },
  });
  await deps.effects.scheduleLockExpiry(account.id, row.locked_until);
  await deps.effects.sendEmail({
    kind: 'account_locked',
    accountId: account.id,
    to: account.email,
    locale: account.locale,
    // The failing attempt's address, when known: the owner sees where the last try came from.
    facts: { lockedAt: now, lockedUntil: row.locked_until, failures: row.failed_count, ...(clientAddress !== null ? { clientAddress } : {}) },
  });
  await deps.effects.notify({ kind: 'account_locked', accountId: account.id, lockedAt: now, lockedUntil: row.locked_until, failures: row.failed_count, clientAddress });
  return row.locked_until;
}

/**
 * The reserved attempt was not a guess after all (a right password that still needs its
 * code, or an attempt refused before anything was checked): its slot goes back.
 */
export async function releaseAttempt(deps: CoreDeps, reservation: AttemptReservation): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ failed_count: sql<number>`failed_count - 1` })
    .where('id', '=', reservation.accountId)
    .where('failed_count', '>', 0)
    .where('failure_window_start', '=', reservation.windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}

/**
 * A right answer: the count starts over, but only if the account is still unlocked at
 * this instant. False when a racing wrong guess locked it meanwhile: the success is then
 * refused like any attempt on a locked account.
 */
export async function settleSuccess(deps: CoreDeps, accountId: string): Promise<boolean> {
  const row = await deps.db
    .updateTable('accounts')
    .set(LOCKOUT_CLEARED)
    .where('id', '=', accountId)
    .where(unlockedAt(deps.clock.now()))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** What a right answer writes on the account: the count starts over. */
export const LOCKOUT_CLEARED = { failed_count: 0, failure_window_start: null, locked_until: null } as const;

/** The guard of a right answer: the account is not locked at `now` (a racing lock wins). */
export const unlockedAt =
  (now: number) =>
  (eb: ExpressionBuilder<Database, 'accounts'>): Expression<SqlBool> =>
    eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]);

/** One failure with nothing to verify (fixtures, tests): reserve, then settle as wrong. */
export async function recordFailure(deps: CoreDeps, account: AccountRow, actor: Actor): Promise<number | null> {
  const reserved = await reserveAttempt(deps, account.id);
  return reserved.ok ? settleFailure(deps, account, reserved.reservation, actor) : null;
}

/**
 * Ends a lock now (an admin unlock, or a password reset). Returns the lock's end it
 * cleared, or null when the account was not locked.
 */
export async function endLock(
  deps: CoreDeps,
  account: AccountRow,
  actor: Actor,
  why: 'unlock' | 'password_reset',
  approvalId?: string,
): Promise<number | null> {
  const now = deps.clock.now();
  const was = account.locked_until;
  await deps.db
    .updateTable('accounts')
    .set({ locked_until: null, failed_count: 0, failure_window_start: null, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  if (was === null) return null;
  await deps.effects.cancelLockExpiry(account.id, was);
  if (was > now) {
    deps.metrics?.accountUnlocked(why);
    // An approved request's unlock names the ticket: the record of who was told what.
    const detail: Record<string, string> = approvalId === undefined ? { why } : { why, ticket_id: approvalId };
    await writeAudit(deps.db, now, { actor, action: 'unlock', targetAccountId: account.id, detail });
    await deps.effects.sendEmail({
      kind: 'account_unlocked',
      accountId: account.id,
      to: account.email,
      locale: account.locale,
      facts: { how: why },
    });
    await deps.effects.notify({ kind: 'account_unlocked', accountId: account.id, how: why, at: now, ...(approvalId === undefined ? {} : { approvalId }) });
  }
  return was;
}

/**
 * `/unlock @user`, `keydesk user unlock`, an approved unlock request: an admin ends a lock.
 * `approvalId` names the approved request, recorded in the audit and the owner's notice.
 */
export async function unlockAccount(deps: CoreDeps, actor: Actor, accountId: string, approvalId?: string): Promise<Outcome<{ wasLocked: boolean }>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'unlock', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  const was = await endLock(deps, account, actor, 'unlock', approvalId);
  return ok({ wasLocked: was !== null && was > deps.clock.now() });
}

export type ExpiryOutcome = 'cleared' | 'early' | 'gone';

/** How many ended locks one expiry job clears at most (the next job takes the rest). */
const SWEEP_LIMIT = 500;

/**
 * The lock-expiry job: once the clock has reached the lock it was scheduled for, clears it
 * — and with it every other lock that has ended by now (up to SWEEP_LIMIT), in one guarded
 * UPDATE: a thousand locks ending in the same second are cleared by the first jobs to run,
 * and the rest find theirs gone; a lost job's lock is cleared by the next one. Each cleared
 * lock is audited and told once: the UPDATE re-checks each row (`locked_until <= now`),
 * so of two jobs sweeping at once only one clears a given lock. 'early' asks the worker to try
 * again later; 'gone' means this job's lock already ended (swept, an unlock, a reset) or
 * was replaced by another.
 */
export async function expireLock(deps: CoreDeps, accountId: string, lockedUntil: number): Promise<ExpiryOutcome> {
  const now = deps.clock.now();
  if (now < lockedUntil) return 'early';
  const due = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'locale', 'locked_until'])
    .where('locked_until', '<=', now)
    .orderBy(sql`(case when id = ${accountId} then 0 else 1 end)`)
    .orderBy('locked_until')
    .limit(SWEEP_LIMIT)
    .execute();
  if (due.length === 0) return 'gone';
  const won = await deps.db
    .updateTable('accounts')
    .set({ locked_until: null, failed_count: 0, failure_window_start: null, updated_at: now })
    .where('id', 'in', due.map((d) => d.id))
    // Re-checked per row: a lock ended meanwhile by another sweep, an unlock or a new
    // lock (which ends in the future) is not this sweep's to clear.
    .where('locked_until', '<=', now)
    .returning('id')
    .execute();
  const clearedIds = new Set(won.map((w) => w.id));
  const cleared = due.filter((d) => clearedIds.has(d.id));
  for (const _ of cleared) deps.metrics?.accountUnlocked('expired');
  await writeAudits(
    deps.db,
    now,
    cleared.map((d) => ({ actor: SYSTEM_ACTOR, action: 'lock_expired', targetAccountId: d.id, detail: { locked_until: d.locked_until } })),
  );
  // The Slack notices are queued first: the owner is told where they work, and a thousand
  // emails queued ahead would hold the notices back behind them.
  await deps.effects.notify(...cleared.map((d) => ({ kind: 'account_unlocked' as const, accountId: d.id, how: 'expired' as const, at: now })));
  await Promise.all(
    cleared.map((d) => deps.effects.sendEmail({ kind: 'account_unlocked', accountId: d.id, to: d.email, locale: d.locale, facts: { how: 'expired' } })),
  );
  const own = (d: (typeof cleared)[number]) => d.id === accountId && d.locked_until === lockedUntil;
  // The other swept locks' jobs have nothing left to do: taken off the queue instead of each
  // running only to find its lock gone. A job already running stays (and finds it gone); a
  // cancel that fails changes nothing either, so it is not this job's failure.
  await Promise.allSettled(cleared.filter((d) => !own(d)).map((d) => deps.effects.cancelLockExpiry(d.id, d.locked_until!)));
  return cleared.some(own) ? 'cleared' : 'gone';
}

/** Accounts locked now, soonest to unlock first (for `/helpdesk locked` and the CLI). */
export async function listLocked(deps: CoreDeps, limit = 100, offset = 0): Promise<AccountRow[]> {
  return deps.db
    .selectFrom('accounts')
    .selectAll()
    .where('locked_until', '>', deps.clock.now())
    .orderBy('locked_until')
    .limit(limit)
    .offset(offset)
    .execute();
}
