// DMs from the bot: open the conversation, post the message. Errors that say this user
// can't get a DM (gone, deactivated, a bot) are outcomes, not failures: retrying won't
// change them. Everything else — `ratelimited` above all — is thrown, so the job retries.
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/elements.js';

type Client = webApi.WebClient;

/** Slack errors that mean "no DM will ever reach this user", per the Web API docs. */
const UNDELIVERABLE = new Set([
  'user_not_found', 'users_not_found', 'user_disabled', 'account_inactive', 'cannot_dm_bot',
  'channel_not_found', 'is_archived', 'messages_tab_disabled', 'user_is_restricted', 'not_in_channel',
]);

/** The Slack error code of a Web API platform error (`{ ok: false, error }`), else null. */
export function slackErrorCode(err: unknown): string | null {
  const e = err as { code?: unknown; data?: { error?: unknown } } | null;
  return e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string' ? e.data.error : null;
}

export function isUndeliverable(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code !== null && UNDELIVERABLE.has(code);
}

/** Sends a DM; false when Slack says the user can't receive one. */
export async function sendDm(client: Client, slackUserId: string, message: SlackMessage): Promise<boolean> {
  try {
    const opened = await client.conversations.open({ users: slackUserId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    return true;
  } catch (err) {
    if (isUndeliverable(err)) return false;
    throw err;
  }
}

/**
 * The user's IANA time zone from users.info, or null when Slack has no such (live) user.
 * A rate limit or an outage is thrown: a notice in the wrong zone is worse than a late one.
 */
export async function slackTimeZone(client: Client, slackUserId: string): Promise<{ tz: string } | null> {
  try {
    const res = await client.users.info({ user: slackUserId });
    if (!res.user || res.user.deleted) return null;
    return { tz: res.user.tz ?? 'UTC' };
  } catch (err) {
    if (isUndeliverable(err)) return null;
    throw err;
  }
}
