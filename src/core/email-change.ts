// Changing the address on file. Three ways in, one way through:
//  - the owner, on the "My account" page (current password and PIN), gives the new address;
//  - an admin (`/helpdesk email @user new@x`) names it for the user;
//  - the CLI, on the server, sets it at once (`keydesk user set-email OLD NEW`).
// The first two only start a change: the new address gets a single-use confirmation link
// (24 h) and the old one a notice with "this wasn't me". Nobody but the owner of the new
// inbox completes it, so an admin can't move an account to an address they hold. On
// confirmation the address changes, every password link still open is revoked (they were
// sent to the old address), every session ends, and both addresses are told.
// An address another account holds gets the same answer as any other — nothing tells the
// asker it exists — and an `email_conflict` ticket for the helpdesk to sort out.
import type { AccountRow, TicketRow } from '../store/schema.js';
import { findAccountByEmail, findAccountById } from '../store/accounts.js';
import { writeAudit } from './audit.js';
import { proveOwner, type OwnerProof } from './account-proof.js';
import { authorizeAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { normalizeEmail } from './identity.js';
import { ok, refuse, type Outcome } from './refusal.js';
import { endAllSessions } from './sessions.js';
import { requestTicket } from './tickets.js';
import { consumeToken, emailTokenLink, inspectToken, issueToken, issueTokenWithinLimit, PASSWORD_TOKEN_PURPOSES, revokeTokens } from './tokens.js';

/** Confirmation links an account may be sent in an hour: each one emails an address we don't know yet. */
const CHANGES_PER_HOUR = { max: 3, windowMs: 3_600_000 };

/** What a started change tells its starter: always the address they typed, never whether it was free. */
export interface StartedChange {
  newEmail: string;
}

/** Tokens an address change voids: every link sent to the old address, and other pending changes. */
const VOIDED_BY_CHANGE = [...PASSWORD_TOKEN_PURPOSES, 'email_change', 'activation', 'mfa_enrol', 'security_reset'] as const;

/** The owner's request, from the "My account" page: the link, current password and PIN, the new address. */
export async function requestOwnEmailChange(
  deps: CoreDeps,
  actor: Actor,
  secret: string,
  input: OwnerProof & { newEmail: string },
): Promise<Outcome<StartedChange>> {
  const newEmail = normalizeEmail(input.newEmail);
  if (!newEmail) return refuse('invalid_email');
  const link = await inspectToken(deps, secret, ['change_password']);
  if (link.ok) {
    const account = await findAccountById(deps.db, link.token.account_id);
    // Checked before the guesses: the owner sees their own address on the page anyway.
    if (account && account.email === newEmail) return refuse('email_unchanged');
  }
  const proven = await proveOwner(deps, actor, secret, input);
  if (!proven.ok) return proven;
  const used = await consumeToken(deps, secret, ['change_password']);
  if (!used.ok) return used;
  return startEmailChange(deps, actor, proven.account, newEmail, 'self');
}

/** An admin names a new address for someone: it still changes only when that inbox confirms. */
export async function adminRequestEmailChange(deps: CoreDeps, actor: Actor, accountId: string, rawEmail: string): Promise<Outcome<StartedChange>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'change_email', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  if (account.status === 'disabled') return refuse('account_not_active');
  const newEmail = normalizeEmail(rawEmail);
  if (!newEmail) return refuse('invalid_email');
  if (newEmail === account.email) return refuse('email_unchanged');
  return startEmailChange(deps, actor, account, newEmail, 'admin');
}

export async function startEmailChange(deps: CoreDeps, actor: Actor, account: AccountRow, newEmail: string, by: 'self' | 'admin' | 'verified'): Promise<Outcome<StartedChange>> {
  const now = deps.clock.now();
  // Taken or free, the request costs one of the hour's three links and the old address gets
  // its notice: neither the limit nor the old inbox may tell the asker the address exists.
  const confirm = await issueTokenWithinLimit(deps, account.id, 'email_change', CHANGES_PER_HOUR, { newEmail });
  if (!confirm) {
    await writeAudit(deps.db, now, { actor, action: 'email_change_throttled', targetAccountId: account.id, detail: { by } });
    return refuse('link_limit');
  }
  const holder = await findAccountByEmail(deps.db, newEmail);
  if (holder) {
    // Never sent: the helpdesk finds out which two accounts are involved.
    await revokeTokens(deps.db, account.id, ['email_change'], now);
    await writeAudit(deps.db, now, { actor, action: 'email_change_conflict', targetAccountId: account.id, detail: { by } });
    await openAndAnnounce(deps, actor, account, 'email_conflict', { requested_email: newEmail, held_by: holder.id, by });
  } else {
    await writeAudit(deps.db, now, { actor, action: 'request_email_change', targetAccountId: account.id, detail: { by, new_email: newEmail } });
    await emailTokenLink(deps, account, confirm, 'email_change_confirm', { to: newEmail });
  }
  // The report link remembers the address it is about, for its page and its ticket.
  const report = await issueToken(deps, account.id, 'email_change_report', { newEmail });
  await emailTokenLink(deps, account, report, 'email_change_requested', { facts: { newEmail } });
  return ok({ newEmail });
}

/** The address a confirmation link would set, to show on its page (the link stays unused). */
export async function pendingEmailOf(deps: CoreDeps, secret: string): Promise<string | null> {
  const found = await inspectToken(deps, secret, ['email_change']);
  return found.ok ? found.token.new_email : null;
}

/** The new inbox opened its link: the address changes, once. */
export async function confirmEmailChange(deps: CoreDeps, actor: Actor, secret: string): Promise<Outcome<{ newEmail: string }>> {
  const used = await consumeToken(deps, secret, ['email_change']);
  if (!used.ok) return used;
  const account = await findAccountById(deps.db, used.token.account_id);
  const newEmail = used.token.new_email;
  if (!account || !newEmail || account.status === 'disabled') return refuse('token_invalid');
  const changed = await applyEmailChange(deps, actor, account, newEmail);
  if (!changed.ok) {
    // Taken between the request and now: the helpdesk sorts it out, the page says so.
    await openAndAnnounce(deps, actor, account, 'email_conflict', { requested_email: newEmail, by: 'confirmation' });
    return refuse('email_not_available');
  }
  return ok({ newEmail });
}

/** The CLI sets an address at once, on the server: audited, and both addresses told. */
export async function setEmailFromServer(deps: CoreDeps, actor: Actor, accountId: string, rawEmail: string): Promise<Outcome<{ account: AccountRow }>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'change_email', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  const newEmail = normalizeEmail(rawEmail);
  if (!newEmail) return refuse('invalid_email');
  if (newEmail === account.email) return refuse('email_unchanged');
  const changed = await applyEmailChange(deps, actor, account, newEmail);
  if (!changed.ok) return refuse('account_exists', { field: 'email' });
  return ok({ account: (await findAccountById(deps.db, account.id))! });
}

/**
 * Writes the new address unless another account holds it (the store's unique index is the
 * judge, so two confirmations racing for one address can't both win), revokes what was
 * sent to the old one and tells both.
 */
async function applyEmailChange(deps: CoreDeps, actor: Actor, account: AccountRow, newEmail: string): Promise<Outcome> {
  const now = deps.clock.now();
  try {
    await deps.db.updateTable('accounts').set({ email: newEmail, updated_at: now }).where('id', '=', account.id).execute();
  } catch (error) {
    const holder = await findAccountByEmail(deps.db, newEmail);
    if (holder && holder.id !== account.id) return refuse('account_exists', { field: 'email' });
    throw error;
  }
  await revokeTokens(deps.db, account.id, VOIDED_BY_CHANGE, now);
  // A session began under the old address: sign-ins from now on use the new one.
  await endAllSessions(deps.db, account.id, 'email_changed', now, actor);
  await writeAudit(deps.db, now, { actor, action: 'change_email', targetAccountId: account.id, detail: { from: account.email, to: newEmail } });
  const facts = { oldEmail: account.email, newEmail, at: now };
  for (const to of [account.email, newEmail]) {
    await deps.effects.sendEmail({ kind: 'email_changed', accountId: account.id, to, locale: account.locale, facts });
  }
  if (account.status === 'pending_activation') {
    // The usual case of a wrong address: a new hire whose activation link went astray. A fresh one goes to the right inbox.
    const activation = await issueToken(deps, account.id, 'activation');
    await emailTokenLink(deps, { ...account, email: newEmail }, activation, 'activation');
  }
  return ok();
}

/** The address a "this wasn't me" link is about, for its page. */
export async function reportedChangeOf(deps: CoreDeps, secret: string): Promise<string | null> {
  const found = await inspectToken(deps, secret, ['email_change_report']);
  return found.ok ? (found.token.new_email ?? '') : null;
}

/**
 * The old address says "this wasn't me": a change still waiting is cancelled (its
 * confirmation link revoked) and the helpdesk gets a ticket, whether or not one was waiting.
 */
export async function reportEmailChange(deps: CoreDeps, actor: Actor, secret: string): Promise<Outcome<{ cancelled: boolean }>> {
  const used = await consumeToken(deps, secret, ['email_change_report']);
  if (!used.ok) return used;
  const account = await findAccountById(deps.db, used.token.account_id);
  if (!account) return refuse('token_invalid');
  const now = deps.clock.now();
  const revoked = await deps.db
    .updateTable('one_time_tokens')
    .set({ revoked_at: now })
    .where('account_id', '=', account.id)
    .where('purpose', '=', 'email_change')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  const cancelled = revoked.length > 0;
  await writeAudit(deps.db, now, { actor, action: 'report_email_change', targetAccountId: account.id, detail: { cancelled } });
  await openAndAnnounce(deps, actor, account, 'email_change_report', {
    requested_email: used.token.new_email ?? '',
    cancelled,
  });
  return ok({ cancelled });
}

/** Opens (or finds) the helpdesk's ticket and asks for its card in the channel. */
async function openAndAnnounce(
  deps: CoreDeps,
  actor: Actor,
  account: AccountRow,
  kind: 'email_conflict' | 'email_change_report',
  data: Record<string, string | boolean>,
): Promise<TicketRow> {
  const { ticket, created } = await requestTicket(deps, actor, { kind, accountId: account.id, requesterSlackId: account.slack_user_id, data });
  if (created) await deps.effects.notify({ kind: 'ticket_opened', ticketId: ticket.id });
  return ticket;
}
