// "Older" under a page of `/helpdesk audit @user`: the next page back, drawn in place of
// the ephemeral answer. Admins only, checked again by the core on every click.
import { auditTrailPage } from '../flows/audit-trail.js';
import { parseAuditOlderValue } from '../blocks/audit-trail.js';
import { noticeMessage } from '../blocks/notice.js';
import { say } from '../blocks/words.js';
import type { HandlerContext } from '../context.js';
import { answerClick, redrawClicked, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function auditOlderAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const value = parseAuditOlderValue(action.value);
  if (!value) {
    await answerClick(ctx, args, noticeMessage(say(asker.locale, 'usage.problem.bad_argument', { got: say(asker.locale, 'usage.that') })), asker.locale);
    return;
  }
  const page = await auditTrailPage(ctx, asker, value.accountId, value.cursor);
  // A refusal answers the clicker alone and leaves the page; a page is drawn in its place.
  if (!page.ok || !(await redrawClicked(ctx, args, page.message))) await answerClick(ctx, args, page.message, asker.locale);
}
