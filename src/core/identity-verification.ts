// When someone knows neither their security answer nor their PIN, a person verifies them.
// The request ("I can't answer" on a page, or the button in Slack's /password modal) opens a
// `manual_verification` ticket; an admin who checked who they are marks it verified (the
// ticket's Approve, behind a confirm), which emails a single-use link to set a new
// question, answer and PIN — and, if they give one, to start moving to a new address.
// Marking a primary admin verified is CLI-only, like every protected action.
import type { TicketRow } from '../store/schema.js';
import { findAccountById } from '../store/accounts.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { startEmailChange } from './email-change.js';
import { normalizeAnswer } from './hashing.js';
import { normalizeEmail } from './identity.js';
import { ok, refuse, type Outcome } from './refusal.js';
import { checkSecurityDetails } from './security-details.js';
import { requestTicket } from './tickets.js';
import { consumeToken, emailTokenLink, inspectToken, issueToken } from './tokens.js';

/** Where the person gave up: shown on the card, so the agent knows what they were trying. */
export const VERIFICATION_VIA = ['reset_page', 'account_page', 'mfa_page', 'slack'] as const;
export type VerificationVia = (typeof VERIFICATION_VIA)[number];

/**
 * A page's "I can't answer": opens (or finds) the account's ticket and asks for its card.
 * Slack's button goes through requestApproval instead, which posts the card itself.
 */
export async function requestManualVerification(deps: CoreDeps, actor: Actor, accountId: string, via: VerificationVia): Promise<Outcome<{ ticket: TicketRow; created: boolean }>> {
  const account = await findAccountById(deps.db, accountId);
  if (!account || account.status === 'disabled') return refuse('account_not_active');
  const { ticket, created } = await requestTicket(deps, actor, {
    kind: 'manual_verification',
    accountId: account.id,
    requesterSlackId: account.slack_user_id,
    data: { via },
  });
  if (created) await deps.effects.notify({ kind: 'ticket_opened', ticketId: ticket.id });
  return ok({ ticket, created });
}

/** The admin (or the CLI) vouches for the person: a link to set new security details goes to the address on file. */
export async function issueSecurityReset(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome<{ sentTo: string }>> {
  const account = await findAccountById(deps.db, accountId);
  const denied = await authorizeAdmin(deps, actor, 'verify_identity', account ?? null);
  if (denied) return denied;
  if (!account) return refuse('account_not_found');
  if (account.status !== 'active') return refuse('account_not_active');
  const token = await issueToken(deps, account.id, 'security_reset');
  await writeAudit(deps.db, deps.clock.now(), { actor, action: 'verify_identity', targetAccountId: account.id });
  await emailTokenLink(deps, account, token, 'security_reset_link');
  return ok({ sentTo: account.email });
}

export interface SecurityReset {
  newQuestion: string;
  newAnswer: string;
  newPin: string;
  /** Empty to keep the address; else a change starts (the new address confirms it). */
  newEmail: string;
}

/** /set-security/<token>: the verified person sets a new question, answer and PIN (all three). */
export async function completeSecurityReset(deps: CoreDeps, actor: Actor, secret: string, input: SecurityReset): Promise<Outcome<{ emailChange: string | null }>> {
  const found = await inspectToken(deps, secret, ['security_reset']);
  if (!found.ok) return found;
  if (input.newQuestion.trim() === '' || input.newPin === '') return refuse('security_question_required');
  const invalid = checkSecurityDetails(input);
  if (invalid) return invalid;
  const newEmail = input.newEmail.trim() === '' ? null : normalizeEmail(input.newEmail);
  if (input.newEmail.trim() !== '' && !newEmail) return refuse('invalid_email');
  const account = await findAccountById(deps.db, found.token.account_id);
  if (!account || account.status !== 'active') return refuse('token_invalid');
  if (newEmail === account.email) return refuse('email_unchanged');
  if (deps.hasher.busy) return refuse('busy');
  const [answerHash, pinHash] = await Promise.all([deps.hasher.hash(normalizeAnswer(input.newAnswer)), deps.hasher.hash(input.newPin)]);
  const used = await consumeToken(deps, secret, ['security_reset']);
  if (!used.ok) return used;
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({ security_question: input.newQuestion.trim(), security_answer_hash: answerHash, pin_hash: pinHash, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  await writeAudit(deps.db, now, { actor, action: 'reset_security_details', targetAccountId: account.id, detail: { email_change: newEmail !== null } });
  await deps.effects.sendEmail({ kind: 'security_changed', accountId: account.id, to: account.email, locale: account.locale, facts: { at: now } });
  if (newEmail) {
    const started = await startEmailChange(deps, actor, account, newEmail, 'verified');
    if (!started.ok) return started;
  }
  return ok({ emailChange: newEmail });
}
