// /login-help: the real reason the caller can't sign in, shown only to them.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { recentAttempts } from '../../src/core/login-attempts.js';
import { loginHelpMessage, loginHelpState } from '../blocks/login-help.js';
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
  const now = ctx.deps.clock.now();
  const state = loginHelpState(account, {
    now,
    mfaRequired: ctx.deps.policy.mfaRequiredRoles.includes(account.role),
    mfaEnrolled: account.totp_secret_enc !== null,
    attempts: await recentAttempts(ctx.deps, account.id, 10),
  });
  const message = loginHelpMessage(state, { locale, tz, now });
  await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}
