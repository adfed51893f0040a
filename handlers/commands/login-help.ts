// /login-help: the real reason the caller can't sign in, shown only to them.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { loginHelpStateOf } from '../../src/core/login-help.js';
import { loginHelpMessage } from '../blocks/login-help.js';
import type { HandlerContext } from '../context.js';
import { whoIsAsking } from '../who.js';

export async function loginHelpCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await respond({ response_type: 'ephemeral', text: who.answer });
    return;
  }
  const { account, tz, locale } = who.asker;
  const state = await loginHelpStateOf(ctx.deps, account, { withAttempts: true });
  const message = loginHelpMessage(state, { locale, tz, now: ctx.deps.clock.now() });
  await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}
