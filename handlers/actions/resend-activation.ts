// "Resend activation email" (from /login-help and the Home tab): a fresh activation link
// to the address on file, for the clicker's own account only. Slack says where it went,
// masked; the link itself never comes near Slack.
import { resendActivation } from '../../src/core/accounts.js';
import { maskEmail } from '../../src/core/identity.js';
import { activationResentMessage } from '../blocks/helpdesk-answers.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function resendActivationAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const { account, actor, locale } = asker;
  const out = await resendActivation(ctx.deps, actor, account.id);
  await answerClick(ctx, args, out.ok ? activationResentMessage(maskEmail(account.email), locale) : noticeMessage(out.message(locale)), locale);
}
