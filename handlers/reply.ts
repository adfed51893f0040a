// The one way keydesk speaks in Slack: a DM, the answer to a click (in place, where it was
// pressed), the answer under a command (its response_url), and the report of a failure.
// One error policy: what Slack says can never reach this user (gone, deactivated, a bot…)
// is an outcome, null; anything else is thrown by sendDm, so a notify job retries it.
// Listeners use the other functions, which never throw for Slack: they answer in place
// when they can, else by DM, and log what still failed.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { localeOfSlackUser } from '../src/core/identity.js';
import { answerTitle, messageModal } from './blocks/answer-modal.js';
import type { ModalView, SlackMessage } from './blocks/elements.js';
import { failureMessage } from './blocks/failure-notice.js';
import type { HandlerContext } from './context.js';
import type { Locale } from '../src/core/types.js';
import { isUndeliverable } from '../src/slack/slack-errors.js';

type Client = webApi.WebClient;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type Posted = { channel: string; ts: string | null };

/**
 * A DM: one chat.postMessage with the user's id as the channel, which Slack delivers to
 * the app's DM with that user (answering with its D… id). conversations.open first would
 * double the calls, and it is rate-limited harder (Tier 3) than posting: 1,000 locks
 * ending together would wait minutes on it. Null when Slack says this user can't get a
 * DM; else throws.
 */
export async function sendDm(client: Client, slackUserId: string, message: SlackMessage): Promise<Posted | null> {
  try {
    const posted = await client.chat.postMessage({ channel: slackUserId, text: message.text, blocks: message.blocks });
    return { channel: posted.channel ?? slackUserId, ts: posted.ts ?? null };
  } catch (err) {
    if (isUndeliverable(err)) return null;
    throw err;
  }
}

/** A listener's DM: any failure is logged and reported as null; the caller decides what to tell whom. */
export async function dmFromListener(ctx: HandlerContext, client: Client, slackUserId: string, message: SlackMessage): Promise<Posted | null> {
  try {
    return await sendDm(client, slackUserId, message);
  } catch (err) {
    ctx.logger.warn({ err, user: slackUserId }, 'could not send a direct message');
    return null;
  }
}

/** Whether the click came from a message (which can be answered or redrawn in place). */
function clickedInMessage(args: ButtonArgs): boolean {
  return typeof args.body.response_url === 'string' && args.body.response_url !== '' && typeof args.respond === 'function';
}

/**
 * Answers the person who clicked, only them: inside a modal the modal changes; under a
 * message, an ephemeral answer (the message stays); on the Home tab, where there is
 * neither, a modal opens with the click's trigger_id. When Slack refuses, a DM.
 * `modal` replaces the default one (the message under a "keydesk" title).
 */
export async function answerClick(ctx: HandlerContext, args: ButtonArgs, message: SlackMessage, locale: Locale = 'en', answerModal?: ModalView): Promise<void> {
  const { body, client } = args;
  const modal = () => answerModal ?? messageModal({ title: answerTitle('keydesk', locale), message, locale });
  try {
    if (body.view?.type === 'modal') {
      await client.views.update({ view_id: body.view.id, view: modal() });
      return;
    }
    if (clickedInMessage(args)) {
      await args.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: modal() });
    return;
  } catch (err) {
    ctx.logger.warn({ err, action: body.actions[0]?.action_id }, 'could not answer a click in place; sending a DM');
  }
  await dmFromListener(ctx, client, body.user.id, message);
}

/** Redraws the clicked message in place (an ephemeral list, a status card). False when there is none. */
export async function redrawClicked(ctx: HandlerContext, args: ButtonArgs, message: SlackMessage): Promise<boolean> {
  if (!clickedInMessage(args)) return false;
  try {
    await args.respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks });
    return true;
  } catch (err) {
    ctx.logger.warn({ err }, 'could not redraw the clicked message');
    return false;
  }
}

/**
 * Only Slack's own response URLs (or, with SLACK_API_URL, the emulator's origin) are
 * posted to: private_metadata comes back signed, but an answer never goes anywhere else.
 */
export function isSlackResponseUrl(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.protocol === 'https:' && target.hostname === 'hooks.slack.com') return true;
    return target.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/** Posts an ephemeral answer to a command's response_url; throws on a network failure. */
async function postToResponseUrl(url: string, message: SlackMessage): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
    signal: AbortSignal.timeout(5000),
  });
  return res.ok;
}

/** Answers ephemerally under the command that was typed (a modal's submission carries its response_url), else by DM. */
export async function answerUnderCommand(ctx: HandlerContext, client: Client, responseUrl: string | undefined, slackUserId: string, message: SlackMessage): Promise<void> {
  if (responseUrl && isSlackResponseUrl(responseUrl, client.slackApiUrl)) {
    try {
      if (await postToResponseUrl(responseUrl, message)) return;
    } catch (err) {
      ctx.logger.warn({ err }, 'could not answer through the response_url');
    }
  }
  await dmFromListener(ctx, client, slackUserId, message);
}

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

/**
 * The one answer to a listener that failed (Bolt's app.error): the person who asked is
 * told, ephemerally, that something went wrong, with a short reference that is also in
 * the log line of the error. Under their command or click (its response_url) when there
 * is one, else as an ephemeral message in the channel, else (a modal, the Home tab) by DM.
 */
export async function reportFailure(ctx: HandlerContext, client: Client, body: Body, reference: string): Promise<void> {
  const { userId, channel, responseUrl } = failureAudience(body);
  if (!userId) return;
  const locale = await localeOfSlackUser(ctx.deps, userId).catch(() => 'en' as const); // the store may be what failed
  const message = failureMessage(reference, locale);
  try {
    if (responseUrl && isSlackResponseUrl(responseUrl, client.slackApiUrl)) {
      if (await postToResponseUrl(responseUrl, message)) return;
    } else if (channel) {
      await client.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
      return;
    }
  } catch (err) {
    ctx.logger.warn({ err, reference }, 'could not tell the user about a failure in place; sending a DM');
  }
  await dmFromListener(ctx, client, userId, message);
}
