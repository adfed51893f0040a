// A user's own request that an admin must approve (`/unlock`, `/mfa-reset`, `/access-key`,
// and the same buttons on the Home tab, in /login-help and on the lock notice): the core
// opens the ticket and posts its card (src/core/approvals/request.ts); this renders the answer.
import type { webApi } from '@slack/bolt';
import { requestApproval as requestInCore, type ApprovalKind } from '../../src/core/approvals/request.js';
import { answerTitle, messageModal } from '../blocks/answer-modal.js';
import { requestReceivedMessage } from '../blocks/approval-result.js';
import type { SlackMessage } from '../blocks/elements.js';
import { notLockedMessage } from '../blocks/helpdesk-answers.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { whoIsAsking, type Asker } from '../who.js';
import { answerClick, type ButtonArgs } from '../reply.js';

export type SelfServiceKind = Exclude<ApprovalKind, 'unlock'>;

/** Opens (or finds) the ticket and posts its approval card; returns the answer for the asker. */
export async function requestApproval(
  ctx: HandlerContext,
  client: webApi.WebClient,
  asker: Asker,
  kind: ApprovalKind,
  slackUserId: string,
): Promise<SlackMessage> {
  const { locale, tz } = asker;
  const out = await requestInCore(ctx.deps, helpdeskEffects(ctx, client), asker, kind, slackUserId);
  if (out.status === 'not_locked') return notLockedMessage(locale);
  if (out.status === 'refused') return noticeMessage(out.refusal.message(locale), ':no_entry_sign:');
  const { ticket, created } = out;
  // The unlock answer names its ticket (the lock notice's button and /unlock say which).
  return requestReceivedMessage({ kind, created, openedAt: ticket.created_at, tz, locale, ...(kind === 'unlock' ? { ticketId: ticket.id } : {}) });
}

/** The same request from a Home tab or /login-help button: answered where the button was pressed. */
export async function requestClick(ctx: HandlerContext, args: ButtonArgs, kind: SelfServiceKind): Promise<void> {
  await args.ack();
  const { body, client } = args;
  const who = await whoIsAsking(ctx, client, body.user.id);
  const message = who.ok ? await requestApproval(ctx, client, who.asker, kind, body.user.id) : noticeMessage(who.answer);
  const locale = who.ok ? who.asker.locale : who.locale;
  await answerClick(ctx, args, message, locale, messageModal({ title: answerTitle('request', locale), message, locale }));
}
