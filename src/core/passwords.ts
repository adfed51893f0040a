// Setting passwords: change my own (current password + PIN, from the Slack DM link),
// forgot (emailed link + security answer), the admin reset under its policy, and what
// every change does after: revoke the other links, end every session, end a lock, email
// the owner.
import { randomInt } from 'node:crypto';
import type { AccountRow, TokenRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import { webActor, type Actor, type CoreDeps } from './deps.js';
import { normalizeAnswer } from './hashing.js';
import { findAccountById, findAccountByLogin } from '../store/accounts.js';
import { parseLogin } from './identity.js';
import { proveOwner } from './account-proof.js';
import { endLock } from './lockout.js';
import { checkPassword, normalizePassword } from './password-policy.js';
import { checkPin } from './pin-policy.js';
import { endAllSessions } from './sessions.js';
import { ok, refuse, type Outcome, type Refusal } from './refusal.js';
import {
  consumeToken,
  emailTokenLink,
  inspectToken,
  issueToken,
  issueTokenWithinLimit,
  PASSWORD_TOKEN_PURPOSES,
  revokeTokens,
  verifyOnLink,
} from './tokens.js';
import type { ResetPolicy } from './types.js';
import { hasSecondFactor } from './second-factor.js';

/** Reset and change links an account may be sent in an hour (revoked ones count). */
const LINKS_PER_HOUR = { max: 3, windowMs: 3_600_000 };

/** Policy checks plus "not the current one". */
export async function checkNewPassword(deps: CoreDeps, account: AccountRow, password: string): Promise<Refusal | null> {
  const refusal = checkPassword(
    password,
    { email: account.email, displayName: account.display_name, hasMfa: hasSecondFactor(account) },
    deps.policy.password,
  );
  if (refusal) return refusal;
  if (account.password_hash && (await deps.hasher.verify(account.password_hash, normalizePassword(password)))) {
    return refuse('password_unchanged');
  }
  return null;
}

/**
 * Sets the password (and, from a reset link after the answer, a new PIN). `mustChange`
 * keeps the account's "change it at the next login" flag raised: a password an admin chose
 * (the `admin-set` policy) is the admin's, not the user's.
 */
async function applyNewPassword(
  deps: CoreDeps,
  account: AccountRow,
  actor: Actor,
  password: string,
  action: 'change_password' | 'reset_password',
  options: { mustChange?: boolean; newPin?: string } = {},
): Promise<void> {
  const { newPin } = options;
  const [hash, pinHash] = await Promise.all([
    deps.hasher.hash(normalizePassword(password)),
    newPin === undefined ? undefined : deps.hasher.hash(newPin),
  ]);
  const now = deps.clock.now();
  const mustChange = options.mustChange === true;
  await deps.db
    .updateTable('accounts')
    .set({
      password_hash: hash,
      ...(pinHash === undefined ? {} : { pin_hash: pinHash }),
      temp_password_expires_at: null,
      must_change_password: mustChange ? 1 : 0,
      password_changed_at: now,
      updated_at: now,
    })
    .where('id', '=', account.id)
    .execute();
  await revokeTokens(deps.db, account.id, PASSWORD_TOKEN_PURPOSES, now);
  // Whoever signed in with the old password is signed out (the email says so).
  await endAllSessions(deps.db, account.id, action === 'change_password' ? 'password_changed' : 'password_reset', now, actor);
  await endLock(deps, account, actor, 'password_reset');
  const detail = { ...(mustChange ? { change_at_next_login: true } : {}), ...(newPin === undefined ? {} : { also: 'pin' }) };
  await writeAudit(deps.db, now, { actor, action, targetAccountId: account.id, detail });
  await deps.effects.sendEmail({
    kind: 'password_changed',
    accountId: account.id,
    to: account.email,
    locale: account.locale,
    facts: { at: now, from: actor.clientAddress ?? 'unknown' },
  });
}

/** Issues the change-password link the Slack DM carries (useless without the current password and PIN). */
export async function issueChangePasswordLink(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome<{ link: string; expiresAt: number }>> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  if (account.status !== 'active') return refuse('account_not_active');
  // Like reset links, at most 3 an hour: each one is a fresh set of five tries.
  const token = await issueTokenWithinLimit(deps, account.id, 'change_password', LINKS_PER_HOUR);
  if (!token) {
    await writeAudit(deps.db, deps.clock.now(), { actor, action: 'change_link_throttled', targetAccountId: account.id });
    return refuse('link_limit');
  }
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'issue_change_password_link', targetAccountId: account.id });
  return ok({ link: token.link, expiresAt: token.expiresAt });
}

export interface OwnPasswordChange {
  currentPassword: string;
  newPassword: string;
  pin: string;
}

/** The "My account" page's password section: current password, PIN and the new one. */
export async function changeOwnPassword(deps: CoreDeps, actor: Actor, secret: string, input: OwnPasswordChange): Promise<Outcome> {
  const proven = await proveOwner(deps, actor, secret, { currentPassword: input.currentPassword, pin: input.pin });
  if (!proven.ok) return proven;
  const refusal = await checkNewPassword(deps, proven.account, input.newPassword);
  if (refusal) return refusal;
  const used = await consumeToken(deps, secret, ['change_password']);
  if (!used.ok) return used;
  await applyNewPassword(deps, proven.account, actor, input.newPassword, 'change_password');
  return ok();
}

/**
 * Forgot my password: emails a reset link when the login matches an account, and
 * answers the same either way. At most 3 reset emails an hour per account, silently.
 */
export async function requestPasswordReset(deps: CoreDeps, actor: Actor, login: string): Promise<void> {
  const name = parseLogin(login, deps.policy.phoneDefaultRegion);
  const account = name ? await findAccountByLogin(deps.db, name) : undefined;
  const now = deps.clock.now();
  if (!account || account.status !== 'active') {
    // On record like any attempt, but without the login typed: it may be a password typed in the wrong box.
    await writeAudit(deps.db, now, { actor, action: account ? 'reset_request_inactive' : 'reset_request_unknown', targetAccountId: account?.id ?? null });
    return;
  }
  const token = await issueTokenWithinLimit(deps, account.id, 'reset', LINKS_PER_HOUR);
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
  /**
   * A new PIN for a user who forgot it: taken only on a forgot-password link whose
   * security answer was checked, so the emailed link plus the answer stand in for the PIN.
   */
  newPin?: string;
}

/**
 * Checks a forgot-password link's security answer under the link's try limit (reserved
 * before the hash runs; five wrong void the link). Every wrong answer is audited.
 */
async function checkResetAnswer(deps: CoreDeps, actor: Actor, token: TokenRow, account: AccountRow, answer: string): Promise<Refusal | null> {
  if (deps.hasher.busy) return refuse('busy');
  const answerHash = account.security_answer_hash!;
  const tried = await verifyOnLink(deps, token.id, () => deps.hasher.verify(answerHash, normalizeAnswer(answer)));
  if (tried === 'right') return null;
  if (tried !== 'spent') {
    await writeAudit(deps.db, deps.clock.now(), { actor, action: 'wrong_security_answer', targetAccountId: account.id, detail: { voided: tried === 'voided' } });
  }
  return tried === 'wrong' ? refuse('wrong_answer') : refuse('token_invalid');
}

/** The reset link and its account, when both may still be used (a disabled account's never). */
async function resetLink(deps: CoreDeps, secret: string): Promise<Outcome<{ token: TokenRow; account: AccountRow }>> {
  const found = await inspectToken(deps, secret, ['reset', 'set_password']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account || account.status === 'disabled') return refuse('token_invalid');
  return ok({ token: found.token, account });
}

/**
 * The /reset page's first step: checks the security answer without using the link.
 * A wrong answer counts toward voiding the link (five void it), as in resetPasswordByToken.
 */
export async function verifyResetAnswer(deps: CoreDeps, secret: string, answer: string, actor: Actor = webActor(null)): Promise<Outcome> {
  const link = await resetLink(deps, secret);
  if (!link.ok) return link;
  if (link.token.purpose !== 'reset' || !link.account.security_answer_hash) return ok();
  return (await checkResetAnswer(deps, actor, link.token, link.account, answer)) ?? ok();
}

/** /reset/<token>: sets a new password from an emailed link. Does not sign the user in. */
export async function resetPasswordByToken(deps: CoreDeps, actor: Actor, secret: string, input: TokenReset): Promise<Outcome> {
  const link = await resetLink(deps, secret);
  if (!link.ok) return link;
  const { token, account } = link;
  if (token.purpose === 'reset' && account.security_answer_hash && !input.answerVerified) {
    const wrong = await checkResetAnswer(deps, actor, token, account, input.securityAnswer ?? '');
    if (wrong) return wrong;
  }
  const refusal = await checkNewPassword(deps, account, input.newPassword);
  if (refusal) return refusal;
  const newPin = input.newPin === undefined || input.newPin === '' ? undefined : input.newPin;
  if (newPin !== undefined) {
    if (token.purpose !== 'reset' || !account.security_answer_hash) return refuse('token_invalid');
    const pinRefusal = checkPin(newPin);
    if (pinRefusal) return pinRefusal;
  }
  const used = await consumeToken(deps, secret, ['reset', 'set_password']);
  if (!used.ok) return used;
  if (account.status === 'pending_activation') return refuse('account_not_active');
  // A password set through an admin-set link was chosen by the admin: the user changes it at the next login.
  await applyNewPassword(deps, account, actor, input.newPassword, 'reset_password', {
    mustChange: used.token.origin === 'admin_set',
    ...(newPin === undefined ? {} : { newPin }),
  });
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
  // Under every policy, not only `random`: an admin resets a password because its owner
  // lost it or someone else may have it, and a session is as good as the password was.
  await endAllSessions(deps.db, account.id, 'admin_reset', now, actor);
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
      locale: account.locale,
      secret: temporary,
      facts: { expiresAt },
    });
  } else {
    const token = await issueToken(deps, account.id, 'set_password', policy === 'admin-set' ? { origin: 'admin_set' } : {});
    sentTo = policy === 'admin-set' ? adminEmail! : account.email;
    await emailTokenLink(deps, account, token, 'set_password_link', { to: sentTo, facts: { forAdmin: policy === 'admin-set' ? 1 : 0 } });
  }
  await writeAudit(deps.db, now, { actor, action: 'admin_reset_password', targetAccountId: account.id, detail: { policy } });
  return ok({ policy, sentTo });
}
