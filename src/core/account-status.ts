// The account status machine, as a table: which event moves which status where.
// A lock is not a status (it is `locked_until`), so locking never appears here.
import type { AccountStatus } from './types.js';

export type StatusEvent = 'activate' | 'disable' | 'enable';

const TRANSITIONS: Record<StatusEvent, Partial<Record<AccountStatus, AccountStatus>>> = {
  activate: { pending_activation: 'active' },
  disable: { pending_activation: 'disabled', active: 'disabled' },
  // Enabling returns an account to where it was: active if it ever set a password.
  enable: { disabled: 'active' },
};

/** The next status, or null when the event does not apply to the current one. */
export function nextStatus(current: AccountStatus, event: StatusEvent, hasPassword: boolean): AccountStatus | null {
  const next = TRANSITIONS[event][current] ?? null;
  if (event === 'enable' && next === 'active' && !hasPassword) return 'pending_activation';
  return next;
}
