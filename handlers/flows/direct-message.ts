// A DM from keydesk to one Slack user: conversations.open, then chat.postMessage into it.
// A failure is logged and reported as null; the caller decides what to tell whom.
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/elements.js';
import type { HandlerContext } from '../context.js';

export async function sendDirectMessage(
  ctx: HandlerContext,
  client: webApi.WebClient,
  slackUserId: string,
  message: SlackMessage,
): Promise<{ channel: string; ts: string } | null> {
  try {
    const opened = await client.conversations.open({ users: slackUserId });
    const channel = opened.channel?.id;
    if (!channel) return null;
    const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    return posted.ts ? { channel, ts: posted.ts } : null;
  } catch (err) {
    ctx.logger.warn({ err, user: slackUserId }, 'could not send a direct message');
    return null;
  }
}
