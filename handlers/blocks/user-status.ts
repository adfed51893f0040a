// `/helpdesk user @x`: one account's status for agents and admins — role, status and why,
// lock, MFA, must-change flag, linked Slack user, recent attempts — with an Unlock button
// for an admin while the account is locked.
import type { AttemptLine } from '../../src/core/login-help.js';
import type { AccountRow } from '../../src/store/schema.js';
import { BLOCKS } from '../ids.js';
import { actions, context, fallback, section, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen, zoneName } from './format-time.js';
import { attemptLine, disabledWhy } from './login-help.js';
import { unlockButton } from './locked-list.js';
import { slackUser } from './ticket-card.js';
import { say, sayCode } from './words.js';
import type { Locale } from '../../src/core/types.js';

export type StatusAccount = Pick<
  AccountRow,
  'id' | 'display_name' | 'email' | 'role' | 'status' | 'disabled_reason' | 'locked_until' | 'must_change_password' | 'slack_user_id' | 'failed_count'
>;

export interface UserStatusInput {
  account: StatusAccount;
  mfaEnrolled: boolean;
  attempts?: readonly AttemptLine[];
  viewerIsAdmin: boolean;
  now: number;
  tz: string;
  locale: Locale;
}

export function userStatusCard(input: UserStatusInput): SlackMessage {
  const { account, locale, tz, now } = input;
  const locked = account.locked_until !== null && account.locked_until > now;
  let status = sayCode(locale, 'userStatus.accountStatus', account.status) ?? userText(account.status, 40);
  if (account.status === 'disabled') status += ` (${disabledWhy(account.disabled_reason, locale)})`;
  const lock = locked
    ? say(locale, 'userStatus.until', { until: formatWhen(account.locked_until!, now, tz, locale), zone: zoneName(now, tz, locale) })
    : say(locale, 'userStatus.notLocked');
  const yes = say(locale, 'userStatus.yes');
  const no = say(locale, 'userStatus.no');
  const name = userText(account.display_name, 140);
  const blocks: KnownBlock[] = [
    // The name is user text, so it goes in mrkdwn (escaped), not in a plain-text header.
    section(`:bust_in_silhouette: *${name}*\n${userText(account.email, 300)} · ${say(locale, 'userStatus.role')} \`${userText(account.role, 40)}\``, {
      fields: [
        `${say(locale, 'userStatus.status')}\n${status}`,
        `${say(locale, 'userStatus.lock')}\n${lock}`,
        `${say(locale, 'userStatus.mfaEnrolled')}\n${input.mfaEnrolled ? yes : no}`,
        `${say(locale, 'userStatus.mustChangePassword')}\n${account.must_change_password === 1 ? yes : no}`,
        `${say(locale, 'userStatus.slackUser')}\n${slackUser(account.slack_user_id)}`,
        `${say(locale, 'userStatus.failedAttemptsInA')}\n${account.failed_count}`,
      ],
    }),
  ];
  const attempts = (input.attempts ?? []).slice(0, 5);
  if (attempts.length > 0) {
    blocks.push(section(`${say(locale, 'userStatus.recentAttempts')}\n${attempts.map((a) => attemptLine(a, tz, locale)).join('\n')}`));
  }
  if (locked && input.viewerIsAdmin) blocks.push(actions(BLOCKS.userStatusActions, [unlockButton(account, locale)]));
  blocks.push(context([say(locale, 'userStatus.accountId', { id: userText(account.id, 64) })]));
  return { text: fallback(`${name}: ${status}`), blocks };
}
