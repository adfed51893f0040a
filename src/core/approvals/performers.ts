// What an approved request does, one performer per kind of ticket. Only the click that won
// the decision (decideApproval's compare-and-swap) runs it, as the deciding admin, so the
// core checks that admin's authority again and audits the action under their name. The
// note goes into the ticket's thread, in English like the rest of the helpdesk channel,
// so it never carries a secret.
import { issueAccessKey } from '../access-keys.js';
import type { Actor, CoreDeps } from '../deps.js';
import type { HelpdeskEffects } from '../effects.js';
import { findAccountById } from '../../store/accounts.js';
import { maskEmail } from '../identity.js';
import { issueSecurityReset } from '../identity-verification.js';
import { unlockAccount } from '../lockout.js';
import { clearMfa } from '../mfa.js';
import { ok, type Outcome } from '../refusal.js';
import type { AccountRow, TicketRow } from '../../store/schema.js';
import type { TicketKind } from '../types.js';

/** The outcome: a line for the ticket's thread, and whether the action failed. */
export interface PerformedAction {
  ok: boolean;
  note: string;
}

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
    if (!out.ok) return { ok: false, note: out.message('en') };
    return { ok: true, note: out.wasLocked ? 'Account unlocked.' : 'The lock had already ended.' };
  },
  mfa_reset: async (deps, _helpdesk, ticket, decider) => {
    // The core emails the notice and the enrolment link.
    const cleared = await clearMfa(deps, decider, ticket.account_id);
    if (!cleared.ok) return { ok: false, note: cleared.message('en') };
    const account = await findAccountById(deps.db, ticket.account_id);
    return { ok: true, note: `MFA cleared; an enrolment link was emailed to ${account ? maskEmail(account.email) : 'the address on file'}.` };
  },
  access_key: async (deps, helpdesk, ticket, decider) => {
    const issued = await issueKeyToOwner(deps, helpdesk, decider, ticket.account_id);
    if (!issued.ok) return { ok: false, note: issued.message('en') };
    return issued.told
      ? { ok: true, note: `Access key \`${issued.keyId}\` issued; its owner got “Reveal once” in a DM.` }
      : { ok: true, note: `Access key \`${issued.keyId}\` issued, but its owner could not be messaged in Slack.` };
  },
  manual_verification: async (deps, _helpdesk, ticket, decider) => {
    const sent = await issueSecurityReset(deps, decider, ticket.account_id);
    if (!sent.ok) return { ok: false, note: sent.message('en') };
    return { ok: true, note: `Identity verified; a link to set a new security question, answer and PIN was emailed to ${maskEmail(sent.sentTo)}.` };
  },
} satisfies Partial<Record<TicketKind, Performer>>;

/** Whether keydesk can carry out an approved ticket of this kind. */
export function hasPerformer(kind: TicketKind): boolean {
  return kind in PERFORMERS;
}

/** Carries out an approved ticket as the admin who decided it. */
export async function performApproved(deps: CoreDeps, helpdesk: HelpdeskEffects, ticket: TicketRow, decider: Actor): Promise<PerformedAction> {
  const performer: Performer | undefined = (PERFORMERS as Partial<Record<string, Performer>>)[ticket.kind];
  if (!performer) return { ok: false, note: `keydesk does not carry out ${ticket.kind} tickets here.` };
  if (!ticket.account_id) return { ok: false, note: 'The ticket names no account.' };
  return performer(deps, helpdesk, { ...ticket, account_id: ticket.account_id }, decider);
}
