// Password login, as the auth API exposes it. Every credential failure looks the same
// from outside (unknown login, wrong password, locked, disabled, not activated); the
// real reason is kept in login_attempts for /login-help. What verifies nothing (an
// unknown login, a locked account) costs one dummy hash, so the timing matches too.
import type { AccountRow } from '../store/schema.js';
import type { Actor, CoreDeps } from './deps.js';
import { findAccountByLogin } from '../store/accounts.js';
import { parseLogin } from './identity.js';
import { statusBlocker } from './login-help.js';
import { recordAttempt } from './login-attempts.js';
import { releaseAttempt, reserveAttempt, settleFailure, settleSuccess } from './lockout.js';
import { acceptTotp } from './mfa.js';
import { checkCode } from './otp-codes.js';
import { mfaMethodOf } from './second-factor.js';
import { normalizePassword } from './password-policy.js';
import { createSession, type IssuedSession } from './sessions.js';
import { issueToken } from './tokens.js';
import type { AttemptResult, MfaMethod } from './types.js';

export interface LoginInput {
  login: string;
  password: string;
  otp?: string | undefined;
}

export interface LoginOptions {
  /** Start a session (the auth API does; the /login page keeps none). Never while the password must be changed. */
  startSession?: boolean;
}

export type LoginOutcome =
  | {
      ok: true;
      accountId: string;
      mustChangePassword: boolean;
      changePasswordLink?: string;
      changePasswordToken?: string;
      session?: IssuedSession;
    }
  | { ok: false; error: 'invalid_credentials' | 'otp_required' | 'busy'; result: AttemptResult; methods?: MfaMethod[] };

function fail(result: AttemptResult, methods?: MfaMethod[]): LoginOutcome {
  return { ok: false, error: result === 'otp_required' ? 'otp_required' : 'invalid_credentials', result, ...(methods ? { methods } : {}) };
}

/**
 * A password checked as a sign-in attempt, reserved on the lockout before it was verified.
 * The caller ends the attempt: `wrong` counts it (the threshold-th locks), `notAGuess`
 * gives its slot back (a right password that still needs its second factor).
 */
export type PasswordStep =
  | {
      ok: true;
      account: AccountRow;
      address: string | null;
      password: string;
      wrong: (result: AttemptResult) => Promise<LoginOutcome>;
      notAGuess: (result: AttemptResult, methods?: MfaMethod[]) => Promise<LoginOutcome>;
    }
  | { ok: false; outcome: LoginOutcome };

/**
 * The first half of a sign-in, shared by POST /api/v1/login and POST /api/v1/otp: the
 * login looked up, its status, the attempt reserved, the password verified. What verifies
 * nothing (an unknown login, a locked account) costs one dummy hash, so the timing matches.
 */
export async function checkPasswordAttempt(deps: CoreDeps, actor: Actor, input: Pick<LoginInput, 'login' | 'password'>): Promise<PasswordStep> {
  // Back-pressure first: past the hashing line's limit nothing is looked up or counted.
  if (deps.hasher.busy) return { ok: false, outcome: { ok: false, error: 'busy', result: 'busy' } };
  const address = actor.clientAddress ?? null;
  const name = parseLogin(input.login, deps.policy.phoneDefaultRegion);
  const account = name ? await findAccountByLogin(deps.db, name) : undefined;
  const password = normalizePassword(input.password);
  const refused = async (result: AttemptResult): Promise<PasswordStep> => {
    // Every refusal that verified nothing still costs one hash, so it answers in the same time.
    await deps.hasher.verifyDummy(password);
    await recordAttempt(deps, account?.id ?? null, result, address);
    return { ok: false, outcome: fail(result) };
  };
  if (!account) return refused('unknown_login');
  const early = statusRefusal(account);
  if (early) return refused(early);

  // The attempt is counted before the password is looked at: once the threshold is
  // reserved, waiting and new attempts alike are refused unverified.
  const reserved = await reserveAttempt(deps, account.id);
  if (!reserved.ok) return refused('locked');
  const { reservation } = reserved;
  const wrong = async (result: AttemptResult): Promise<LoginOutcome> => {
    await settleFailure(deps, account, reservation, actor);
    await recordAttempt(deps, account.id, result, address);
    return fail(result);
  };
  const notAGuess = async (result: AttemptResult, methods?: MfaMethod[]): Promise<LoginOutcome> => {
    await releaseAttempt(deps, reservation);
    await recordAttempt(deps, account.id, result, address);
    return fail(result, methods);
  };

  const passwordOk = await deps.hasher.verify(account.password_hash!, password);
  const now = deps.clock.now();
  const tempExpired = account.temp_password_expires_at !== null && account.temp_password_expires_at <= now;
  if (!passwordOk || tempExpired) return { ok: false, outcome: await wrong('wrong_password') };
  return { ok: true, account, address, password, wrong, notAGuess };
}

export async function login(deps: CoreDeps, actor: Actor, input: LoginInput, options: LoginOptions = {}): Promise<LoginOutcome> {
  const outcome = await attemptLogin(deps, actor, input, options);
  // One count per sign-in, whichever of the many ways below it ended.
  deps.metrics?.loginEnded(outcome.ok ? 'success' : outcome.result);
  return outcome;
}

async function attemptLogin(deps: CoreDeps, actor: Actor, input: LoginInput, options: LoginOptions): Promise<LoginOutcome> {
  const step = await checkPasswordAttempt(deps, actor, input);
  if (!step.ok) return step.outcome;
  const { account, address, password, wrong, notAGuess } = step;
  const now = deps.clock.now();

  const method = mfaMethodOf(account);
  if (method === 'totp') {
    if (!input.otp) return notAGuess('otp_required', ['totp']);
    if (!(await acceptTotp(deps, account, input.otp))) return wrong('wrong_otp');
  } else if (method !== null) {
    // A code sent by email or SMS (POST /api/v1/otp): its own 5 tries, and a wrong one
    // counts toward the lockout like a wrong TOTP code.
    if (!input.otp) return notAGuess('otp_required', [method]);
    if ((await checkCode(deps, account.id, 'login', input.otp)) !== 'right') return wrong('wrong_otp');
  } else if (deps.policy.mfaRequiredRoles.includes(account.role)) {
    return notAGuess('mfa_not_enrolled');
  }

  // A racing wrong guess may have locked the account while this one was verified.
  if (!(await settleSuccess(deps, account.id))) {
    await recordAttempt(deps, account.id, 'locked', address);
    return fail('locked');
  }

  let tempLogin = false;
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
    tempLogin = true;
  }

  const mustChange = account.must_change_password === 1;
  // No session while the password must be changed: the change link is all this sign-in earns.
  const session = options.startSession && !mustChange ? await createSession(deps, account, address) : undefined;
  if (session === null) {
    // The password changed (or the account was disabled) while this one was verified.
    await recordAttempt(deps, account.id, 'wrong_password', address);
    return fail('wrong_password');
  }

  await recordAttempt(deps, account.id, 'success', address);
  if (deps.hasher.needsRehash(account.password_hash!)) {
    await deps.db
      .updateTable('accounts')
      .set({ password_hash: await deps.hasher.hash(password) })
      .where('id', '=', account.id)
      .where('password_hash', '=', account.password_hash)
      .execute();
  }

  if (!mustChange) return { ok: true, accountId: account.id, mustChangePassword: false, ...(session ? { session } : {}) };
  const token = await issueToken(deps, account.id, 'change_password', tempLogin ? { origin: 'temp_password_login' } : {});
  return { ok: true, accountId: account.id, mustChangePassword: true, changePasswordLink: token.link, changePasswordToken: token.secret };
}

/** Refusals that need no secret: the account can't sign in whatever is typed. */
function statusRefusal(account: AccountRow): AttemptResult | null {
  if (!account.password_hash) return 'not_activated';
  return statusBlocker(account);
}
