// /mfa-reset: a user's request goes to approval; `/mfa-reset @user` by an admin opens the
// confirm modal (handlers/views/mfa-clear-confirm.ts clears on "Yes"). A primary admin's
// MFA is refused here with the core's own message, before anything is asked.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorizeAdmin } from '../../src/core/authority.js';
import { slackTroubleText } from '../blocks/admin-action-result.js';
import { confirmAdminActionModal } from '../blocks/confirm-admin-action.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { selfOrAdminTarget } from '../flows/self-or-admin-target.js';

export async function mfaResetCommand(ctx: HandlerContext, args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await args.ack();
  const found = await selfOrAdminTarget(ctx, args, { name: '/mfa-reset', kind: 'mfa_reset', adminAction: 'clear_mfa' });
  if (!found) return;
  const { say, asker, account } = found;
  const { locale } = asker;
  const refused = await authorizeAdmin(ctx.deps, asker.actor, 'clear_mfa', account);
  if (refused) {
    await say(noticeMessage(refused.message(locale), ':no_entry_sign:'));
    return;
  }
  const { command, client } = args;
  const privateMetadata = JSON.stringify({ action: 'clear_mfa', accountId: account.id, responseUrl: command.response_url });
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: confirmAdminActionModal({ action: 'clear_mfa', target: account, privateMetadata, locale }) });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not open the confirm modal');
    await say(noticeMessage(slackTroubleText(locale)));
  }
}
