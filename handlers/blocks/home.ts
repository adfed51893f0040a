// The Home tab (views.publish on app_home_opened): the viewer's own status with buttons
// for the same self-service actions as the commands; for agents and admins, the open
// tickets and the locked accounts too. English / Français choose the viewer's language. At most 100 blocks, as Slack allows a Home view.
import type { LoginHelpState } from '../../src/core/login-help.js';
import type { AccessKeyRow, TicketRow } from '../../src/store/schema.js';
import { keyListBlocks } from './access-keys.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, confirmDialog, context, divider, header, section, type Button, type HomeView, type KnownBlock } from './elements.js';
import { userText } from './escape.js';
import { formatWhen, zoneName } from './format-time.js';
import { disabledWhy } from './login-help.js';
import { lockedRow, type LockedAccount } from './locked-list.js';
import { slackUser } from './ticket-card.js';
import { kindTitle, statusLabel } from './ticket-words.js';
import { SLACK_LIMITS } from './limits.js';
import { say } from './words.js';
import type { Locale } from '../../src/core/types.js';

/** Rows of each list the Home tab shows; "Show all" leads to the paged `/helpdesk locked`. */
export const HOME_LIST_SIZE = 15;
/** The viewer's newest keys on the tab (3 blocks each); `/access-key list` shows more. */
export const HOME_KEY_LIST_SIZE = 5;

export interface HomeInput {
  /** The viewer's account, or null when their Slack user matches none. */
  viewer: { displayName: string; role: string; state: LoginHelpState } | null;
  /** Open tickets (agents and admins; the builder shows the first HOME_LIST_SIZE). */
  openTickets?: readonly Pick<TicketRow, 'id' | 'kind' | 'status' | 'requester_slack_id' | 'created_at'>[];
  openTicketCount?: number;
  locked?: readonly LockedAccount[];
  lockedCount?: number;
  /** The viewer's live sign-in sessions: a line and "Sign out everywhere" when there is at least one. */
  activeSessions?: number;
  /** The viewer's access keys, newest first (the builder shows the first HOME_KEY_LIST_SIZE). */
  accessKeys?: readonly AccessKeyRow[];
  now: number;
  tz: string;
  locale: Locale;
}

function statusLine(state: LoginHelpState, input: HomeInput): string {
  const { locale, tz, now } = input;
  switch (state.reason) {
    case 'locked':
      return say(locale, 'home.yourAccountIsLocked', { until: formatWhen(state.lockedUntil, now, tz, locale), zone: zoneName(now, tz, locale) });
    case 'disabled':
      return say(locale, 'home.yourAccountIsDisabled', { why: disabledWhy(state.disabledReason, locale) });
    case 'not_activated':
      return say(locale, 'home.yourAccountIsNot');
    case 'must_change_password':
      return say(locale, 'home.youMustChangeYour');
    case 'mfa_not_enrolled':
      return say(locale, 'home.yourRoleNeedsMfa');
    case 'fine':
      return say(locale, 'home.yourAccountIsActive');
  }
}

function selfServiceButtons(state: LoginHelpState, locale: Locale): Button[] {
  const buttons: Button[] = [];
  if (state.reason === 'locked') buttons.push(button({ actionId: ACTIONS.requestUnlock, text: say(locale, 'home.requestUnlock'), value: 'home', style: 'primary' }));
  if (state.reason === 'not_activated') buttons.push(button({ actionId: ACTIONS.resendActivation, text: say(locale, 'home.resendActivationEmail'), value: 'home', style: 'primary' }));
  if (state.reason !== 'disabled' && state.reason !== 'not_activated') {
    buttons.push(
      button({ actionId: ACTIONS.passwordChange, text: say(locale, 'home.changeMyPassword'), value: 'home' }),
      button({ actionId: ACTIONS.passwordForgot, text: say(locale, 'home.iForgotMyPassword'), value: 'home' }),
      button({ actionId: ACTIONS.emailChange, text: say(locale, 'home.changeEmail'), value: 'home' }),
      button({ actionId: ACTIONS.requestMfaReset, text: say(locale, 'home.resetMyMfa'), value: 'home' }),
      button({ actionId: ACTIONS.requestAccessKey, text: say(locale, 'home.requestAnAccessKey'), value: 'home' }),
    );
  }
  buttons.push(
    button({ actionId: ACTIONS.loginHelp, text: say(locale, 'home.whyCantILog'), value: 'home' }),
    button({ actionId: ACTIONS.homeRefresh, text: say(locale, 'home.refresh'), value: 'home' }),
  );
  return buttons;
}

/** "N active sessions" with "Sign out everywhere" (behind a confirm dialog); nothing when there is none. */
function sessionRows(count: number, locale: Locale): KnownBlock[] {
  if (count < 1) return [];
  const text = count === 1 ? say(locale, 'home.activeSessionsOne') : say(locale, 'home.activeSessionsMany', { count });
  const signOut = button({
    actionId: ACTIONS.homeSignOutEverywhere,
    text: say(locale, 'home.signOutEverywhere'),
    value: 'home',
    style: 'danger',
    confirm: confirmDialog({
      title: say(locale, 'home.signOutEverywhereTitle'),
      text: say(locale, 'home.signOutEverywhereText'),
      confirm: say(locale, 'home.signOutEverywhereConfirm'),
      deny: say(locale, 'home.cancel'),
      style: 'danger',
    }),
  });
  return [section(text, { accessory: signOut, blockId: BLOCKS.homeSessions })];
}

/** The viewer's language, English / Français: the current one is shown selected (primary). */
function languageButtons(locale: Locale): KnownBlock {
  const choice = (actionId: string, value: Locale, text: string) => button({ actionId, text, value, ...(locale === value ? { style: 'primary' as const } : {}) });
  return actions(BLOCKS.homeLanguage, [
    choice(ACTIONS.homeEnglish, 'en', say(locale, 'home.english')),
    choice(ACTIONS.homeFrench, 'fr', say(locale, 'home.french')),
  ]);
}

/** "Your access keys (N)" and the newest few, with Rotate / Revoke; nothing when there is none. */
function keyRows(input: HomeInput): KnownBlock[] {
  const keys = input.accessKeys ?? [];
  if (keys.length === 0) return [];
  const { locale } = input;
  const blocks: KnownBlock[] = [divider(), header(say(locale, 'home.accessKeys', { count: keys.length }))];
  blocks.push(...keyListBlocks({ keys, limit: HOME_KEY_LIST_SIZE, now: input.now, tz: input.tz, locale }));
  if (keys.length > HOME_KEY_LIST_SIZE) blocks.push(context([say(locale, 'home.moreAccessKeys', { more: keys.length - HOME_KEY_LIST_SIZE })]));
  return blocks;
}

function ticketRows(input: HomeInput, canClaim: boolean): KnownBlock[] {
  const { locale, tz, now } = input;
  const tickets = (input.openTickets ?? []).slice(0, HOME_LIST_SIZE);
  const count = input.openTicketCount ?? input.openTickets?.length ?? 0;
  const blocks: KnownBlock[] = [divider(), header(say(locale, 'home.openTickets', { count }))];
  if (tickets.length === 0) return [...blocks, context([say(locale, 'home.noOpenTicket')])];
  for (const ticket of tickets) {
    const text = `${statusLabel(ticket.status, locale)} *${kindTitle(ticket.kind, locale)}* · ${slackUser(ticket.requester_slack_id)} · ${formatWhen(ticket.created_at, now, tz, locale)}`;
    const claim = canClaim && ticket.status === 'open' ? button({ actionId: ACTIONS.claim, text: say(locale, 'home.claim'), value: ticket.id }) : undefined;
    blocks.push(section(text, claim ? { accessory: claim } : {}));
  }
  if (count > tickets.length) blocks.push(context([say(locale, 'home.andMoreHelpdeskTickets', { more: count - tickets.length })]));
  return blocks;
}

function lockedRows(input: HomeInput, canUnlock: boolean): KnownBlock[] {
  const { locale, tz, now } = input;
  const rows = (input.locked ?? []).slice(0, HOME_LIST_SIZE);
  const count = input.lockedCount ?? input.locked?.length ?? 0;
  const blocks: KnownBlock[] = [divider(), header(say(locale, 'home.lockedAccounts', { count }))];
  if (rows.length === 0) return [...blocks, context([say(locale, 'home.noAccountIsLocked')])];
  blocks.push(...rows.map((account) => lockedRow(account, now, tz, locale, canUnlock)));
  if (count > rows.length) {
    blocks.push(actions(BLOCKS.lockedPager, [button({ actionId: ACTIONS.lockedPage, text: say(locale, 'home.showAll', { count }), value: '0' })]));
  }
  return blocks;
}

export function homeView(input: HomeInput): HomeView {
  const { locale } = input;
  const blocks: KnownBlock[] = [header('keydesk')];
  if (!input.viewer) {
    blocks.push(
      section(say(locale, 'home.noKeydeskAccountIs')),
      actions(BLOCKS.homeActions, [button({ actionId: ACTIONS.homeRefresh, text: say(locale, 'home.refresh'), value: 'home' })]),
    );
    return { type: 'home', blocks };
  }
  const { viewer } = input;
  const isAdmin = viewer.role === 'admin' || viewer.role === 'primary_admin';
  const isAgent = isAdmin || viewer.role === 'agent';
  blocks.push(
    section(`${say(locale, 'home.hello')} *${userText(viewer.displayName, 200)}*.\n${statusLine(viewer.state, input)}`),
    actions(BLOCKS.homeActions, selfServiceButtons(viewer.state, locale)),
    ...sessionRows(input.activeSessions ?? 0, locale),
    context([say(locale, 'home.language')]),
    languageButtons(locale),
    ...keyRows(input),
  );
  if (isAgent) blocks.push(...ticketRows(input, true), ...lockedRows(input, isAdmin));
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.viewBlocks) };
}
