// Password login, as the auth API exposes it. Every credential failure looks the same
// from outside (unknown login, wrong password, locked, disabled, not activated); the
// real reason is kept in login_attempts for /login-help. What verifies nothing (an
// unknown login, a locked account) costs one dummy hash, so the timing matches too.
import { sql, type QueryCreator, type UpdateQueryBuilder } from 'kysely';
import type { AccountRow, Database } from '../store/schema.js';
import { bigintParam, isPostgres, type Store } from '../store/db.js';
import type { Actor, CoreDeps } from './deps.js';
import { findAccountById, findAccountByLogin } from '../store/accounts.js';
import { parseLogin } from './identity.js';
import { statusBlocker } from './login-help.js';
import { attemptRow, recordAttempt } from './login-attempts.js';
import { isLocked, LOCKOUT_CLEARED, releaseAttempt, reserveAttempt, settleFailure, unlockedAt } from './lockout.js';
import { acceptTotp } from './mfa.js';
import { checkCode } from './otp-codes.js';
import { mfaMethodOf } from './second-factor.js';
import { normalizePassword } from './password-policy.js';
import { newSessionRow, type IssuedSession, type NewSessionRow } from './sessions.js';
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

  const mustChange = account.must_change_password === 1;
  const tempLogin = account.temp_password_expires_at !== null;
  // No session while the password must be changed: the change link is all this sign-in earns.
  const signedIn = await finishSignIn(deps, account, address, { startSession: options.startSession === true && !mustChange, spendTempPassword: tempLogin });
  if (!signedIn.ok) {
    await recordAttempt(deps, account.id, signedIn.result, address);
    return fail(signedIn.result);
  }
  const { session } = signedIn;

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

export type SignInWrites = { ok: true; session: IssuedSession | undefined } | { ok: false; result: Extract<AttemptResult, 'locked' | 'wrong_password'> };

/**
 * Everything a verified sign-in writes, at once: the lockout count cleared, a temporary
 * password spent, the session, the `success` attempt. The guarded UPDATE of the account
 * row comes first: its row lock orders this sign-in against a racing lock, password change
 * or disable, so either the guard sees the change (the sign-in is refused), or the change
 * waits for this session and then ends it. On PostgreSQL the writes are one statement
 * (data-modifying CTEs: one round trip, one commit, the row lock held to its end); on
 * SQLite, in process, one transaction. Two commits per sign-in instead of five.
 */
export async function finishSignIn(
  deps: CoreDeps,
  account: AccountRow,
  address: string | null,
  opts: { startSession: boolean; spendTempPassword: boolean },
): Promise<SignInWrites> {
  const now = deps.clock.now();
  const won = (db: QueryCreator<Database>) => {
    let update = db
      .updateTable('accounts')
      .set({ ...LOCKOUT_CLEARED, ...(opts.spendTempPassword ? { temp_password_expires_at: now } : {}) })
      .where('id', '=', account.id)
      .where(unlockedAt(now))
      .where('status', '=', 'active')
      .where('password_hash', '=', account.password_hash!);
    // A temporary password works once: the first sign-in to spend it wins; from then on
    // only the change link it earned does.
    if (opts.spendTempPassword) update = update.where('temp_password_expires_at', '>', now);
    return update.returning('id');
  };
  const session = opts.startSession ? newSessionRow(deps, account.id, address) : null;
  const attempt = attemptRow(deps, account.id, 'success', address);
  const written = isPostgres(deps.db)
    ? await signInStatement(deps.db, won, session?.row ?? null, attempt)
    : await deps.db.transaction().execute(async (trx) => {
        if (!(await won(trx).executeTakeFirst())) return false;
        if (session) await trx.insertInto('sessions').values(session.row).execute();
        await trx.insertInto('login_attempts').values(attempt).execute();
        return true;
      });
  if (written) return { ok: true, session: session?.issued };
  // Why the guard failed, for the attempt's record: a racing wrong guess locked the
  // account, or its password (or status) changed while this one was verified.
  const current = await findAccountById(deps.db, account.id);
  return { ok: false, result: current && isLocked(current, now) ? 'locked' : 'wrong_password' };
}

/**
 * PostgreSQL: `with won as (update … returning id), s as (insert into sessions select … from
 * won) insert into login_attempts select … from won`. Rows are inserted only when the
 * guarded UPDATE won. Numbers are bound with a cast (PostgreSQL types a bare parameter in a
 * select list as text), so the SQL is the same for every sign-in.
 */
async function signInStatement(
  db: Store,
  won: (qc: QueryCreator<Database>) => UpdateQueryBuilder<Database, 'accounts', 'accounts', { id: string }>,
  session: NewSessionRow | null,
  attempt: ReturnType<typeof attemptRow>,
): Promise<boolean> {
  const query = db
    .with('won', (qc) => won(qc))
    .with('session', (qc) =>
      qc
        .insertInto('sessions')
        .columns(['id', 'account_id', 'token_hash', 'created_at', 'last_seen_at', 'expires_at', 'absolute_expires_at', 'client_address'])
        .expression((eb) =>
          eb
            .selectFrom('won')
            .select((s) => [
              s.val(session?.id ?? '').as('id'),
              'won.id as account_id',
              s.val(session?.token_hash ?? '').as('token_hash'),
              bigintParam(session?.created_at ?? 0).as('created_at'),
              bigintParam(session?.last_seen_at ?? 0).as('last_seen_at'),
              bigintParam(session?.expires_at ?? 0).as('expires_at'),
              bigintParam(session?.absolute_expires_at ?? 0).as('absolute_expires_at'),
              s.val(session?.client_address ?? null).as('client_address'),
            ])
            // No session asked for: the CTE inserts nothing.
            .where(sql.lit(session !== null), '=', true),
        )
        .returning('id'),
    )
    .insertInto('login_attempts')
    .columns(['id', 'account_id', 'at', 'client_address', 'result'])
    .expression((eb) =>
      eb
        .selectFrom('won')
        .select((s) => [
          s.val(attempt.id).as('id'),
          'won.id as account_id',
          bigintParam(attempt.at).as('at'),
          s.val(attempt.client_address).as('client_address'),
          s.val(attempt.result).as('result'),
        ]),
    )
    .returning('id');
  return (await query.executeTakeFirst()) !== undefined;
}

/** Refusals that need no secret: the account can't sign in whatever is typed. */
function statusRefusal(account: AccountRow): AttemptResult | null {
  if (!account.password_hash) return 'not_activated';
  return statusBlocker(account);
}
