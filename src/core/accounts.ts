// Account lifecycle: create (pending activation, with an emailed activation link),
// activate (first password, PIN, security question), disable / enable, role, Slack link
// (the locale is src/core/locale.ts). Each writes the audit log.
import { randomUUID } from 'node:crypto';
import type { AccountRow } from '../store/schema.js';
import { nextStatus } from './account-status.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { normalizeAnswer } from './hashing.js';
import { findAccountByEmail, findAccountById } from '../store/accounts.js';
import { normalizeEmail, normalizeExtension, normalizePhone, SLACK_USER_ID } from './identity.js';
import { checkPassword, normalizePassword } from './password-policy.js';
import { checkPin } from './pin-policy.js';
import { ok, refuse, type Outcome, type Refusal } from './refusal.js';
import { endAllSessions } from './sessions.js';
import { consumeToken, emailTokenLink, inspectToken, issueToken, issueTokenWithinLimit, nextTokenWithinLimitAt, revokeTokens } from './tokens.js';
import { TOKEN_PURPOSES, type DisableReason, type Locale, type Role } from './types.js';

export interface NewAccount {
  email: string;
  displayName: string;
  phone?: string | null;
  extension?: string | null;
  role?: Role;
  locale?: Locale;
  slackUserId?: string | null;
}

export interface ValidAccountFields {
  email: string;
  displayName: string;
  phone: string | null;
  extension: string;
  role: Role;
  locale: Locale;
  /** Whether the locale was given (the CLI chose it), so Slack's locale won't replace it. */
  localeChosen: boolean;
  slackUserId: string | null;
}

/** Checks and normalises the fields of a new account (shared by create and CSV import). */
export function validateNewAccount(input: NewAccount, defaultRegion: string): Outcome<{ fields: ValidAccountFields }> {
  const email = normalizeEmail(input.email);
  if (!email) return refuse('invalid_email');
  const displayName = input.displayName.trim();
  if (displayName.length < 1 || displayName.length > 200) return refuse('invalid_name');
  let phone: string | null = null;
  if (input.phone && input.phone.trim() !== '') {
    phone = normalizePhone(input.phone, defaultRegion);
    if (!phone) return refuse('invalid_phone');
  }
  const extension = normalizeExtension(input.extension);
  if (extension === null) return refuse('invalid_extension');
  if (extension !== '' && !phone) return refuse('extension_without_phone');
  const slackUserId = input.slackUserId?.trim() || null;
  if (slackUserId !== null && !SLACK_USER_ID.test(slackUserId)) return refuse('invalid_slack_user');
  return ok({
    fields: {
      email,
      displayName,
      phone,
      extension,
      role: input.role ?? 'user',
      locale: input.locale ?? 'en',
      localeChosen: input.locale !== undefined,
      slackUserId,
    },
  });
}

/** Which unique field an existing account already holds, if any. */
async function conflictOf(deps: CoreDeps, f: ValidAccountFields): Promise<string | null> {
  if (await findAccountByEmail(deps.db, f.email)) return 'email';
  if (f.phone) {
    const byPhone = await deps.db
      .selectFrom('accounts')
      .select('id')
      .where('phone', '=', f.phone)
      .where('extension', '=', f.extension)
      .executeTakeFirst();
    if (byPhone) return 'phone';
  }
  if (f.slackUserId) {
    const bySlack = await deps.db.selectFrom('accounts').select('id').where('slack_user_id', '=', f.slackUserId).executeTakeFirst();
    if (bySlack) return 'Slack user';
  }
  return null;
}

/** Creates an account pending activation and emails its activation link. */
export async function createAccount(deps: CoreDeps, actor: Actor, input: NewAccount): Promise<Outcome<{ account: AccountRow }>> {
  const denied = await authorizeAdmin(deps, actor, 'create_account', null);
  if (denied) return denied;
  const valid = validateNewAccount(input, deps.policy.phoneDefaultRegion);
  if (!valid.ok) return valid;
  const f = valid.fields;
  if (f.role === 'primary_admin' && actor.kind !== 'cli') return refuse('primary_admin_cli_only');
  const conflict = await conflictOf(deps, f);
  if (conflict) return refuse('account_exists', { field: conflict });

  const now = deps.clock.now();
  const account: AccountRow = {
    id: randomUUID(),
    email: f.email,
    phone: f.phone,
    extension: f.extension,
    display_name: f.displayName,
    slack_user_id: f.slackUserId,
    role: f.role,
    locale: f.locale,
    locale_chosen: f.localeChosen ? 1 : 0,
    status: 'pending_activation',
    disabled_reason: null,
    disabled_note: null,
    locked_until: null,
    failed_count: 0,
    failure_window_start: null,
    password_hash: null,
    temp_password_expires_at: null,
    must_change_password: 0,
    pin_hash: null,
    totp_secret_enc: null,
    mfa_method: null,
    totp_last_step: null,
    security_question: null,
    security_answer_hash: null,
    password_changed_at: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await deps.db.insertInto('accounts').values(account).execute();
  } catch (error) {
    // A concurrent create of the same email, phone or Slack user won the unique index
    // between our check and this insert: the same refusal as if it had come first.
    const raced = await conflictOf(deps, f);
    if (raced) return refuse('account_exists', { field: raced });
    throw error;
  }
  await writeAudit(deps.db, now, { actor, action: 'create_account', targetAccountId: account.id, detail: { role: f.role } });
  await sendActivation(deps, account);
  return ok({ account });
}

async function sendActivation(deps: CoreDeps, account: AccountRow): Promise<void> {
  await emailTokenLink(deps, account, await issueToken(deps, account.id, 'activation'), 'activation');
}

/** Activation links "Resend activation email" sends an account in an hour (the creation's link aside). */
export const ACTIVATION_RESENDS_PER_HOUR = { max: 3, windowMs: 3_600_000 };

/**
 * Sends a fresh activation link to an account that isn't activated yet. From Slack, at
 * most 3 an hour (reserved under the account's row lock, so a burst can't pass); the CLI
 * (the operator on the server, e.g. after a queue failure at creation) is not limited.
 */
export async function resendActivation(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  if (account.status !== 'pending_activation') return refuse('already_active');
  if (actor.kind === 'cli') {
    await sendActivation(deps, account);
  } else {
    const origin = { origin: 'activation_resend' } as const;
    const token = await issueTokenWithinLimit(deps, account.id, 'activation', ACTIVATION_RESENDS_PER_HOUR, origin);
    if (!token) {
      await writeAudit(deps.db, deps.clock.now(), { actor, action: 'resend_activation_throttled', targetAccountId: account.id });
      const next = await nextTokenWithinLimitAt(deps, account.id, 'activation', ACTIVATION_RESENDS_PER_HOUR, origin);
      return refuse('activation_resend_limit', { max: ACTIVATION_RESENDS_PER_HOUR.max, after: utcMinute(next) });
    }
    await emailTokenLink(deps, account, token, 'activation');
  }
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'resend_activation', targetAccountId: account.id });
  return ok();
}

/** "2026-12-02 14:05 UTC", rounded up to the minute (so "after" is never early). */
function utcMinute(ms: number): string {
  const up = Math.ceil(ms / 60_000) * 60_000;
  return `${new Date(up).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface Activation {
  password: string;
  pin: string;
  securityQuestion: string;
  securityAnswer: string;
}

/** Checks an activation form without using the token (the page shows errors inline). */
export function checkActivation(deps: CoreDeps, account: AccountRow, input: Activation): Refusal | null {
  const policyRefusal = checkPassword(input.password, { email: account.email, displayName: account.display_name, hasMfa: false }, deps.policy.password);
  if (policyRefusal) return policyRefusal;
  const pinRefusal = checkPin(input.pin);
  if (pinRefusal) return pinRefusal;
  const question = input.securityQuestion.trim();
  if (question.length < 3 || question.length > 200 || normalizeAnswer(input.securityAnswer).length < 3) {
    return refuse('security_question_required');
  }
  return null;
}

/** Activates an account by its emailed token: first password, PIN and security question. */
export async function activateAccount(deps: CoreDeps, actor: Actor, secret: string, input: Activation): Promise<Outcome<{ account: AccountRow }>> {
  const found = await inspectToken(deps, secret, ['activation']);
  if (!found.ok) return found;
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account) return refuse('token_invalid');
  if (account.status !== 'pending_activation') return refuse('already_active');
  const refusal = checkActivation(deps, account, input);
  if (refusal) return refusal;

  const [passwordHash, pinHash, answerHash] = await Promise.all([
    deps.hasher.hash(normalizePassword(input.password)),
    deps.hasher.hash(input.pin),
    deps.hasher.hash(normalizeAnswer(input.securityAnswer)),
  ]);
  const used = await consumeToken(deps, secret, ['activation']);
  if (!used.ok) return used;
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({
      status: 'active',
      password_hash: passwordHash,
      pin_hash: pinHash,
      security_question: input.securityQuestion.trim(),
      security_answer_hash: answerHash,
      password_changed_at: now,
      updated_at: now,
    })
    .where('id', '=', account.id)
    .where('status', '=', 'pending_activation')
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'activate', targetAccountId: account.id });
  return ok({ account: (await findAccountById(deps.db, account.id))! });
}

export async function disableAccount(deps: CoreDeps, actor: Actor, accountId: string, reason: DisableReason, note?: string | null): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'disable', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  if (actor.id === account.id) return refuse('self_action');
  const next = nextStatus(account.status, 'disable', account.password_hash !== null);
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ status: next ?? 'disabled', disabled_reason: reason, disabled_note: note?.slice(0, 500) ?? null, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  // Disabling ends everything live: no emailed or DM'd link of the account works any more.
  await revokeTokens(deps.db, account.id, TOKEN_PURPOSES, now);
  await writeAudit(deps.db, now, { actor, action: 'disable', targetAccountId: account.id, detail: { reason } });
  // …and no session: verifySession refuses a disabled account anyway, this makes it final.
  await endAllSessions(deps.db, account.id, 'disabled', now, actor);
  if (account.status !== 'disabled' || account.disabled_reason !== reason) {
    // The owner is told, by email and in Slack, with the reason in their language. The
    // admin's free-text note is internal (for the helpdesk): it is never sent to the user.
    await deps.effects.sendEmail({ kind: 'account_disabled', accountId: account.id, to: account.email, locale: account.locale, facts: { reason } });
    await deps.effects.notify({ kind: 'account_disabled', accountId: account.id, reason, at: now });
  }
  return ok();
}

export async function enableAccount(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'enable', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  const next = nextStatus(account.status, 'enable', account.password_hash !== null);
  if (!next) return ok(); // already enabled: nothing to do
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ status: next, disabled_reason: null, disabled_note: null, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'enable', targetAccountId: account.id });
  await tellEnabled(deps, account, next, now);
  return ok();
}

/**
 * The owner of an account enabled again (by an admin, or by /validate) is told by email and
 * in Slack. Disabling revoked every link, so a not-yet-activated owner is told to ask for a
 * new one.
 */
export async function tellEnabled(deps: CoreDeps, account: Pick<AccountRow, 'id' | 'email' | 'locale'>, next: AccountRow['status'], now: number): Promise<void> {
  const status = next === 'active' ? 'active' : 'pending_activation';
  await deps.effects.sendEmail({
    kind: 'account_enabled',
    accountId: account.id,
    to: account.email,
    locale: account.locale,
    facts: status === 'active' ? { signIn: 1 } : { activate: 1 },
  });
  await deps.effects.notify({ kind: 'account_enabled', accountId: account.id, status, at: now });
}

export async function setRole(deps: CoreDeps, actor: Actor, accountId: string, role: Role): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'set_role', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  if (role === 'primary_admin' && actor.kind !== 'cli') return refuse('primary_admin_cli_only');
  const now = deps.clock.now();
  await deps.db.updateTable('accounts').set({ role, updated_at: now }).where('id', '=', account.id).execute();
  await writeAudit(deps.db, now, { actor, action: 'set_role', targetAccountId: account.id, detail: { from: account.role, to: role } });
  return ok();
}

export async function linkSlackUser(deps: CoreDeps, actor: Actor, accountId: string, slackUserId: string, how: 'admin' | 'verified_email'): Promise<Outcome> {
  const account = await findAccountById(deps.db, accountId);
  if (how === 'admin') {
    const denied = await authorizeAdmin(deps, actor, 'link_slack', account ?? null);
    if (denied) return denied;
  }
  if (!account) return refuse('account_not_found');
  if (!SLACK_USER_ID.test(slackUserId)) return refuse('invalid_slack_user');
  const holder = await deps.db.selectFrom('accounts').select('id').where('slack_user_id', '=', slackUserId).executeTakeFirst();
  if (holder && holder.id !== account.id) return refuse('account_exists', { field: 'Slack user' });
  const now = deps.clock.now();
  let update = deps.db.updateTable('accounts').set({ slack_user_id: slackUserId, updated_at: now }).where('id', '=', account.id);
  // By email, only an unlinked account, decided in the UPDATE: two requests of the same
  // person racing link it once (one audit row); an admin may re-link.
  if (how === 'verified_email') update = update.where('slack_user_id', 'is', null);
  const changed = Number((await update.executeTakeFirst()).numUpdatedRows);
  if (changed === 0) {
    const current = await findAccountById(deps.db, account.id);
    return current?.slack_user_id === slackUserId ? ok() : refuse('account_exists', { field: 'Slack user' });
  }
  await writeAudit(deps.db, now, { actor, action: 'link_slack', targetAccountId: account.id, detail: { slack_user_id: slackUserId, how } });
  return ok();
}
