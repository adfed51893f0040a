// Who may do what. Roles live in keydesk's store only; being a Slack admin grants nothing.
// admin and primary_admin act on accounts; agent works tickets; the CLI (someone on the
// server) may do anything, and is the only way to touch a primary admin's credentials.
import type { AccountRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { refuse, type Refusal } from './refusal.js';

/** Actions nothing but the CLI may take on a primary_admin. */
const PROTECTED_ACTIONS = new Set(['reset_password', 'disable', 'clear_mfa', 'set_role', 'unlink_slack']);

export function isAdmin(actor: Actor): boolean {
  if (actor.kind === 'cli') return true;
  return actor.kind === 'account' && !actor.disabled && (actor.role === 'admin' || actor.role === 'primary_admin');
}

export function isAgent(actor: Actor): boolean {
  return isAdmin(actor) || (actor.kind === 'account' && !actor.disabled && actor.role === 'agent');
}

export function actorFromAccount(account: AccountRow, clientAddress: string | null = null): Actor {
  return {
    id: account.id,
    kind: 'account',
    role: account.role as Actor['role'],
    disabled: account.status === 'disabled',
    clientAddress,
  };
}

/**
 * Checks that `actor` may take an admin `action` on `target`. A refusal is audited
 * (`refused:<action>`), so attempts leave a trace; the caller returns it as is.
 */
export async function authorizeAdmin(deps: CoreDeps, actor: Actor, action: string, target: AccountRow | null): Promise<Refusal | null> {
  let refusal: Refusal | null = null;
  if (!isAdmin(actor)) refusal = refuse('forbidden');
  else if (target && target.role === 'primary_admin' && actor.kind !== 'cli' && PROTECTED_ACTIONS.has(action)) {
    refusal = refuse('primary_admin_protected');
  }
  if (refusal) {
    await writeAudit(deps.db, deps.clock.now(), {
      actor,
      action: `refused:${action}`,
      targetAccountId: target?.id ?? null,
      detail: { reason: refusal.code },
    });
  }
  return refusal;
}
