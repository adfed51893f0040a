// "Report" on a lock notice: the owner says the lock wasn't them. That opens a login_help
// ticket in the helpdesk channel (one while it is open) and answers the user in the DM,
// ephemerally. The button's value names the lock; an odd value still files the report.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { z } from 'zod';
import { recentAttempts } from '../../src/core/login-attempts.js';
import { requestTicket } from '../../src/core/tickets.js';
import type { TicketRow } from '../../src/store/schema.js';
import { lockReportAnswer, lockReportDetail, lockReportFacts, lockReportThreadLine } from '../blocks/lock-report.js';
import type { HandlerContext } from '../context.js';
import { channelLocale, postTicketCard } from '../helpdesk-channel.js';
import { whoIsAsking } from '../who.js';

const lockValue = z.string().regex(/^\d{1,15}$/).transform(Number);
const FAILED = new Set(['wrong_password', 'locked', 'wrong_otp']);

export async function reportLockAction(
  ctx: HandlerContext,
  { ack, body, action, client, respond }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const who = await whoIsAsking(ctx, client, body.user.id);
  if (!who.ok) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: who.answer });
    return;
  }
  const { account, actor, locale } = who.asker;
  const parsed = lockValue.safeParse(action.value);
  const attempts = await recentAttempts(ctx.deps, account.id, 20);
  const failedFrom = [...new Set(attempts.filter((a) => FAILED.has(a.result) && a.client_address).map((a) => a.client_address!))].slice(0, 3);
  const report = { lockedUntil: parsed.success ? parsed.data : null, failedFrom };
  const { ticket, created } = await requestTicket(ctx.deps, actor, {
    kind: 'login_help',
    accountId: account.id,
    requesterSlackId: body.user.id,
    // Facts, not a sentence: the card words them in the channel's language.
    data: lockReportFacts(report),
  });
  if (created) await postTicketCard(ctx, client, ticket);
  else await addToThread(ctx, client, ticket, lockReportDetail(report, channelLocale(ctx)));
  const answer = lockReportAnswer({ created, locale });
  await respond({ response_type: 'ephemeral', replace_original: false, text: answer.text, blocks: answer.blocks });
}

/** The helpdesk already has a ticket open about this account's sign-in: the report goes in its thread. */
async function addToThread(ctx: HandlerContext, client: webApi.WebClient, ticket: TicketRow, detail: string): Promise<void> {
  if (!ticket.channel || !ticket.message_ts) return;
  const line = lockReportThreadLine(detail);
  try {
    await client.chat.postMessage({ channel: ticket.channel, thread_ts: ticket.message_ts, text: line.text, blocks: line.blocks });
  } catch (err) {
    ctx.logger.error({ err, ticket: ticket.id }, 'could not add the lock report to the ticket thread');
  }
}
