// What a Slack Web API error means for keydesk, shared by the reply path (handlers/reply.ts)
// and the profile lookup (identity.ts): some errors say a user can never be reached.

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
