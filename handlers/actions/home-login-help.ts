// "Why can't I log in?" on the Home tab: the /login-help answer, in a modal.
import { loginHelpStateOf } from '../../src/core/login-help.js';
import { answerTitle, messageModal } from '../blocks/answer-modal.js';
import { loginHelpMessage } from '../blocks/login-help.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { whoIsAsking } from '../who.js';
import { answerClick, type ButtonArgs } from '../reply.js';

export async function homeLoginHelpClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  await args.ack();
  const who = await whoIsAsking(ctx, args.client, args.body.user.id);
  const locale = who.ok ? who.asker.locale : who.locale;
  const message = who.ok
    ? loginHelpMessage(await loginHelpStateOf(ctx.deps, who.asker.account, { withAttempts: true }), { locale, tz: who.asker.tz, now: ctx.deps.clock.now() })
    : noticeMessage(who.answer);
  await answerClick(ctx, args, message, locale, messageModal({ title: answerTitle('login_help', locale), message, locale }));
}
