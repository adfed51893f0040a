// `/helpdesk email @user new@x`: an admin starts an email change for someone. Nothing to
// confirm in a modal — the change happens only when the new inbox opens its link, and the
// old address is told — so the admin gets the answer at once. Refused for a primary admin
// (the CLI's `keydesk user set-email` is the way) and on oneself (use /email).
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { adminRequestEmailChange } from '../../src/core/email-change.js';
import type { AccountRow } from '../../src/store/schema.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { say } from '../blocks/words.js';
import type { HandlerContext } from '../context.js';
import type { Asker } from '../who.js';

export async function adminEmailChange(ctx: HandlerContext, asker: Asker, target: AccountRow, email: string): Promise<SlackMessage> {
  const out = await adminRequestEmailChange(ctx.deps, asker.actor, target.id, email);
  if (!out.ok) return noticeMessage(out.message(asker.locale), ':no_entry_sign:');
  await recordDirectAction(ctx.deps, asker.actor, { action: 'change_email', accountId: target.id, facts: { requested_email: out.newEmail } });
  // noticeMessage escapes the whole sentence, names and address included.
  return noticeMessage(say(asker.locale, 'email.adminSent', { email: out.newEmail, name: target.display_name }), ':email:');
}
