// Approvals nobody decided within the TTL expire: the card says so (chat.update and a
// thread line) and the requester gets a DM saying they may ask again. The tickets are
// expired first, so a Slack failure here is logged, not retried: the next tick would not
// find them again, and the store already says "expired".
import type { webApi } from '@slack/bolt';
import { findAccountById } from '../../src/core/identity.js';
import { expireStaleApprovals } from '../../src/core/tickets.js';
import { isTicketKind } from '../../src/core/ticket-status.js';
import type { TicketRow } from '../../src/store/schema.js';
import { approvalResultMessage } from '../blocks/approval-result.js';
import type { HandlerContext } from '../context.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { sendDm } from './slack-dm.js';

export async function expireApprovals(ctx: HandlerContext, client: webApi.WebClient, ttlMs: number): Promise<number> {
  const expired = await expireStaleApprovals(ctx.deps, ttlMs);
  for (const ticket of expired) {
    await updateTicketCard(ctx, client, ticket.id, 'expired');
    try {
      await tellRequester(ctx, client, ticket);
    } catch (err) {
      ctx.logger.error({ err, ticket: ticket.id }, 'could not tell the requester their request expired');
    }
  }
  return expired.length;
}

async function tellRequester(ctx: HandlerContext, client: webApi.WebClient, ticket: TicketRow): Promise<void> {
  if (!ticket.requester_slack_id || !isTicketKind(ticket.kind)) return;
  const account = ticket.account_id ? await findAccountById(ctx.deps.db, ticket.account_id) : undefined;
  const locale = account?.locale ?? 'en';
  await sendDm(client, ticket.requester_slack_id, approvalResultMessage({ kind: ticket.kind, status: 'expired', locale }));
}
