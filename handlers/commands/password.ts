// /password: a modal with two buttons and no input — nobody types a secret into Slack.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { slackTroubleText } from '../blocks/admin-action-result.js';
import { passwordModal } from '../blocks/password-modal.js';
import type { HandlerContext } from '../context.js';
import { noArgumentAnswer } from '../flows/command-target.js';
import { whoIsAsking } from '../who.js';

export async function passwordCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const usage = await noArgumentAnswer(ctx, command, '/password');
  if (usage) {
    await respond({ response_type: 'ephemeral', text: usage.text, blocks: usage.blocks });
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await respond({ response_type: 'ephemeral', text: who.answer });
    return;
  }
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: passwordModal(who.asker.locale) });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not open the password modal');
    await respond({ response_type: 'ephemeral', text: slackTroubleText(who.asker.locale) });
  }
}
