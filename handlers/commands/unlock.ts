// /unlock: ask the helpdesk to unlock my account (a ticket and an approval card), or, for
// an admin, `/unlock @user`: confirm, then unlock at once.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { localeOfSlackUser } from '../../src/core/identity.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { requestApproval } from '../flows/approval-request.js';
import { whoIsAsking } from '../who.js';
import { parseUnlockText } from '../flows/helpdesk-args.js';
import { openAdminConfirm } from '../flows/helpdesk-confirm.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export async function unlockCommand(ctx: HandlerContext, { command, ack, client, respond }: CommandArgs): Promise<void> {
  await ack();
  const answer = (message: SlackMessage) => respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  const args = parseUnlockText(command.text);
  if (args.kind === 'usage') {
    await answer(usageMessage('/unlock', await localeOfSlackUser(ctx.deps, command.user_id), args.problem));
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await answer(noticeMessage(who.answer));
    return;
  }
  if (args.kind === 'self') {
    await answer(await requestApproval(ctx, client, who.asker, 'unlock', command.user_id));
    return;
  }
  const instead = await openAdminConfirm(ctx, client, {
    asker: who.asker,
    action: 'unlock',
    command: '/unlock',
    targetSlackId: args.slackUserId,
    triggerId: command.trigger_id,
    responseUrl: command.response_url,
  });
  if (instead) await answer(instead);
}
