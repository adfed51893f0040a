// Every action_id, callback_id and block_id keydesk puts in Block Kit, in one place: the
// builders in blocks/ use them, and the listeners register on them. Slack caps each at
// 255 characters; these are short, stable names (renaming one breaks buttons already posted).
import { z } from 'zod';

/** The value of a ticket card's buttons (Approve, Deny, Claim, Resolve): the ticket's id. */
export const ticketIdValue = z.uuid();

/** The value of an access key's buttons (Reveal once, Rotate, Revoke): its public id. */
export const KeyIdValue = z.string().regex(/^[0-9a-f]{24}$/);

/** action_id of each button. */
export const ACTIONS = {
  // Ticket cards in the helpdesk channel
  approve: 'ticket_approve',
  deny: 'ticket_deny',
  claim: 'ticket_claim',
  resolve: 'ticket_resolve',
  /** "Create account" on a no_account card (admins). */
  createAccount: 'ticket_create_account',
  /** "Resend" on an email_failure card (agents): its failed emails are queued again. */
  resendEmail: 'ticket_resend_email',
  // `/helpdesk locked` and the user status card
  unlockRow: 'locked_unlock',
  lockedPage: 'locked_page',
  // `/helpdesk audit @user`: the next page back (value: `<account id>:<at>.<event id>`)
  auditOlder: 'audit_older',
  // Self-service buttons (login help, lock notice, Home tab)
  requestUnlock: 'request_unlock',
  requestMfaReset: 'request_mfa_reset',
  requestAccessKey: 'request_access_key',
  loginHelp: 'login_help',
  resendActivation: 'resend_activation',
  reportLock: 'report_lock',
  /** "Ask the helpdesk" under /login-help (fine or disabled): a login_help ticket. */
  askHelpdesk: 'login_help_ask',
  // Access keys
  revealKey: 'key_reveal',
  rotateKey: 'key_rotate',
  /** "I lost it": a new key, the old one revoked at once (Rotate keeps the grace). */
  replaceLostKey: 'key_replace_lost',
  revokeKey: 'key_revoke',
  revokeKeyLeaked: 'key_revoke_leaked',
  // `/password` modal
  passwordChange: 'password_change',
  passwordForgot: 'password_forgot',
  cantAnswer: 'cant_answer',
  // `/email` and the Home tab's "Change my email"
  emailChange: 'email_change',
  // Home tab
  homeRefresh: 'home_refresh',
  homeSignOutEverywhere: 'home_sign_out_everywhere',
  /** English / Français on the Home tab (two ids: action_ids are unique within a block). */
  homeEnglish: 'home_language_en',
  homeFrench: 'home_language_fr',
} as const;
export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];

/** callback_id of each modal. */
export const VIEWS = {
  password: 'password_modal',
  confirmAdminAction: 'confirm_admin_action',
  keyReveal: 'key_reveal_modal',
  notice: 'notice_modal',
  lockedList: 'locked_list_modal',
  createAccount: 'create_account_modal',
} as const;
export type ViewId = (typeof VIEWS)[keyof typeof VIEWS];

/** block_id of blocks a listener reads back (or a test looks for). */
export const BLOCKS = {
  /** `/access-key list` and the Home tab: the heading, then per key `<id>:<key id>`. */
  keyListHeading: 'key_list_heading',
  keyListItem: 'key_list_item',
  keyListActions: 'key_list_actions',
  ticketHeader: 'ticket_header',
  ticketFacts: 'ticket_facts',
  ticketActions: 'ticket_actions',
  ticketOutcome: 'ticket_outcome',
  lockedPager: 'locked_pager',
  /** A row of `/helpdesk locked`: `locked_row:<page offset>:<index>`, so a row's Unlock can redraw its page. */
  lockedRow: 'locked_row',
  ticketList: 'ticket_list',
  loginHelpActions: 'login_help_actions',
  lockNoticeActions: 'lock_notice_actions',
  passwordChoices: 'password_choices',
  passwordCantAnswer: 'password_cant_answer',
  // The Create account modal's inputs
  createEmail: 'create_email',
  createName: 'create_name',
  createRole: 'create_role',
  createLocale: 'create_locale',
  keyRevealActions: 'key_reveal_actions',
  keyValue: 'key_value',
  homeActions: 'home_actions',
  homeSessions: 'home_sessions',
  homeLanguage: 'home_language',
  userStatusActions: 'user_status_actions',
  /** The Older button under a page of `/helpdesk audit @user`. */
  auditPager: 'audit_pager',
  /** An event of `/helpdesk audit @user`: `audit_event:<index>`. */
  auditEvent: 'audit_event',
} as const;
export type BlockId = (typeof BLOCKS)[keyof typeof BLOCKS];
