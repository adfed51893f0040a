// "Request unlock" (from /login-help, the lock notice DM, the Home tab): the same as
// `/unlock` — one ticket and its approval card — answered to the clicker alone.
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { requestApproval } from '../flows/approval-request.js';
import { whoIsAsking } from '../who.js';
import { answerClick, type ButtonArgs } from '../reply.js';

export async function requestUnlockAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, body, client } = args;
  await ack();
  const who = await whoIsAsking(ctx, client, body.user.id);
  const answer = who.ok ? await requestApproval(ctx, client, who.asker, 'unlock', body.user.id) : noticeMessage(who.answer);
  await answerClick(ctx, args, answer, who.ok ? who.asker.locale : who.locale);
}
