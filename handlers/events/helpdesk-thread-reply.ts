// A message in the helpdesk channel: a person's reply in a ticket card's thread is kept in
// the ticket's history. keydesk's own posts, edits and other subtypes are not replies.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { recordTicketReply } from '../../src/core/ticket-replies.js';
import type { HandlerContext } from '../context.js';

const ThreadReply = z.object({
  channel: z.string().min(1).max(40),
  user: z.string().regex(/^[UW][A-Z0-9]{2,20}$/),
  ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/),
  thread_ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/),
  text: z.string().max(40_000),
});

export async function helpdeskThreadReply(ctx: HandlerContext, { event }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> {
  if (event.channel !== ctx.helpdeskChannel || ('subtype' in event && event.subtype !== undefined) || ('bot_id' in event && event.bot_id)) return;
  const reply = ThreadReply.safeParse(event);
  if (!reply.success || reply.data.thread_ts === reply.data.ts) return;
  await recordTicketReply(ctx.deps, {
    channel: reply.data.channel,
    threadTs: reply.data.thread_ts,
    messageTs: reply.data.ts,
    slackUserId: reply.data.user,
    text: reply.data.text,
  });
}
