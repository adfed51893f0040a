// Who may do what. Roles live in keydesk's store only; being a Slack admin grants nothing.
// admin and primary_admin act on accounts; agent works tickets; the CLI (someone on the
// server) may do anything, and is the only way to touch a primary admin's credentials.
// No admin uses these powers on their own account: another admin must (four eyes).
import type { AccountRow } from '../store/schema.js';
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { refuse, type Refusal } from './refusal.js';

/** Actions nothing but the CLI may take on a primary_admin. */
const PROTECTED_ACTIONS = new Set(['reset_password', 'disable', 'clear_mfa', 'set_role', 'unlink_slack', 'change_email', 'verify_identity']);

/**
 * Actions an admin may not take on their own account, from any entry point but the CLI
 * (the break-glass of a lone primary admin). Deciding one's own request is refused by
 * decideApproval itself (`self_approval`); rotating or replacing one's own existing key is
 * the owner's right (rotateAccessKey), only a key from nothing needs another admin.
 */
const NOT_ON_ONESELF = new Set(['unlock', 'clear_mfa', 'reset_password', 'issue_access_key', 'change_email', 'verify_identity']);

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
    role: account.role,
    disabled: account.status === 'disabled',
    clientAddress,
  };
}

/** Checks that `actor` is an agent (or admin) for `action`; a refusal is audited as `refused:<action>`. */
export async function authorizeAgent(deps: CoreDeps, actor: Actor, action: string): Promise<Refusal | null> {
  if (isAgent(actor)) return null;
  await writeAudit(deps.db, deps.clock.now(), { actor, action: `refused:${action}`, detail: { reason: 'forbidden' } });
  return refuse('forbidden');
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
  } else if (target && actor.kind === 'account' && actor.id === target.id && NOT_ON_ONESELF.has(action)) {
    refusal = refuse('self_admin_action');
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
