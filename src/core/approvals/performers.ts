// What an approved request does, one performer per kind of ticket. Only the click that won
// the decision (decideApproval's compare-and-swap) runs it, as the deciding admin, so the
// core checks that admin's authority again and audits the action under their name. The
// note goes into the ticket's thread as catalogue words (a key and its parameters), said
// in the helpdesk channel's language; it never carries a secret.
import { issueAccessKey } from '../access-keys.js';
import type { Actor, CoreDeps } from '../deps.js';
import type { HelpdeskEffects, TicketNote } from '../effects.js';
import { findAccountById } from '../../store/accounts.js';
import { maskEmail } from '../identity.js';
import { issueSecurityReset } from '../identity-verification.js';
import { unlockAccount } from '../lockout.js';
import { clearMfa } from '../mfa.js';
import { ok, type Outcome, type Refusal } from '../refusal.js';
import type { AccountRow, TicketRow } from '../../store/schema.js';
import type { TicketKind } from '../types.js';

/** The outcome: a line for the ticket's thread, and whether the action failed. */
export interface PerformedAction {
  ok: boolean;
  note: TicketNote;
}

/** A refusal as a thread note. */
const refusalNote = (refusal: Refusal): TicketNote => ({ key: `refusal.${refusal.code}`, params: refusal.params });

type Performer = (deps: CoreDeps, helpdesk: HelpdeskEffects, ticket: TicketRow & { account_id: string }, decider: Actor) => Promise<PerformedAction>;

/**
 * Issues an access key and sends its owner "Reveal once" (an admin's `/access-key @user`,
 * or an approved request). The issuer learns only that it went out: the secret does not
 * exist until the owner presses the button.
 */
export async function issueKeyToOwner(
  deps: CoreDeps,
  helpdesk: HelpdeskEffects,
  actor: Actor,
  ownerId: string,
): Promise<Outcome<{ keyId: string; owner: AccountRow; told: boolean }>> {
  const issued = await issueAccessKey(deps, actor, ownerId);
  if (!issued.ok) return issued;
  const owner = (await findAccountById(deps.db, ownerId))!;
  const told = owner.slack_user_id ? await helpdesk.offerKey(owner, issued.key.id) : false;
  return ok({ keyId: issued.key.id, owner, told });
}

const PERFORMERS = {
  unlock: async (deps, _helpdesk, ticket, decider) => {
    const out = await unlockAccount(deps, decider, ticket.account_id, ticket.id);
    if (!out.ok) return { ok: false, note: refusalNote(out) };
    return { ok: true, note: { key: out.wasLocked ? 'slack.ticketNote.unlocked' : 'slack.ticketNote.lockAlreadyEnded' } };
  },
  mfa_reset: async (deps, _helpdesk, ticket, decider) => {
    // The core emails the notice and the enrolment link.
    const cleared = await clearMfa(deps, decider, ticket.account_id);
    if (!cleared.ok) return { ok: false, note: refusalNote(cleared) };
    const account = await findAccountById(deps.db, ticket.account_id);
    return {
      ok: true,
      note: account ? { key: 'slack.ticketNote.mfaCleared', params: { email: maskEmail(account.email) } } : { key: 'slack.ticketNote.mfaClearedOnFile' },
    };
  },
  access_key: async (deps, helpdesk, ticket, decider) => {
    const issued = await issueKeyToOwner(deps, helpdesk, decider, ticket.account_id);
    if (!issued.ok) return { ok: false, note: refusalNote(issued) };
    const params = { keyId: issued.keyId };
    return { ok: true, note: { key: issued.told ? 'slack.ticketNote.keyIssued' : 'slack.ticketNote.keyIssuedNotTold', params } };
  },
  manual_verification: async (deps, _helpdesk, ticket, decider) => {
    const sent = await issueSecurityReset(deps, decider, ticket.account_id);
    if (!sent.ok) return { ok: false, note: refusalNote(sent) };
    return { ok: true, note: { key: 'slack.ticketNote.identityVerified', params: { email: maskEmail(sent.sentTo) } } };
  },
} satisfies Partial<Record<TicketKind, Performer>>;

/** Whether keydesk can carry out an approved ticket of this kind. */
export function hasPerformer(kind: TicketKind): boolean {
  return kind in PERFORMERS;
}

/** Carries out an approved ticket as the admin who decided it. */
export async function performApproved(deps: CoreDeps, helpdesk: HelpdeskEffects, ticket: TicketRow, decider: Actor): Promise<PerformedAction> {
  const performer: Performer | undefined = (PERFORMERS as Partial<Record<string, Performer>>)[ticket.kind];
  if (!performer) return { ok: false, note: { key: 'slack.ticketNote.noPerformer', params: { kind: ticket.kind } } };
  if (!ticket.account_id) return { ok: false, note: { key: 'slack.ticketNote.noAccount' } };
  return performer(deps, helpdesk, { ...ticket, account_id: ticket.account_id }, decider);
}
