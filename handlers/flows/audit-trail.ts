// `/helpdesk audit @user` and its "Older" button: a page of an account's audit trail, for
// admins only. The core checks authority (a refusal is audited as refused:read_audit) and
// reads the page; this draws it in the viewer's language and time zone.
import { decodeAuditCursor, readAccountTrail } from '../../src/core/audit-trail.js';
import type { SlackMessage } from '../blocks/elements.js';
import { AUDIT_PAGE_SIZE, auditTrailMessage } from '../blocks/audit-trail.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import type { Asker } from '../who.js';

/** The page of `accountId`'s trail before `cursor` (the newest without one); a refusal as a notice (ok: false). */
export async function auditTrailPage(ctx: HandlerContext, asker: Asker, accountId: string, cursor: string | null): Promise<{ ok: boolean; message: SlackMessage }> {
  const before = cursor === null ? null : decodeAuditCursor(cursor);
  const trail = await readAccountTrail(ctx.deps, asker.actor, accountId, { limit: AUDIT_PAGE_SIZE, ...(before ? { before } : {}) });
  if (!trail.ok) return { ok: false, message: noticeMessage(trail.message(asker.locale), ':no_entry_sign:') };
  const message = auditTrailMessage({
    account: trail.account,
    events: trail.events,
    older: trail.older,
    paged: before !== null,
    now: ctx.deps.clock.now(),
    tz: asker.tz,
    locale: asker.locale,
  });
  return { ok: true, message };
}
