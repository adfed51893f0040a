// Second factors: enrolment through an emailed link (password and security answer first,
// then the method: a TOTP secret and a first code from the app, or a first code sent by
// email or SMS, src/core/otp-codes.ts), verification with each code accepted once, and clearing
// (never from Slack for a primary admin). Secrets are sealed at rest under SECRETS_KEY.
import { createHmac } from 'node:crypto';
import type { AccountRow, TokenRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import { webActor, type Actor, type CoreDeps } from './deps.js';
import { normalizeAnswer } from './hashing.js';
import { findAccountById } from '../store/accounts.js';
import { normalizePassword } from './password-policy.js';
import { ok, refuse, type Outcome } from './refusal.js';
import { endAllSessions } from './sessions.js';
import { consumeToken, emailTokenLink, inspectToken, issueToken, verifyOnLink } from './tokens.js';
import type { SecretKey } from './secret-box.js';
import { totpSecretFromBytes, totpUri, verifyTotp } from './totp.js';
import { checkCode, sendCode } from './otp-codes.js';
import { hasSecondFactor, maskedDestination } from './second-factor.js';
import type { OtpChannel } from './types.js';

/** What an account's sealed TOTP secret is bound to: it opens for that account only. */
export const totpContext = (accountId: string) => `totp:${accountId}`;

/**
 * The secret an enrolment link offers: derived from the link's token under a server key,
 * so step 2 takes only the secret step 1 showed after the password and answer were
 * proven, never one the caller made up.
 */
function offeredTotpSecret(deps: CoreDeps, tokenId: string, base: SecretKey = deps.secrets.current): string {
  const key = deps.secrets.derive('totp-enrol', base);
  return totpSecretFromBytes(createHmac('sha256', key.bytes).update(tokenId).digest().subarray(0, 20));
}

/**
 * Checks a code and records its step, so the same code (or an older one) never works
 * again; the conditional UPDATE makes two racing uses of one code accept only one.
 */
export async function acceptTotp(deps: CoreDeps, account: AccountRow, code: string): Promise<boolean> {
  if (!account.totp_secret_enc) return false;
  const secret = deps.secrets.open(account.totp_secret_enc, totpContext(account.id));
  const result = await verifyTotp({ secret, code, lastStep: account.totp_last_step, nowMs: deps.clock.now() });
  if (!result.valid) return false;
  const won = await deps.db
    .updateTable('accounts')
    .set({ totp_last_step: result.step })
    .where('id', '=', account.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', result.step)]))
    .returning('id')
    .executeTakeFirst();
  return won !== undefined;
}

/** Clears an account's TOTP and emails an enrolment link. Refused for a primary admin except from the CLI. */
export async function clearMfa(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'clear_mfa', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ totp_secret_enc: null, totp_last_step: null, mfa_method: null, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'clear_mfa', targetAccountId: account.id });
  // A session signed in with the cleared second factor is not one to keep.
  await endAllSessions(deps.db, account.id, 'mfa_cleared', now, actor);
  // The notice and the link go separately: the notice is what a victim of a rogue
  // reset must see even if the link email is filtered away.
  await deps.effects.sendEmail({ kind: 'mfa_cleared', accountId: account.id, to: account.email, locale: account.locale });
  await sendEnrolmentLink(deps, account);
  return ok();
}

async function sendEnrolmentLink(deps: CoreDeps, account: AccountRow): Promise<void> {
  await emailTokenLink(deps, account, await issueToken(deps, account.id, 'mfa_enrol'), 'mfa_enrol_link');
}

/** Sends an enrolment link to an account without MFA (e.g. MFA newly required for its role). */
export async function sendMfaEnrolment(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  if (hasSecondFactor(account)) return refuse('mfa_already_enrolled');
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'send_mfa_enrolment', targetAccountId: account.id });
  await sendEnrolmentLink(deps, account);
  return ok();
}

/**
 * Enrolment step 1 (the link's page): the password and security answer prove the
 * owner; then a new secret is offered. It is not stored until a first code confirms it.
 */
export async function beginEnrolment(
  deps: CoreDeps,
  secret: string,
  proof: { password: string; securityAnswer: string },
  actor: Actor = webActor(null),
): Promise<Outcome<{ totpSecret: string; uri: string }>> {
  const proven = await proveEnrolmentOwner(deps, secret, proof, actor);
  if (!proven.ok) return proven;
  const totpSecret = offeredTotpSecret(deps, proven.tokenId);
  return ok({ totpSecret, uri: totpUri({ issuer: deps.policy.totpIssuer, label: proven.account.email, secret: totpSecret }) });
}

/**
 * Step 1 of every enrolment: the link's tries reserved, then the password and security
 * answer verified together (a wrong one costs a try; the fifth voids the link).
 */
async function proveEnrolmentOwner(
  deps: CoreDeps,
  secret: string,
  proof: { password: string; securityAnswer: string },
  actor: Actor,
): Promise<Outcome<{ tokenId: string; account: AccountRow }>> {
  const found = await inspectToken(deps, secret, ['mfa_enrol']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account?.password_hash || !account.security_answer_hash || account.status === 'disabled') return refuse('token_invalid');
  if (deps.hasher.busy) return refuse('busy');
  const { password_hash: passwordHash, security_answer_hash: answerHash } = account;
  let passwordOk = false;
  const tried = await verifyOnLink(deps, found.token.id, async () => {
    const [password, answer] = await Promise.all([
      deps.hasher.verify(passwordHash, normalizePassword(proof.password)),
      deps.hasher.verify(answerHash, normalizeAnswer(proof.securityAnswer)),
    ]);
    passwordOk = password;
    return password && answer;
  });
  if (tried === 'spent') return refuse('token_invalid');
  if (tried !== 'right') {
    await writeAudit(deps.db, deps.clock.now(), { actor, action: 'wrong_enrolment_proof', targetAccountId: account.id, detail: { voided: tried === 'voided' } });
    return tried === 'voided' ? refuse('token_invalid') : refuse(passwordOk ? 'wrong_answer' : 'wrong_password');
  }
  // A temporary password proves nothing here: it works once, to sign in and change it.
  if (account.temp_password_expires_at !== null) return refuse('temp_password_sign_in_first');
  return ok({ tokenId: found.token.id, account });
}

/**
 * Enrolment step 1 for a code method: once the owner is proven, a first code goes to the
 * email or phone on file (3 sends per 10 minutes, shared with sign-in codes). `sentTo` is
 * the destination masked, for the page to say where it went.
 */
export async function beginCodeEnrolment(
  deps: CoreDeps,
  secret: string,
  proof: { password: string; securityAnswer: string },
  channel: OtpChannel,
  actor: Actor = webActor(null),
): Promise<Outcome<{ sentTo: string }>> {
  const proven = await proveEnrolmentOwner(deps, secret, proof, actor);
  if (!proven.ok) return proven;
  const { account } = proven;
  if (channel === 'sms' && !account.phone) return refuse('no_phone_on_file');
  return sendEnrolmentCode(deps, account, channel, actor, false);
}

/** An enrolment code to `channel`, within the 3 sends per 10 minutes, audited; `sentTo` masked for the page. */
async function sendEnrolmentCode(deps: CoreDeps, account: AccountRow, channel: OtpChannel, actor: Actor, resent: boolean): Promise<Outcome<{ sentTo: string }>> {
  const sent = await sendCode(deps, account, 'enrol', channel);
  if (!sent.sent) return refuse(sent.why === 'limit' ? 'code_send_limit' : 'no_phone_on_file');
  const detail: Record<string, string | boolean> = resent ? { channel, purpose: 'enrol', resent } : { channel, purpose: 'enrol' };
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'otp_sent', targetAccountId: account.id, detail });
  return ok({ sentTo: maskedDestination(account, channel) });
}

/** Step 2's link and owner, for a code to `channel`: the link valid, the owner not disabled, a phone for SMS. */
async function codeEnrolmentOwner(deps: CoreDeps, secret: string, channel: OtpChannel): Promise<Outcome<{ token: TokenRow; account: AccountRow }>> {
  const found = await inspectToken(deps, secret, ['mfa_enrol']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account || account.status === 'disabled') return refuse('token_invalid');
  if (channel === 'sms' && !account.phone) return refuse('no_phone_on_file');
  return ok({ token: found.token, account });
}

/**
 * "Send a new code" on enrolment step 2: the first code did not arrive, or it expired. Only
 * after step 1 proved the owner with this link: an enrolment code to that channel must have
 * been sent since the link was issued (only a proven step 1, or a resend, sends one), so
 * the link alone sends nothing. The new code replaces the old one and counts against the
 * same 3 sends per 10 minutes.
 */
export async function resendEnrolmentCode(deps: CoreDeps, secret: string, channel: OtpChannel, actor: Actor = webActor(null)): Promise<Outcome<{ sentTo: string }>> {
  const owner = await codeEnrolmentOwner(deps, secret, channel);
  if (!owner.ok) return owner;
  const { token, account } = owner;
  const earlier = await deps.db
    .selectFrom('otp_codes')
    .select('id')
    .where('account_id', '=', account.id)
    .where('purpose', '=', 'enrol')
    .where('channel', '=', channel)
    .where('created_at', '>=', token.created_at)
    .executeTakeFirst();
  if (!earlier) return refuse('token_invalid');
  return sendEnrolmentCode(deps, account, channel, actor, true);
}

/** Enrolment step 2 for a code method: the first code sent confirms the channel; the link is used up. */
export async function confirmCodeEnrolment(deps: CoreDeps, actor: Actor, secret: string, channel: OtpChannel, code: string): Promise<Outcome<{ sentTo: string }>> {
  const found = await codeEnrolmentOwner(deps, secret, channel);
  if (!found.ok) return found;
  const owner = found.account;
  if ((await checkCode(deps, owner.id, 'enrol', code)) !== 'right') return refuse('wrong_code');
  const used = await consumeToken(deps, secret, ['mfa_enrol']);
  if (!used.ok) return used;
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ mfa_method: channel, totp_secret_enc: null, totp_last_step: null, updated_at: now })
    .where('id', '=', owner.id)
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'enrol_mfa', targetAccountId: owner.id, detail: { method: channel } });
  return ok({ sentTo: maskedDestination(owner, channel) });
}

/** Enrolment step 2: a first code from the authenticator confirms the secret; the link is used up. */
export async function confirmEnrolment(deps: CoreDeps, actor: Actor, secret: string, totpSecret: string, code: string): Promise<Outcome> {
  const found = await inspectToken(deps, secret, ['mfa_enrol']);
  if (!found.ok) return found;
  if (!deps.secrets.madeUnderSomeKey(totpSecret, (key) => offeredTotpSecret(deps, found.token.id, key))) return refuse('token_invalid');
  const owner = await findAccountById(deps.db, found.token.account_id);
  if (!owner || owner.status === 'disabled') return refuse('token_invalid');
  const check = await verifyTotp({ secret: totpSecret, code, lastStep: null, nowMs: deps.clock.now() });
  if (!check.valid) return refuse('wrong_otp');
  const used = await consumeToken(deps, secret, ['mfa_enrol']);
  if (!used.ok) return used;
  const accountId = found.token.account_id;
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ totp_secret_enc: deps.secrets.seal(totpSecret, totpContext(accountId)), totp_last_step: check.step, mfa_method: 'totp', updated_at: now })
    .where('id', '=', accountId)
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'enrol_mfa', targetAccountId: accountId, detail: { method: 'totp' } });
  return ok();
}
