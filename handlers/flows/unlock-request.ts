// Someone asks for their own account to be unlocked: `/unlock`, or the "Request unlock"
// button of /login-help, the lock notice DM and the Home tab. One open unlock ticket per
// account: asking again shows the one already waiting. Not locked, nothing is opened.
import type { webApi } from '@slack/bolt';
import { isLocked } from '../../src/core/lockout.js';
import { requestTicket } from '../../src/core/tickets.js';
import { requestReceivedMessage } from '../blocks/approval-result.js';
import type { SlackMessage } from '../blocks/elements.js';
import { notLockedMessage } from '../blocks/helpdesk-answers.js';
import type { HandlerContext } from '../context.js';
import { postTicketCard } from '../helpdesk-channel.js';
import type { Asker } from '../who.js';

/** Opens (or finds) the unlock ticket and posts its approval card; returns the answer for the asker. */
export async function requestUnlock(ctx: HandlerContext, client: webApi.WebClient, asker: Asker, slackUserId: string): Promise<SlackMessage> {
  const { account, actor, tz, locale } = asker;
  if (!isLocked(account, ctx.deps.clock.now())) return notLockedMessage(locale);
  const { ticket, created } = await requestTicket(ctx.deps, actor, { kind: 'unlock', accountId: account.id, requesterSlackId: slackUserId });
  if (created) await postTicketCard(ctx, client, ticket);
  return requestReceivedMessage({ kind: 'unlock', created, openedAt: ticket.created_at, tz, locale, ticketId: ticket.id });
}
