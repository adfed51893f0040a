// Lockout: N failures within a window lock the account until `locked_until`.
// The count, the window start and the lock change in one conditional UPDATE, so any
// number of concurrent failures make exactly one lock, and failures while locked add
// nothing. The login check enforces `locked_until` itself; the expiry job only tidies
// up and tells people, so a late or lost job can never extend a lock.
import { sql } from 'kysely';
import type { AccountRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import { SYSTEM_ACTOR, type Actor, type CoreDeps } from './deps.js';
import { findAccountById } from './identity.js';
import { ok, refuse, type Locale, type Outcome } from './refusal.js';

export function isLocked(account: Pick<AccountRow, 'locked_until'>, now: number): boolean {
  return account.locked_until !== null && account.locked_until > now;
}

/**
 * Counts one failed attempt. Returns the lock's end when this very failure locked the
 * account, else null.
 */
export async function recordFailure(deps: CoreDeps, account: AccountRow, actor: Actor): Promise<number | null> {
  const now = deps.clock.now();
  const { threshold, windowMs, durationMs } = deps.policy.lockout;
  // A new window starts when there is none, when it has passed, or after an ended lock.
  // Numbers are inlined (sql.lit): they come from the clock and config, never from input,
  // and PostgreSQL can't infer a type for a bound parameter inside CASE.
  const lit = (n: number) => sql.lit(Math.trunc(n));
  const fresh = sql<boolean>`(failure_window_start is null or failure_window_start <= ${lit(now - windowMs)} or locked_until is not null)`;
  const nextCount = sql<number>`(case when ${fresh} then 1 else failed_count + 1 end)`;
  const row = await deps.db
    .updateTable('accounts')
    .set({
      failed_count: nextCount,
      failure_window_start: sql<number>`(case when ${fresh} then ${lit(now)} else failure_window_start end)`,
      locked_until: sql<number | null>`(case when ${nextCount} >= ${lit(threshold)} then ${lit(now + durationMs)} else null end)`,
      updated_at: now,
    })
    .where('id', '=', account.id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['failed_count', 'locked_until'])
    .executeTakeFirst();
  if (!row || row.locked_until === null || row.locked_until <= now) return null;

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
    locale: account.locale as Locale,
    facts: { lockedAt: now, lockedUntil: row.locked_until, failures: row.failed_count },
  });
  await deps.effects.notify({ kind: 'account_locked', accountId: account.id, lockedAt: now, lockedUntil: row.locked_until, failures: row.failed_count });
  return row.locked_until;
}

/**
 * A good login: the failure count starts over. A lock that a racing wrong guess set in
 * the meantime stays: only an ended lock is tidied away here.
 */
export async function resetFailures(deps: CoreDeps, accountId: string, now: number): Promise<void> {
  await deps.db
    .updateTable('accounts')
    .set({ failed_count: 0, failure_window_start: null, locked_until: null })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('failed_count', '>', 0), eb('locked_until', 'is not', null)]))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}

/**
 * Ends a lock now (an admin unlock, or a password reset). Returns the lock's end it
 * cleared, or null when the account was not locked.
 */
export async function endLock(deps: CoreDeps, account: AccountRow, actor: Actor, why: 'unlock' | 'password_reset'): Promise<number | null> {
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
    await writeAudit(deps.db, now, { actor, action: 'unlock', targetAccountId: account.id, detail: { why } });
    await deps.effects.sendEmail({
      kind: 'account_unlocked',
      accountId: account.id,
      to: account.email,
      locale: account.locale as Locale,
      facts: { how: why },
    });
    await deps.effects.notify({ kind: 'account_unlocked', accountId: account.id, how: why, at: now });
  }
  return was;
}

/** `/unlock @user`, `keydesk user unlock`: an admin ends a lock. */
export async function unlockAccount(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome<{ wasLocked: boolean }>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'unlock', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  const was = await endLock(deps, account, actor, 'unlock');
  return ok({ wasLocked: was !== null && was > deps.clock.now() });
}

export type ExpiryOutcome = 'cleared' | 'early' | 'gone';

/**
 * The lock-expiry job: clears the lock it was scheduled for once the clock has reached
 * it. 'early' asks the worker to try again later; 'gone' means the lock already ended
 * (an unlock, a reset) or was replaced by another.
 */
export async function expireLock(deps: CoreDeps, accountId: string, lockedUntil: number): Promise<ExpiryOutcome> {
  const now = deps.clock.now();
  if (now < lockedUntil) return 'early';
  const cleared = await deps.db
    .updateTable('accounts')
    .set({ locked_until: null, failed_count: 0, failure_window_start: null, updated_at: now })
    .where('id', '=', accountId)
    .where('locked_until', '=', lockedUntil)
    .returning(['email', 'locale'])
    .executeTakeFirst();
  if (!cleared) return 'gone';
  await writeAudit(deps.db, now, { actor: SYSTEM_ACTOR, action: 'lock_expired', targetAccountId: accountId, detail: { locked_until: lockedUntil } });
  await deps.effects.sendEmail({
    kind: 'account_unlocked',
    accountId,
    to: cleared.email,
    locale: cleared.locale as Locale,
    facts: { how: 'expired' },
  });
  await deps.effects.notify({ kind: 'account_unlocked', accountId, how: 'expired', at: now });
  return 'cleared';
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
