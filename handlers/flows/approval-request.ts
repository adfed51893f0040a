// A user's own request that an admin must approve (`/mfa-reset`, `/access-key`, and the
// same buttons on the Home tab and in /login-help): one open ticket per kind and account
// (asking twice shows the first), its card in the helpdesk channel, and the answer to show.
import type { webApi } from '@slack/bolt';
import { refuse } from '../../src/core/refusal.js';
import { requestTicket } from '../../src/core/tickets.js';
import { answerTitle, messageModal } from '../blocks/answer-modal.js';
import { requestReceivedMessage } from '../blocks/approval-result.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { postTicketCard } from '../helpdesk-channel.js';
import { whoIsAsking, type Asker } from '../who.js';
import { answerClick, type ButtonArgs } from './click-answer.js';

export type SelfServiceKind = 'mfa_reset' | 'access_key';

export async function requestApproval(
  ctx: HandlerContext,
  client: webApi.WebClient,
  asker: Asker,
  kind: SelfServiceKind,
  slackUserId: string,
): Promise<SlackMessage> {
  const { account, locale } = asker;
  // No admin may approve it (tickets.ts refuses), so say so now rather than leave it waiting.
  if (kind === 'mfa_reset' && account.role === 'primary_admin') {
    return noticeMessage(refuse('primary_admin_protected').message(locale), ':no_entry_sign:');
  }
  const { ticket, created } = await requestTicket(ctx.deps, asker.actor, { kind, accountId: account.id, requesterSlackId: slackUserId });
  if (created) await postTicketCard(ctx, client, ticket);
  return requestReceivedMessage({ kind, created, openedAt: ticket.created_at, tz: asker.tz, locale });
}

/** The same request from a button: answered where the button was pressed. */
export async function requestClick(ctx: HandlerContext, args: ButtonArgs, kind: SelfServiceKind): Promise<void> {
  await args.ack();
  const { body, client } = args;
  const who = await whoIsAsking(ctx, client, body.user.id);
  const message = who.ok ? await requestApproval(ctx, client, who.asker, kind, body.user.id) : noticeMessage(who.answer);
  const locale = who.ok ? who.asker.locale : 'en';
  await answerClick(ctx, args, { modal: messageModal({ title: answerTitle('request', locale), message, locale }), message });
}
