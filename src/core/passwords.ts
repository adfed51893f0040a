// Setting passwords: change my own (current password + PIN, from the Slack DM link),
// forgot (emailed link + security answer), the admin reset under its policy, and what
// every change does after: revoke the other links, end a lock, email the owner.
import { randomInt } from 'node:crypto';
import type { ResetPolicy } from '../config.js';
import type { AccountRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { normalizeAnswer } from './hashing.js';
import { findAccountById, findAccountByLogin, parseLogin } from './identity.js';
import { endLock, recordFailure } from './lockout.js';
import { checkPassword, normalizePassword } from './password-policy.js';
import { ok, refuse, type Locale, type Outcome, type Refusal } from './refusal.js';
import { consumeToken, emailTokenLink, inspectToken, issueToken, issueTokenWithinLimit, PASSWORD_TOKEN_PURPOSES, recordTokenFailure, revokeTokens } from './tokens.js';

/** Policy checks plus "not the current one". */
export async function checkNewPassword(deps: CoreDeps, account: AccountRow, password: string): Promise<Refusal | null> {
  const refusal = checkPassword(
    password,
    { email: account.email, displayName: account.display_name, hasMfa: account.totp_secret_enc !== null },
    deps.policy.password,
  );
  if (refusal) return refusal;
  if (account.password_hash && (await deps.hasher.verify(account.password_hash, normalizePassword(password)))) {
    return refuse('password_unchanged');
  }
  return null;
}

async function applyNewPassword(deps: CoreDeps, account: AccountRow, actor: Actor, password: string, action: string): Promise<void> {
  const hash = await deps.hasher.hash(normalizePassword(password));
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ password_hash: hash, temp_password_expires_at: null, must_change_password: 0, password_changed_at: now, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  await revokeTokens(deps.db, account.id, PASSWORD_TOKEN_PURPOSES, now);
  await endLock(deps, account, actor, 'password_reset');
  await writeAudit(deps.db, now, { actor, action, targetAccountId: account.id });
  await deps.effects.sendEmail({
    kind: 'password_changed',
    accountId: account.id,
    to: account.email,
    locale: account.locale as Locale,
    facts: { at: now, from: actor.clientAddress ?? 'unknown' },
  });
}

/** Issues the change-password link the Slack DM carries (useless without the current password and PIN). */
export async function issueChangePasswordLink(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome<{ link: string; expiresAt: number }>> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  if (account.status !== 'active') return refuse('account_not_active');
  const token = await issueToken(deps, account.id, 'change_password');
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'issue_change_password_link', targetAccountId: account.id });
  return ok({ link: token.link, expiresAt: token.expiresAt });
}

export interface OwnPasswordChange {
  currentPassword: string;
  newPassword: string;
  pin: string;
}

/** /change-password/<token>: current password, PIN and the new one. */
export async function changeOwnPassword(deps: CoreDeps, actor: Actor, secret: string, input: OwnPasswordChange): Promise<Outcome> {
  const found = await inspectToken(deps, secret, ['change_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account || account.status !== 'active' || !account.password_hash || !account.pin_hash) return refuse('token_invalid');

  const [passwordOk, pinOk] = await Promise.all([
    deps.hasher.verify(account.password_hash, normalizePassword(input.currentPassword)),
    deps.hasher.verify(account.pin_hash, input.pin),
  ]);
  if (!passwordOk || !pinOk) {
    // A wrong current password or PIN is a guess: it counts toward lockout and voids the link at five.
    await recordFailure(deps, account, actor);
    await recordTokenFailure(deps, found.token.id);
    return refuse(passwordOk ? 'wrong_pin' : 'wrong_password');
  }
  const refusal = await checkNewPassword(deps, account, input.newPassword);
  if (refusal) return refusal;
  const used = await consumeToken(deps, secret, ['change_password']);
  if (!used.ok) return used;
  await applyNewPassword(deps, account, actor, input.newPassword, 'change_password');
  return ok();
}

/**
 * Forgot my password: emails a reset link when the login matches an account, and
 * answers the same either way. At most 3 reset emails an hour per account, silently.
 */
export async function requestPasswordReset(deps: CoreDeps, actor: Actor, login: string): Promise<void> {
  const name = parseLogin(login, deps.policy.phoneDefaultRegion);
  const account = name ? await findAccountByLogin(deps.db, name) : undefined;
  if (!account || account.status !== 'active') return;
  const now = deps.clock.now();
  const token = await issueTokenWithinLimit(deps, account.id, 'reset', { max: 3, windowMs: 3_600_000 });
  if (!token) {
    await writeAudit(deps.db, now, { actor, action: 'reset_request_throttled', targetAccountId: account.id });
    return;
  }
  await writeAudit(deps.db, now, { actor, action: 'request_reset', targetAccountId: account.id });
  await emailTokenLink(deps, account, token, 'reset_link');
}

/** The security question a reset link's page asks (the link must still be valid). */
export async function securityQuestionFor(deps: CoreDeps, secret: string): Promise<Outcome<{ question: string | null; purpose: string }>> {
  const found = await inspectToken(deps, secret, ['reset', 'set_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account) return refuse('token_invalid');
  return ok({ question: found.token.purpose === 'reset' ? account.security_question : null, purpose: found.token.purpose });
}

export interface TokenReset {
  /** Required for a forgot-password link (purpose `reset`); set-password links have none. */
  securityAnswer?: string;
  /**
   * Set only by the /reset page's second step, after verifyResetAnswer accepted the
   * answer on its first step (the page carries that in a sealed, expiring proof).
   */
  answerVerified?: boolean;
  newPassword: string;
}

/**
 * The /reset page's first step: checks the security answer without using the link.
 * A wrong answer counts toward voiding the link (five void it), as in resetPasswordByToken.
 */
export async function verifyResetAnswer(deps: CoreDeps, secret: string, answer: string): Promise<Outcome> {
  const found = await inspectToken(deps, secret, ['reset', 'set_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account) return refuse('token_invalid');
  if (found.token.purpose !== 'reset' || !account.security_answer_hash) return ok();
  const answerOk = await deps.hasher.verify(account.security_answer_hash, normalizeAnswer(answer));
  if (answerOk) return ok();
  const voided = await recordTokenFailure(deps, found.token.id);
  return voided ? refuse('token_invalid') : refuse('wrong_answer');
}

/** /reset/<token>: sets a new password from an emailed link. Does not sign the user in. */
export async function resetPasswordByToken(deps: CoreDeps, actor: Actor, secret: string, input: TokenReset): Promise<Outcome> {
  const found = await inspectToken(deps, secret, ['reset', 'set_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account) return refuse('token_invalid');
  if (found.token.purpose === 'reset' && account.security_answer_hash && !input.answerVerified) {
    const answerOk = await deps.hasher.verify(account.security_answer_hash, normalizeAnswer(input.securityAnswer ?? ''));
    if (!answerOk) {
      const voided = await recordTokenFailure(deps, found.token.id);
      return voided ? refuse('token_invalid') : refuse('wrong_answer');
    }
  }
  const refusal = await checkNewPassword(deps, account, input.newPassword);
  if (refusal) return refusal;
  const used = await consumeToken(deps, secret, ['reset', 'set_password']);
  if (!used.ok) return used;
  if (account.status === 'pending_activation') return refuse('account_not_active');
  await applyNewPassword(deps, account, actor, input.newPassword, 'reset_password');
  return ok();
}

const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random temporary password: 20 characters from an unambiguous alphabet (~114 bits). */
export function newTemporaryPassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)];
  return out;
}

/**
 * An admin resets someone's password under the configured policy (always by email):
 * `link` emails the user a set-password link; `random` emails the user a temporary
 * password (once, 24 h, must be changed); `admin-set` emails the link to the admin.
 */
export async function adminResetPassword(
  deps: CoreDeps,
  actor: Actor,
  accountId: string,
  adminEmail: string | null,
  policy: ResetPolicy = deps.policy.adminResetPolicy,
): Promise<Outcome<{ policy: ResetPolicy; sentTo: string }>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'reset_password', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  if (account.status !== 'active') return refuse('account_not_active');
  if (policy === 'admin-set' && !adminEmail) return refuse('policy_disabled', { policy });

  const now = deps.clock.now();
  await revokeTokens(deps.db, account.id, PASSWORD_TOKEN_PURPOSES, now);
  await endLock(deps, account, actor, 'password_reset');
  let sentTo = account.email;
  if (policy === 'random') {
    const temporary = newTemporaryPassword();
    const expiresAt = now + deps.policy.ttl.tempPasswordMs;
    await deps.db
      .updateTable('accounts')
      .set({
        password_hash: await deps.hasher.hash(temporary),
        temp_password_expires_at: expiresAt,
        must_change_password: 1,
        updated_at: now,
      })
      .where('id', '=', account.id)
      .execute();
    await deps.effects.sendEmail({
      kind: 'temp_password',
      accountId: account.id,
      to: account.email,
      locale: account.locale as Locale,
      secret: temporary,
      facts: { expiresAt },
    });
  } else {
    const token = await issueToken(deps, account.id, 'set_password');
    sentTo = policy === 'admin-set' ? adminEmail! : account.email;
    await emailTokenLink(deps, account, token, 'set_password_link', { to: sentTo, facts: { forAdmin: policy === 'admin-set' ? 1 : 0 } });
  }
  await writeAudit(deps.db, now, { actor, action: 'admin_reset_password', targetAccountId: account.id, detail: { policy } });
  return ok({ policy, sentTo });
}
