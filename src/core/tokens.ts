// One-time tokens: activation, reset and set-password links, change-password links,
// MFA enrolment. The secret (32 random bytes) goes into the link; only its SHA-256 is
// stored. Consuming is one conditional UPDATE, so of any number of racing attempts
// exactly one wins.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/db.js';
import type { AccountRow, TokenRow } from '../store/schema.js';
import type { CoreDeps } from './deps.js';
import type { EmailKind } from './effects.js';
import { ok, refuse, type Outcome } from './refusal.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';
import type { TokenOrigin, TokenPurpose } from './types.js';

/** Tokens that can set a password: a password change revokes every one still open. */
export const PASSWORD_TOKEN_PURPOSES: readonly TokenPurpose[] = ['reset', 'set_password', 'change_password'];

/** Wrong answers on a token's page that void it. */
export const MAX_TOKEN_FAILURES = 5;

const PAGE: Record<TokenPurpose, string> = {
  activation: 'activate',
  reset: 'reset',
  set_password: 'reset',
  change_password: 'change-password',
  mfa_enrol: 'mfa/enroll',
  email_change: 'confirm-email',
  email_change_report: 'email-not-me',
  security_reset: 'set-security',
};

/** A new address is confirmed, and a verified person's link used, within a day, whatever the reset TTL. */
const EMAIL_CHANGE_TTL_MS = 24 * 3600 * 1000;
/** The old address may say "this wasn't me" for a week: after the change too, it still opens a ticket. */
const EMAIL_REPORT_TTL_MS = 7 * 24 * 3600 * 1000;

function ttlOf(deps: CoreDeps, purpose: TokenPurpose): number {
  const { ttl } = deps.policy;
  switch (purpose) {
    case 'activation':
      return ttl.activationMs;
    case 'mfa_enrol':
      return ttl.mfaEnrolMs;
    case 'email_change':
    case 'security_reset':
      return EMAIL_CHANGE_TTL_MS;
    case 'email_change_report':
      return EMAIL_REPORT_TTL_MS;
    default:
      return ttl.resetMs;
  }
}

export function tokenLink(publicUrl: string, purpose: TokenPurpose, secret: string): string {
  return `${publicUrl}/${PAGE[purpose]}/${secret}`;
}

export interface IssuedToken {
  secret: string;
  link: string;
  expiresAt: number;
}

/**
 * Issues a token. A new token of a purpose revokes the account's earlier ones of the
 * same purpose, so only the newest link works.
 */
export interface TokenExtras {
  origin?: TokenOrigin;
  /** For an `email_change` link: the address it confirms. */
  newEmail?: string;
}

export async function issueToken(deps: CoreDeps, accountId: string, purpose: TokenPurpose, options: TokenExtras = {}): Promise<IssuedToken> {
  const now = deps.clock.now();
  // Inside a caller's transaction (a CSV import), join it rather than open another.
  if (deps.db.isTransaction) return insertToken(deps, deps.db, accountId, purpose, now, options);
  return deps.db.transaction().execute((trx) => insertToken(deps, trx, accountId, purpose, now, options));
}

/**
 * Issues a token unless `limit.max` of this purpose were issued to the account within
 * `limit.windowMs` (revoked ones count): null when over. The account row is locked for
 * the count, so a burst of requests can't all pass the check before any token exists.
 */
export async function issueTokenWithinLimit(
  deps: CoreDeps,
  accountId: string,
  purpose: TokenPurpose,
  limit: { max: number; windowMs: number },
  options: TokenExtras = {},
): Promise<IssuedToken | null> {
  const now = deps.clock.now();
  const origin = options.origin ?? null;
  return deps.db.transaction().execute(async (trx) => {
    // A no-op update takes the row lock on PostgreSQL; SQLite runs one writer at a time.
    await trx
      .updateTable('accounts')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', accountId)
      .execute();
    let recent = trx
      .selectFrom('one_time_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('created_at', '>', now - limit.windowMs);
    // With an origin, only the tokens of that origin count (the activation resends, not the creation's link).
    if (origin !== null) recent = recent.where('origin', '=', origin);
    const { n } = await recent.executeTakeFirstOrThrow();
    if (Number(n) >= limit.max) return null;
    return insertToken(deps, trx, accountId, purpose, now, options);
  });
}

/**
 * When issueTokenWithinLimit will next issue one (for the refusal's words): the oldest
 * counted token of the window, plus the window. A read for a message, never a check.
 */
export async function nextTokenWithinLimitAt(
  deps: CoreDeps,
  accountId: string,
  purpose: TokenPurpose,
  limit: { max: number; windowMs: number },
  options: { origin?: TokenOrigin } = {},
): Promise<number> {
  const now = deps.clock.now();
  let recent = deps.db
    .selectFrom('one_time_tokens')
    .select('created_at')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', now - limit.windowMs)
    .orderBy('created_at', 'desc')
    .limit(limit.max);
  if (options.origin !== undefined) recent = recent.where('origin', '=', options.origin);
  const rows = await recent.execute();
  const oldest = rows.length >= limit.max ? Number(rows[rows.length - 1]!.created_at) : now - limit.windowMs;
  return oldest + limit.windowMs;
}

async function insertToken(deps: CoreDeps, trx: Store, accountId: string, purpose: TokenPurpose, now: number, options: TokenExtras): Promise<IssuedToken> {
  const secret = newTokenSecret();
  const expiresAt = now + ttlOf(deps, purpose);
  await revokeTokens(trx, accountId, [purpose], now);
  await trx
    .insertInto('one_time_tokens')
    .values({
      id: randomUUID(),
      account_id: accountId,
      purpose,
      token_hash: hashTokenSecret(secret),
      created_at: now,
      expires_at: expiresAt,
      origin: options.origin ?? null,
      new_email: options.newEmail ?? null,
    })
    .execute();
  return { secret, link: tokenLink(deps.policy.publicUrl, purpose, secret), expiresAt };
}

export async function revokeTokens(db: Store, accountId: string, purposes: readonly TokenPurpose[], at: number): Promise<void> {
  await db
    .updateTable('one_time_tokens')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('purpose', 'in', [...purposes])
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Looks a token up without using it (to show its page). */
export async function inspectToken(deps: CoreDeps, secret: string, purposes: readonly TokenPurpose[]): Promise<Outcome<{ token: TokenRow }>> {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return refuse('token_invalid');
  const token = await deps.db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('token_hash', '=', hashTokenSecret(secret))
    .executeTakeFirst();
  if (!token || !purposes.includes(token.purpose)) return refuse('token_invalid');
  if (token.used_at !== null) return refuse('token_used');
  if (token.revoked_at !== null) return refuse('token_invalid');
  if (token.expires_at <= deps.clock.now()) return refuse('token_expired');
  return ok({ token });
}

/** Uses a token, exactly once. */
export async function consumeToken(deps: CoreDeps, secret: string, purposes: readonly TokenPurpose[]): Promise<Outcome<{ token: TokenRow }>> {
  const found = await inspectToken(deps, secret, purposes);
  if (!found.ok) return found;
  const now = deps.clock.now();
  const won = await deps.db
    .updateTable('one_time_tokens')
    .set({ used_at: now })
    .where('id', '=', found.token.id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return won ? ok({ token: { ...found.token, used_at: now } }) : refuse('token_used');
}

/** A try reserved on a link's page before its answer is verified. */
export interface TokenTry {
  tokenId: string;
  /** This try's place: the MAX_TOKEN_FAILURES-th wrong one voids the link. */
  slot: number;
}

/**
 * Reserves one try on a link, atomically, before a security answer, password or PIN is
 * verified. Once MAX_TOKEN_FAILURES tries are reserved the link is void: every further
 * try, already waiting or new, is refused unverified. Null when refused (the link is then
 * revoked, if it wasn't already).
 */
export async function reserveTokenTry(deps: CoreDeps, tokenId: string): Promise<TokenTry | null> {
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('one_time_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', tokenId)
    .where('failed_attempts', '<', MAX_TOKEN_FAILURES)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('failed_attempts')
    .executeTakeFirst();
  if (row) return { tokenId, slot: row.failed_attempts };
  await voidIfSpent(deps, tokenId);
  return null;
}

async function voidIfSpent(deps: CoreDeps, tokenId: string): Promise<void> {
  await deps.db
    .updateTable('one_time_tokens')
    .set({ revoked_at: deps.clock.now() })
    .where('id', '=', tokenId)
    .where('failed_attempts', '>=', MAX_TOKEN_FAILURES)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The reserved try was wrong: it keeps its slot, and the last one voids the link. Returns whether the link is now void. */
export async function settleTokenFailure(deps: CoreDeps, reserved: TokenTry): Promise<boolean> {
  if (reserved.slot < MAX_TOKEN_FAILURES) return false;
  await voidIfSpent(deps, reserved.tokenId);
  return true;
}

/** The reserved try was right (or not a guess): its slot goes back. */
export async function releaseTokenTry(deps: CoreDeps, reserved: TokenTry): Promise<void> {
  await deps.db
    .updateTable('one_time_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) }))
    .where('id', '=', reserved.tokenId)
    .where('failed_attempts', '>', 0)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Counts a wrong answer with nothing to verify (tests): reserve a try, settle it as wrong. Returns whether the link is now void. */
export async function recordTokenFailure(deps: CoreDeps, tokenId: string): Promise<boolean> {
  const reserved = await reserveTokenTry(deps, tokenId);
  return reserved ? settleTokenFailure(deps, reserved) : true;
}

/**
 * Emails a token's link to the account (or to `to`, for the admin-set policy), with its
 * expiry. The link travels sealed in the job; this is the one way a link leaves the core.
 */
export async function emailTokenLink(
  deps: CoreDeps,
  account: Pick<AccountRow, 'id' | 'email' | 'locale'>,
  token: IssuedToken,
  kind: EmailKind,
  options: { to?: string; facts?: Record<string, string | number> } = {},
): Promise<void> {
  await deps.effects.sendEmail({
    kind,
    accountId: account.id,
    to: options.to ?? account.email,
    locale: account.locale,
    secret: token.link,
    facts: { expiresAt: token.expiresAt, ...options.facts },
  });
}

/** How long a dead token (expired, used or revoked) is kept before the clean-up deletes it. */
export const TOKEN_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Deletes tokens dead for longer than `olderThanMs`: expired before, or used or revoked
 * before, now − olderThanMs. A live token is never touched. Returns how many went.
 */
export async function purgeExpiredTokens(deps: CoreDeps, olderThanMs: number = TOKEN_RETENTION_MS): Promise<number> {
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new Error('olderThanMs must be a non-negative number');
  const cutoff = deps.clock.now() - olderThanMs;
  const result = await deps.db
    .deleteFrom('one_time_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('used_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * How a try on a link ended: 'spent' when it was refused unverified (the link's tries
 * were already taken), 'voided' when this wrong try was the last one.
 */
export type LinkTry = 'right' | 'wrong' | 'voided' | 'spent';

/**
 * Verifies what a link's page asks (a security answer, a password) under the link's try
 * limit: the try is reserved before `verify` runs, a right one gives it back, and the
 * fifth wrong one voids the link.
 */
export async function verifyOnLink(deps: CoreDeps, tokenId: string, verify: () => Promise<boolean>): Promise<LinkTry> {
  const reserved = await reserveTokenTry(deps, tokenId);
  if (!reserved) return 'spent';
  if (await verify()) {
    await releaseTokenTry(deps, reserved);
    return 'right';
  }
  return (await settleTokenFailure(deps, reserved)) ? 'voided' : 'wrong';
}
