// "Ask the helpdesk" under /login-help (and its Home tab modal), when the account looks
// fine or is disabled: opens a login_help ticket in the helpdesk channel, one while it is
// open (a second click, or a lock report already filed, answers that it is with them).
import { loginHelpStateOf } from '../../src/core/login-help.js';
import { requestTicket } from '../../src/core/tickets.js';
import { askHelpdeskAnswer, loginHelpTicketDetail } from '../blocks/login-help.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { postTicketCard } from '../helpdesk-channel.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoIsAsking } from '../who.js';

export async function loginHelpAskClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, body, client } = args;
  await ack();
  const who = await whoIsAsking(ctx, client, body.user.id);
  if (!who.ok) {
    await answerClick(ctx, args, noticeMessage(who.answer));
    return;
  }
  const { account, actor, locale } = who.asker;
  // The state as it is now, not as the button was drawn.
  const state = await loginHelpStateOf(ctx.deps, account, { withAttempts: true });
  const { ticket, created } = await requestTicket(ctx.deps, actor, {
    kind: 'login_help',
    accountId: account.id,
    requesterSlackId: body.user.id,
    data: { detail: loginHelpTicketDetail(state), state: state.reason },
  });
  if (created) await postTicketCard(ctx, client, ticket);
  await answerClick(ctx, args, askHelpdeskAnswer({ created, locale }), locale);
}
