// /email: the wrong address on file. Slack carries no new kind of link: the owner is DMed
// the "My account" link, opened at its email section, which asks the current password and
// the PIN before it takes the new address. Nothing is typed into Slack.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { passwordOutcomeText } from '../blocks/password-modal.js';
import type { HandlerContext } from '../context.js';
import { noArgumentAnswer } from '../flows/command-target.js';
import { carryOutPasswordChoice } from '../flows/password-choice.js';
import { whoIsAsking } from '../who.js';

export async function emailCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const usage = await noArgumentAnswer(ctx, command, '/email');
  if (usage) {
    await respond({ response_type: 'ephemeral', text: usage.text, blocks: usage.blocks });
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await respond({ response_type: 'ephemeral', text: who.answer });
    return;
  }
  const outcome = await carryOutPasswordChoice(ctx, client, who.asker, command.user_id, 'email');
  const answer = passwordOutcomeText(who.asker.locale, outcome);
  await respond({ response_type: 'ephemeral', text: answer });
}
