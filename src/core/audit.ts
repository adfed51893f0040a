// The append-only audit log: who did what, to whom, when, from where. Details are
// non-secret facts only; writeAudit refuses keys that look like secrets, so a slip is a
// bug caught in tests rather than a leak.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/db.js';
import type { Actor } from './deps.js';

const SECRET_KEY = /password|pin|answer|token|secret|otp|code|key$/i;

export interface AuditEntry {
  actor: Actor;
  action: string;
  targetAccountId?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

export async function writeAudit(db: Store, at: number, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(at, entry)).execute();
}

/** Many entries at once, in one INSERT per 500 (a sweep of locks that ended together). */
export async function writeAudits(db: Store, at: number, entries: readonly AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    await db.insertInto('audit_log').values(entries.slice(i, i + 500).map((e) => auditRow(at, e))).execute();
  }
}

function auditRow(at: number, entry: AuditEntry) {
  const detail = entry.detail ?? {};
  for (const key of Object.keys(detail)) {
    if (SECRET_KEY.test(key)) throw new Error(`audit detail key "${key}" looks like a secret`);
  }
  return {
    id: randomUUID(),
    at,
    actor: entry.actor.id,
    action: entry.action,
    target_account_id: entry.targetAccountId ?? null,
    client_address: entry.actor.clientAddress ?? null,
    detail: JSON.stringify(detail),
  };
}
