// "Yes" on the confirm modal of `/unlock @user` and `/helpdesk reset|disable|enable @user`
// (opened by flows/helpdesk-confirm.ts): the submitting admin is looked up again, the core
// checks their authority, acts and audits; the admin is told under the command they typed.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { isHelpdeskAction, performAdminAction } from '../flows/admin-actions.js';
import { answerAdmin, readAdminActionMetadata } from '../flows/admin-confirm.js';
import { whoIsAsking } from '../who.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** "Yes": do it, then tell the admin under the command they typed (or by DM). */
export async function helpdeskConfirmSubmit(ctx: HandlerContext, { ack, body, view, client }: ViewArgs): Promise<void> {
  await ack();
  const meta = readAdminActionMetadata(view.private_metadata);
  if (!meta || !isHelpdeskAction(meta)) return;
  const who = await whoIsAsking(ctx, client, body.user.id);
  const message = who.ok ? await performAdminAction(ctx, who.asker, meta) : noticeMessage(who.answer);
  await answerAdmin(ctx, client, meta, body.user.id, message);
}
