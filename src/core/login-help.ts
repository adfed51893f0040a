// Why someone can't sign in, as `/login-help` and the Home tab tell them: the reasons the
// login check meets, in its order (a lock first, as the auth API refuses a locked account
// before looking at anything else). The login itself refuses early by the same statusBlocker.
import type { AccountRow } from '../store/schema.js';
import type { CoreDeps } from './deps.js';
import { recentAttempts } from './login-attempts.js';
import { hasSecondFactor } from './second-factor.js';

export interface AttemptLine {
  at: number;
  client_address: string | null;
  result: string;
}

export type LoginHelpState =
  | { reason: 'locked'; lockedUntil: number }
  | { reason: 'disabled'; disabledReason: string | null }
  | { reason: 'not_activated' }
  | { reason: 'must_change_password' }
  | { reason: 'mfa_not_enrolled' }
  | { reason: 'fine'; attempts: AttemptLine[] };

export type LoginHelpAccount = Pick<AccountRow, 'status' | 'disabled_reason' | 'locked_until' | 'must_change_password'>;

/** What keeps an account from signing in whatever is typed: disabled, or never activated. */
export function statusBlocker(account: Pick<AccountRow, 'status'>): 'disabled' | 'not_activated' | null {
  if (account.status === 'disabled') return 'disabled';
  if (account.status !== 'active') return 'not_activated';
  return null;
}

/** Which reason applies, from the account and the facts around it (pure: time passed in). */
export function loginHelpState(
  account: LoginHelpAccount,
  facts: { now: number; mfaRequired: boolean; mfaEnrolled: boolean; attempts?: AttemptLine[] },
): LoginHelpState {
  if (account.locked_until !== null && account.locked_until > facts.now) return { reason: 'locked', lockedUntil: account.locked_until };
  const blocker = statusBlocker(account);
  if (blocker === 'disabled') return { reason: 'disabled', disabledReason: account.disabled_reason };
  if (blocker === 'not_activated') return { reason: 'not_activated' };
  if (account.must_change_password === 1) return { reason: 'must_change_password' };
  if (facts.mfaRequired && !facts.mfaEnrolled) return { reason: 'mfa_not_enrolled' };
  return { reason: 'fine', attempts: facts.attempts ?? [] };
}

/** The account's state now, with its last attempts when they will be shown. */
export async function loginHelpStateOf(deps: CoreDeps, account: AccountRow, options: { withAttempts: boolean }): Promise<LoginHelpState> {
  return loginHelpState(account, {
    now: deps.clock.now(),
    mfaRequired: (deps.policy.mfaRequiredRoles as readonly string[]).includes(account.role),
    mfaEnrolled: hasSecondFactor(account),
    attempts: options.withAttempts ? await recentAttempts(deps, account.id, 10) : [],
  });
}
