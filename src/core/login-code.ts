// POST /api/v1/otp: a right password for an account whose second factor is a code by
// email or SMS sends one, to the address or phone on file. Whatever happens the caller
// learns nothing (the API answers 202 every time): an unknown login, a wrong password, a
// TOTP account, another method, the send limit reached all look the same. The password
// is checked as a sign-in attempt (checkPasswordAttempt): a wrong one counts toward the
// lockout, a right one gives its slot back, as when a login still needs its code.
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { checkPasswordAttempt } from './login.js';
import { sendCode } from './otp-codes.js';
import { channelOf, mfaMethodOf } from './second-factor.js';
import type { MfaMethod } from './types.js';

export interface LoginCodeInput {
  login: string;
  password: string;
  method: MfaMethod;
}

/** What happened, for tests and logs only: never shown to the caller. */
export type LoginCodeResult = 'sent' | 'not_sent' | 'busy';

export async function requestLoginCode(deps: CoreDeps, actor: Actor, input: LoginCodeInput): Promise<LoginCodeResult> {
  const step = await checkPasswordAttempt(deps, actor, input);
  if (!step.ok) return step.outcome.ok === false && step.outcome.error === 'busy' ? 'busy' : 'not_sent';
  const { account } = step;
  const method = mfaMethodOf(account);
  await step.notAGuess('otp_required', method ? [method] : undefined);
  const channel = channelOf(method);
  if (!channel || method !== input.method) return 'not_sent';
  const sent = await sendCode(deps, account, 'login', channel);
  await writeAudit(deps.db, deps.clock.now(), {
    actor,
    action: sent.sent ? 'otp_sent' : 'otp_send_refused',
    targetAccountId: account.id,
    detail: sent.sent ? { channel, purpose: 'login' } : { channel, purpose: 'login', why: sent.why },
  });
  return sent.sent ? 'sent' : 'not_sent';
}
