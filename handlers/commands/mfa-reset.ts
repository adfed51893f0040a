// /mfa-reset: a user's request goes to approval; `/mfa-reset @user` by an admin opens the
// confirm modal (handlers/views/mfa-clear-confirm.ts clears on "Yes"). A primary admin's
// MFA is refused here with the core's own message, before anything is asked.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorizeAdmin } from '../../src/core/authority.js';
import { slackTroubleText } from '../blocks/admin-action-result.js';
import { confirmAdminActionModal } from '../blocks/confirm-admin-action.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { requestApproval } from '../flows/approval-request.js';
import { localeOfSlackUser, parseCommandTarget, targetAccount } from '../flows/command-target.js';
import { whoIsAsking } from '../who.js';

export async function mfaResetCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const say = (m: SlackMessage) => respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
  const target = parseCommandTarget(command.text);
  if (target.kind === 'bad') {
    await say(usageMessage('/mfa-reset', await localeOfSlackUser(ctx, command.user_id), target));
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await say(noticeMessage(who.answer));
    return;
  }
  const { actor, locale } = who.asker;
  if (target.kind === 'self') {
    await say(await requestApproval(ctx, client, who.asker, 'mfa_reset', command.user_id));
    return;
  }
  // Not an admin: refused (and audited) before the target is even looked up.
  const forbidden = await authorizeAdmin(ctx.deps, actor, 'clear_mfa', null);
  if (forbidden) {
    await say(noticeMessage(forbidden.message(locale), ':no_entry_sign:'));
    return;
  }
  const account = await targetAccount(ctx, client, target.slackUserId);
  if (!account) {
    await say(usageMessage('/mfa-reset', locale, { what: 'no_such_user' }));
    return;
  }
  const refused = await authorizeAdmin(ctx.deps, actor, 'clear_mfa', account);
  if (refused) {
    await say(noticeMessage(refused.message(locale), ':no_entry_sign:'));
    return;
  }
  const privateMetadata = JSON.stringify({ action: 'clear_mfa', accountId: account.id, responseUrl: command.response_url });
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: confirmAdminActionModal({ action: 'clear_mfa', target: account, privateMetadata, locale }) });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not open the confirm modal');
    await say(noticeMessage(slackTroubleText(locale)));
  }
}
