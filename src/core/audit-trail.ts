// Reading the audit log back: the trail, newest first, for `keydesk audit` and
// `/helpdesk audit @user`. Only the CLI and admins may read it; a refused read is audited
// as `refused:read_audit` like every other admin refusal. Paging goes by a cursor (the
// time and id of the last event shown), so "older" stays the same page while new events
// are written. Nothing here is secret: writeAudit refuses secret-looking detail keys.
import type { Actor, CoreDeps } from './deps.js';
import { authorizeAdmin } from './authority.js';
import { findAccountById } from '../store/accounts.js';
import { ok, refuse, type Outcome } from './refusal.js';

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 1000;

/** Where a page ended: the last event shown. The next page starts strictly before it. */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditFilter {
  /** Events whose target or actor is this account. */
  accountId?: string;
  /** Events by this actor (an account id, or 'cli', 'system', 'slack:<id>', 'web'). */
  actor?: string;
  /** Events at or after this time (ms epoch). */
  since?: number;
  /** Exactly this action (e.g. 'unlock', 'refused:unlock'). */
  action?: string;
  /** 1..AUDIT_MAX_LIMIT; default AUDIT_DEFAULT_LIMIT. */
  limit?: number;
  before?: AuditCursor;
}

export interface AuditEvent {
  id: string;
  at: number;
  /** The actor as stored (an account id, 'cli', …). */
  actorId: string;
  /** The acting account's email when the actor is an account; else the actor as stored. */
  actor: string;
  action: string;
  targetAccountId: string | null;
  /** The target account's email, or null. */
  target: string | null;
  clientAddress: string | null;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Set when older events exist: pass it as `before` for the next page. */
  older: AuditCursor | null;
}

/** A cursor as a short text (a button value): `<at>.<id>`. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return `${cursor.at}.${cursor.id}`;
}

export function decodeAuditCursor(text: string): AuditCursor | null {
  const m = /^(\d{1,16})\.([A-Za-z0-9-]{1,64})$/.exec(text);
  if (!m) return null;
  const at = Number(m[1]);
  return Number.isSafeInteger(at) ? { at, id: m[2]! } : null;
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return AUDIT_DEFAULT_LIMIT;
  return Math.min(AUDIT_MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** The page of the trail `filter` selects, newest first; the CLI or an admin only. */
export async function readAuditTrail(deps: CoreDeps, actor: Actor, filter: AuditFilter): Promise<Outcome<AuditPage>> {
  const refusal = await authorizeAdmin(deps, actor, 'read_audit', null);
  if (refusal) return refusal;
  const limit = clampLimit(filter.limit);
  let query = deps.db
    .selectFrom('audit_log as l')
    .leftJoin('accounts as a', 'a.id', 'l.actor')
    .leftJoin('accounts as t', 't.id', 'l.target_account_id')
    .select(['l.id', 'l.at', 'l.actor', 'l.action', 'l.target_account_id', 'l.client_address', 'l.detail', 'a.email as actor_email', 't.email as target_email']);
  const { accountId, before } = filter;
  if (accountId !== undefined) query = query.where((eb) => eb.or([eb('l.target_account_id', '=', accountId), eb('l.actor', '=', accountId)]));
  if (filter.actor !== undefined) query = query.where('l.actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('l.action', '=', filter.action);
  if (filter.since !== undefined) query = query.where('l.at', '>=', filter.since);
  if (before) {
    query = query.where((eb) => eb.or([eb('l.at', '<', before.at), eb.and([eb('l.at', '=', before.at), eb('l.id', '<', before.id)])]));
  }
  const rows = await query.orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const events = page.map(
    (r): AuditEvent => ({
      id: r.id,
      at: Number(r.at),
      actorId: r.actor,
      actor: r.actor_email ?? r.actor,
      action: r.action,
      targetAccountId: r.target_account_id,
      target: r.target_email ?? null,
      clientAddress: r.client_address,
      detail: parseDetail(r.detail),
    }),
  );
  const last = events[events.length - 1];
  return ok({ events, older: rows.length > limit && last ? { at: last.at, id: last.id } : null });
}

export interface AccountTrail extends AuditPage {
  account: { id: string; email: string; displayName: string };
}

/** One account's trail (as target or actor), a page at a time: `/helpdesk audit @user` and its "Older". */
export async function readAccountTrail(
  deps: CoreDeps,
  actor: Actor,
  accountId: string,
  options: { limit: number; before?: AuditCursor },
): Promise<Outcome<AccountTrail>> {
  const refusal = await authorizeAdmin(deps, actor, 'read_audit', null);
  if (refusal) return refusal;
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  const page = await readAuditTrail(deps, actor, { accountId, limit: options.limit, ...(options.before ? { before: options.before } : {}) });
  if (!page.ok) return page;
  return ok({ account: { id: account.id, email: account.email, displayName: account.display_name }, events: page.events, older: page.older });
}
