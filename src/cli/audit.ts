// `keydesk audit`: the audit trail, newest first, one line an event
// (`<ISO time> <actor> <action> <target> <address> <detail>`), or one JSON document with
// --json. Read-only: no Redis. The arguments are checked before the store is opened: a
// bad date or limit is one line and exit 2; an unknown account is exit 1 like other lookups.
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, readAuditTrail, type AuditEvent, type AuditFilter } from '../core/audit-trail.js';
import { CLI_ACTOR } from '../core/deps.js';
import { findAccount, mode, withContext, type JsonFlag } from './command-kit.js';
import { CliError, emit, EXIT_USAGE, refused } from './output.js';

export interface AuditOptions extends JsonFlag {
  account?: string;
  actor?: string;
  since?: string;
  action?: string;
  limit?: string;
}

const usageError = (message: string) => new CliError(message, EXIT_USAGE, 'bad_argument');

/** YYYY-MM-DD (midnight UTC) or a full ISO time with a zone; anything else is a usage error. */
export function parseSince(text: string): number {
  const value = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  if (!day && !iso) throw usageError(`--since: "${text}" is not a date (YYYY-MM-DD or an ISO time like 2026-01-01T09:00:00Z)`);
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
  // Date.parse rolls 2026-02-31 over to March: the date must read back the same.
  if (!Number.isFinite(ms) || (day && new Date(ms).toISOString().slice(0, 10) !== value)) {
    throw usageError(`--since: "${text}" is not a real date`);
  }
  return ms;
}

export function parseLimit(text: string | undefined): number {
  if (text === undefined) return AUDIT_DEFAULT_LIMIT;
  const value = text.trim();
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= AUDIT_MAX_LIMIT)) throw usageError(`--limit: "${text}" is not a whole number from 1 to ${AUDIT_MAX_LIMIT}`);
  return n;
}

function parseAction(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (!/^[a-z0-9_:.-]{1,100}$/i.test(value)) throw usageError(`--action: "${text}" is not an action name (e.g. unlock, refused:unlock)`);
  return value;
}

/** One event as `--json` shows it. */
function eventView(e: AuditEvent) {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    actorId: e.actorId,
    action: e.action,
    target: e.target,
    targetAccountId: e.targetAccountId,
    address: e.clientAddress,
    detail: e.detail,
  };
}

/** One line for a terminal: no spaces inside a field but the detail, no control characters. */
function eventLine(e: AuditEvent): string {
  const field = (s: string | null) => (s === null || s === '' ? '-' : s.replace(/\s+/g, '_'));
  // eslint-disable-next-line no-control-regex -- keeping control characters out of a terminal line is the point
  const detail = JSON.stringify(e.detail).replace(/[\u0000-\u001f\u007f]/g, '');
  return [new Date(e.at).toISOString(), field(e.actor), field(e.action), field(e.target), field(e.clientAddress), detail].join(' ');
}

export async function audit(opts: AuditOptions): Promise<void> {
  const since = opts.since === undefined ? undefined : parseSince(opts.since);
  const limit = parseLimit(opts.limit);
  const action = parseAction(opts.action);
  await withContext({ redis: false }, async (ctx) => {
    const filter: AuditFilter = { limit };
    if (since !== undefined) filter.since = since;
    if (action !== undefined) filter.action = action;
    if (opts.account !== undefined) filter.accountId = (await findAccount(ctx, opts.account)).id;
    if (opts.actor !== undefined) {
      const name = opts.actor.trim();
      // An account (by email, id or phone), or one of the non-account actors as stored.
      filter.actor = /^(cli|system|web|slack:[A-Z0-9]{2,32})$/.test(name) ? name : (await findAccount(ctx, name)).id;
    }
    const page = await readAuditTrail(ctx.deps, CLI_ACTOR, filter);
    if (!page.ok) throw refused(page);
    emit(
      mode(opts),
      { events: page.events.map(eventView), more: page.older !== null },
      page.events.length === 0 ? ['no audit events match'] : page.events.map(eventLine),
    );
  });
}
