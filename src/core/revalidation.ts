// The `validation` disable reason's way out (the article's "validation de compte"): on
// /validate the owner names their login and a channel on file, a code goes there, and
// the right code enables the account again. Nothing tells the caller whether the login
// exists or needs validating: the code is sent only when it does, and a code typed for
// any other login is refused with the same words as a wrong one.
import { findAccountByLogin } from '../store/accounts.js';
import type { AccountRow } from '../store/schema.js';
import { nextStatus } from './account-status.js';
import { tellEnabled } from './accounts.js';
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { parseLogin } from './identity.js';
import { checkCode, normalizeCode, sendCode } from './otp-codes.js';
import { ok, refuse, type Outcome } from './refusal.js';
import type { OtpChannel } from './types.js';

function awaitsValidation(account: AccountRow | undefined): account is AccountRow {
  return account !== undefined && account.status === 'disabled' && account.disabled_reason === 'validation';
}

async function accountOf(deps: CoreDeps, login: string): Promise<AccountRow | undefined> {
  const name = parseLogin(login, deps.policy.phoneDefaultRegion);
  return name ? findAccountByLogin(deps.db, name) : undefined;
}

/** Sends a validation code to the email or phone on file, when the login names an account awaiting validation. */
export async function requestValidationCode(deps: CoreDeps, actor: Actor, login: string, channel: OtpChannel): Promise<void> {
  const account = await accountOf(deps, login);
  if (!awaitsValidation(account)) return;
  const sent = await sendCode(deps, account, 'validate', channel);
  await writeAudit(deps.db, deps.clock.now(), {
    actor,
    action: sent.sent ? 'otp_sent' : 'otp_send_refused',
    targetAccountId: account.id,
    detail: sent.sent ? { channel, purpose: 'validate' } : { channel, purpose: 'validate', why: sent.why },
  });
}

/**
 * The code typed on /validate: the right one (its tries reserved first, used once) enables
 * the account again, audited, with the `account_enabled` email and Slack notice an
 * admin's enable sends. One refusal for every other case.
 */
export async function revalidateWithCode(deps: CoreDeps, actor: Actor, login: string, typed: string): Promise<Outcome> {
  const account = await accountOf(deps, login);
  if (!awaitsValidation(account) || normalizeCode(typed) === null) return refuse('wrong_code');
  if ((await checkCode(deps, account.id, 'validate', typed)) !== 'right') return refuse('wrong_code');
  const next = nextStatus(account.status, 'enable', account.password_hash !== null);
  if (!next) return refuse('wrong_code');
  const now = deps.clock.now();
  // Only an account still awaiting validation: an admin's disable for another reason meanwhile stands.
  const done = await deps.db
    .updateTable('accounts')
    .set({ status: next, disabled_reason: null, disabled_note: null, updated_at: now })
    .where('id', '=', account.id)
    .where('status', '=', 'disabled')
    .where('disabled_reason', '=', 'validation')
    .returning('id')
    .executeTakeFirst();
  if (!done) return refuse('wrong_code');
  await writeAudit(deps.db, now, { actor, action: 'revalidate', targetAccountId: account.id });
  await tellEnabled(deps, account, next, now);
  return ok();
}
