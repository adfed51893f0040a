// /password: a modal with two buttons and no input — nobody types a secret into Slack.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { localeOfSlackUser } from '../../src/core/identity.js';
import { slackTroubleText } from '../blocks/admin-action-result.js';
import { passwordModal } from '../blocks/password-modal.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { MAX_ARGUMENT } from '../flows/command-target.js';
import { whoIsAsking } from '../who.js';

export async function passwordCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const text = command.text.trim();
  if (text !== '') {
    const locale = await localeOfSlackUser(ctx.deps, command.user_id);
    const answer = usageMessage('/password', locale, text.length > MAX_ARGUMENT ? { what: 'too_long' } : { what: 'bad_argument', got: text });
    await respond({ response_type: 'ephemeral', text: answer.text, blocks: answer.blocks });
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
