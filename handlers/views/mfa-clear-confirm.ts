// "Yes" on the confirm modal of `/mfa-reset @user`: the submitting admin is looked up again
// and the core decides (a primary admin stays refused); on success the person is told by
// DM and the admin under their command. The core audits the clear and any refusal.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { getAccount } from '../../src/core/identity.js';
import { clearMfa } from '../../src/core/mfa.js';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { adminActionDoneMessage, mfaClearedNoticeMessage } from '../blocks/admin-action-result.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { answerAdmin, readAdminActionMetadata } from '../flows/admin-confirm.js';
import { whoIsAsking } from '../who.js';
import { dmFromListener } from '../reply.js';

export async function mfaClearConfirmed(ctx: HandlerContext, { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> {
  await ack();
  const metadata = readAdminActionMetadata(view.private_metadata);
  if (metadata?.action !== 'clear_mfa') return;
  const adminSlackId = body.user.id;
  const who = await whoIsAsking(ctx, client, adminSlackId);
  if (!who.ok) {
    await answerAdmin(ctx, client, metadata, adminSlackId, noticeMessage(who.answer));
    return;
  }
  const { actor, account: admin, locale } = who.asker;
  const cleared = await clearMfa(ctx.deps, actor, metadata.accountId);
  if (!cleared.ok) {
    await answerAdmin(ctx, client, metadata, adminSlackId, noticeMessage(cleared.message(locale), ':no_entry_sign:'));
    return;
  }
  await recordDirectAction(ctx.deps, actor, { action: 'clear_mfa', accountId: metadata.accountId });
  const target = (await getAccount(ctx.deps, metadata.accountId))!;
  const notice = mfaClearedNoticeMessage({ byName: admin.display_name, locale: target.locale });
  const told = target.slack_user_id ? (await dmFromListener(ctx, client, target.slack_user_id, notice)) !== null : false;
  await answerAdmin(ctx, client, metadata, adminSlackId, adminActionDoneMessage({ action: 'clear_mfa', target, told, locale }));
}
