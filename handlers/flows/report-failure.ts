// The one answer to a listener that failed (Bolt's app.error): the person who asked is
// told, ephemerally, that something went wrong, with a short reference that is also in
// the log line of the error. Under their command or click (its response_url) when there
// is one, else as an ephemeral message in the channel, else (a modal, the Home tab) by DM.
import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { localeOfSlackUser } from '../../src/core/identity.js';
import { failureMessage } from '../blocks/failure-notice.js';
import type { HandlerContext } from '../context.js';
import { isSlackResponseUrl } from './admin-confirm.js';
import { sendDirectMessage } from './direct-message.js';

/** A short reference for one failure: `KD-` and 8 hex digits, easy to read out and to grep. */
export const newFailureReference = (): string => `KD-${randomBytes(4).toString('hex').toUpperCase()}`;

type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Body => (v && typeof v === 'object' ? (v as Body) : {});

/** Who asked, where, and where to answer, from a command, an interaction or an event body. */
export function failureAudience(body: Body): { userId?: string; channel?: string; responseUrl?: string } {
  const event = obj(body.event);
  const responseUrls = Array.isArray(body.response_urls) ? body.response_urls : [];
  return {
    userId: str(body.user_id) ?? str(obj(body.user).id) ?? str(event.user),
    channel: str(body.channel_id) ?? str(obj(body.channel).id) ?? str(event.channel),
    responseUrl: str(body.response_url) ?? str(obj(responseUrls[0]).response_url),
  };
}

export async function reportFailure(ctx: HandlerContext, client: webApi.WebClient, body: Body, reference: string): Promise<void> {
  const { userId, channel, responseUrl } = failureAudience(body);
  if (!userId) return;
  const locale = await localeOfSlackUser(ctx.deps, userId).catch(() => 'en' as const); // the store may be what failed
  const message = failureMessage(reference, locale);
  try {
    if (responseUrl && isSlackResponseUrl(responseUrl, client.slackApiUrl)) {
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) return;
    } else if (channel) {
      await client.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
      return;
    }
  } catch (err) {
    ctx.logger.warn({ err, reference }, 'could not tell the user about a failure in place; sending a DM');
  }
  await sendDirectMessage(ctx, client, userId, message);
}
