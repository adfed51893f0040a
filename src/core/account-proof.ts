// The proof every section of the "My account" page asks before it changes anything: the
// link the owner was DMed (or earned by a temporary password's one sign-in), the current
// password and the PIN. Both are guesses, so a try is reserved on the link and an attempt
// on the account's lockout before either is verified; a wrong pair keeps both.
import type { AccountRow, TokenRow } from '../store/schema.js';
import { findAccountById } from '../store/accounts.js';
import type { Actor, CoreDeps } from './deps.js';
import { releaseAttempt, reserveAttempt, settleFailure, settleSuccess } from './lockout.js';
import { recordAttempt } from './login-attempts.js';
import { normalizePassword } from './password-policy.js';
import { ok, refuse, type Outcome, type Refusal } from './refusal.js';
import { inspectToken, releaseTokenTry, reserveTokenTry, settleTokenFailure } from './tokens.js';

export interface OwnerProof {
  currentPassword: string;
  pin: string;
}

export interface ProvenOwner {
  account: AccountRow;
  token: TokenRow;
}

/** The link's token and an account that may use it, or the refusal the page shows. */
export async function ownerLink(deps: CoreDeps, secret: string): Promise<Outcome<ProvenOwner>> {
  const found = await inspectToken(deps, secret, ['change_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account || account.status !== 'active' || !account.password_hash || !account.pin_hash) return refuse('token_invalid');
  return ok({ account, token: found.token });
}

/**
 * Checks the current password and PIN on a "My account" link, under the link's five tries
 * and the account's lockout. Uses nothing: the caller consumes the link once its own
 * input is valid, so a typo in a new password doesn't cost a link.
 */
export async function proveOwner(deps: CoreDeps, actor: Actor, secret: string, proof: OwnerProof): Promise<Outcome<ProvenOwner>> {
  const link = await ownerLink(deps, secret);
  if (!link.ok) return link;
  const { account, token } = link;
  const passwordHash = account.password_hash!;
  const pinHash = account.pin_hash!;
  if (deps.hasher.busy) return refuse('busy');

  const linkTry = await reserveTokenTry(deps, token.id);
  if (!linkTry) return refuse('token_invalid');
  const reserved = await reserveAttempt(deps, account.id);
  if (!reserved.ok) {
    await releaseTokenTry(deps, linkTry);
    return lockedRefusal(reserved.lockedUntil);
  }
  const { reservation } = reserved;
  const [passwordOk, pinOk] = await Promise.all([
    deps.hasher.verify(passwordHash, normalizePassword(proof.currentPassword)),
    deps.hasher.verify(pinHash, proof.pin),
  ]);
  if (!passwordOk || !pinOk) {
    await settleFailure(deps, account, reservation, actor);
    const voided = await settleTokenFailure(deps, linkTry);
    await recordAttempt(deps, account.id, passwordOk ? 'wrong_pin' : 'wrong_password', actor.clientAddress ?? null);
    return voided ? refuse('token_invalid') : refuse(passwordOk ? 'wrong_pin' : 'wrong_password');
  }
  await releaseTokenTry(deps, linkTry);
  if (account.temp_password_expires_at !== null && token.origin !== 'temp_password_login') {
    // A temporary password counts as "current" only through the change link its one sign-in earned.
    await releaseAttempt(deps, reservation);
    return refuse('temp_password_sign_in_first');
  }
  if (!(await settleSuccess(deps, account.id))) return lockedRefusal((await findAccountById(deps.db, account.id))?.locked_until ?? null);
  return ok({ account, token });
}

/** Whether the account must choose a new password before anything else on the page. */
export function mustChangeFirst(account: AccountRow, token: TokenRow): boolean {
  return account.must_change_password === 1 || account.temp_password_expires_at !== null || token.origin === 'temp_password_login';
}

/** A page's answer for a locked account: until when, when we know. */
export function lockedRefusal(lockedUntil: number | null): Refusal {
  if (lockedUntil === null) return refuse('too_many_attempts');
  return refuse('account_locked_until', { until: `${new Date(lockedUntil).toISOString().slice(0, 16).replace('T', ' ')} UTC` });
}
