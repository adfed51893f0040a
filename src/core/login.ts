// Password login, as the auth API exposes it. Every credential failure looks the same
// from outside (unknown login, wrong password, locked, disabled, not activated); the
// real reason is kept in login_attempts for /login-help. Unknown logins are verified
// against a dummy hash so their timing matches.
import { randomUUID } from 'node:crypto';
import type { AccountRow } from '../store/schema.js';
import type { Actor, CoreDeps } from './deps.js';
import { findAccountByLogin, parseLogin } from './identity.js';
import { isLocked, recordFailure, resetFailures } from './lockout.js';
import { acceptTotp } from './mfa.js';
import { normalizePassword } from './password-policy.js';
import { issueToken } from './tokens.js';

export const ATTEMPT_RESULTS = [
  'success',
  'unknown_login',
  'wrong_password',
  'locked',
  'disabled',
  'not_activated',
  'otp_required',
  'wrong_otp',
  'mfa_not_enrolled',
] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

export interface LoginInput {
  login: string;
  password: string;
  otp?: string | undefined;
}

export type LoginOutcome =
  | { ok: true; accountId: string; mustChangePassword: boolean; changePasswordLink?: string; changePasswordToken?: string }
  | { ok: false; error: 'invalid_credentials' | 'otp_required'; result: AttemptResult };

async function recordAttempt(deps: CoreDeps, accountId: string | null, result: AttemptResult, clientAddress: string | null): Promise<void> {
  await deps.db
    .insertInto('login_attempts')
    .values({ id: randomUUID(), account_id: accountId, at: deps.clock.now(), client_address: clientAddress, result })
    .execute();
}

function fail(result: AttemptResult): LoginOutcome {
  return { ok: false, error: result === 'otp_required' ? 'otp_required' : 'invalid_credentials', result };
}

export async function login(deps: CoreDeps, actor: Actor, input: LoginInput): Promise<LoginOutcome> {
  const address = actor.clientAddress ?? null;
  const name = parseLogin(input.login, deps.policy.phoneDefaultRegion);
  const account = name ? await findAccountByLogin(deps.db, name) : undefined;
  const password = normalizePassword(input.password);
  if (!account || !account.password_hash) {
    await deps.hasher.verifyDummy(password);
    await recordAttempt(deps, account?.id ?? null, account ? 'not_activated' : 'unknown_login', address);
    return fail(account ? 'not_activated' : 'unknown_login');
  }

  // Verify before looking at the account's state, so every path costs one hash.
  const passwordOk = await deps.hasher.verify(account.password_hash, password);
  const now = deps.clock.now();
  const early = stateRefusal(account, now);
  if (early) {
    await recordAttempt(deps, account.id, early, address);
    return fail(early);
  }
  const tempExpired = account.temp_password_expires_at !== null && account.temp_password_expires_at <= now;
  if (!passwordOk || tempExpired) {
    await recordFailure(deps, account, actor);
    await recordAttempt(deps, account.id, 'wrong_password', address);
    return fail('wrong_password');
  }

  if (account.totp_secret_enc) {
    if (!input.otp) {
      await recordAttempt(deps, account.id, 'otp_required', address);
      return fail('otp_required');
    }
    if (!(await acceptTotp(deps, account, input.otp))) {
      await recordFailure(deps, account, actor);
      await recordAttempt(deps, account.id, 'wrong_otp', address);
      return fail('wrong_otp');
    }
  } else if (deps.policy.mfaRequiredRoles.includes(account.role as never)) {
    await recordAttempt(deps, account.id, 'mfa_not_enrolled', address);
    return fail('mfa_not_enrolled');
  }

  if (account.temp_password_expires_at !== null) {
    // A temporary password works once: the first login to mark it used wins; from then on
    // only the change link it earned does.
    const won = await deps.db
      .updateTable('accounts')
      .set({ temp_password_expires_at: now })
      .where('id', '=', account.id)
      .where('temp_password_expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!won) {
      await recordAttempt(deps, account.id, 'wrong_password', address);
      return fail('wrong_password');
    }
  }

  await resetFailures(deps, account.id, now);
  await recordAttempt(deps, account.id, 'success', address);
  if (deps.hasher.needsRehash(account.password_hash)) {
    await deps.db
      .updateTable('accounts')
      .set({ password_hash: await deps.hasher.hash(password) })
      .where('id', '=', account.id)
      .where('password_hash', '=', account.password_hash)
      .execute();
  }

  const mustChange = account.must_change_password === 1;
  if (!mustChange) return { ok: true, accountId: account.id, mustChangePassword: false };
  const token = await issueToken(deps, account.id, 'change_password');
  return { ok: true, accountId: account.id, mustChangePassword: true, changePasswordLink: token.link, changePasswordToken: token.secret };
}

function stateRefusal(account: AccountRow, now: number): AttemptResult | null {
  if (isLocked(account, now)) return 'locked';
  if (account.status === 'disabled') return 'disabled';
  if (account.status !== 'active') return 'not_activated';
  return null;
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
