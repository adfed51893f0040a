// Row types of the store, as Kysely sees them on both PostgreSQL and SQLite.
// Portable choices: ids are text (UUIDs or public ids made by the app), times are
// milliseconds since the epoch in bigint columns, flags are 0/1 integers
// (better-sqlite3 refuses to bind booleans), JSON is text.
//
// Columns holding a word of the vocabulary (role, locale, statuses, kinds, purposes) are
// typed with core's unions (src/core/types.ts), so a read needs no cast to them.
// The database does not check these values (no CHECK constraints or enums): a value read
// back is trusted only because every write goes through this typed schema, and whatever
// comes from outside (CSV import, CLI arguments, Slack input) is parsed into these types
// (zod or the CLI's choices) before it reaches a write. Raw SQL writes would bypass that.
import type { Generated, Insertable, Selectable } from 'kysely';
import type {
  AccessKeyStatus,
  AccountStatus,
  AttemptResult,
  DisableReason,
  Locale,
  MfaMethod,
  OtpChannel,
  OtpPurpose,
  Role,
  SessionEndReason,
  TicketKind,
  TicketStatus,
  TokenOrigin,
  TokenPurpose,
} from '../core/types.js';

export interface AccountsTable {
  id: string;
  email: string;
  phone: string | null;
  /** '' when absent, so (phone, extension) is really unique. */
  extension: Generated<string>;
  display_name: string;
  slack_user_id: string | null;
  role: Generated<Role>;
  locale: Generated<Locale>;
  /** 1 once the language was chosen (Home tab, a page's switch, the CLI); 0 while it follows Slack's locale. */
  locale_chosen: Generated<number>;
  status: AccountStatus;
  disabled_reason: DisableReason | null;
  disabled_note: string | null;
  locked_until: number | null;
  failed_count: Generated<number>;
  failure_window_start: number | null;
  password_hash: string | null;
  /** Set for a temporary password (the `random` reset policy): it works once, until then. */
  temp_password_expires_at: number | null;
  must_change_password: Generated<number>;
  pin_hash: string | null;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  /** The second factor chosen at enrolment: 'totp' (with totp_secret_enc), 'email' or 'sms'; null when none. */
  mfa_method: MfaMethod | null;
  security_question: string | null;
  security_answer_hash: string | null;
  password_changed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AccessKeysTable {
  /** The public id, the middle part of kd_<id>_<secret>. */
  id: string;
  account_id: string;
  created_by: string;
  created_at: number;
  /** pending_reveal until its owner reveals it; then active; revoked at the end. */
  status: AccessKeyStatus;
  secret_hash: string | null;
  hash_key_id: string | null;
  revealed_at: number | null;
  /** When set, the key stops working at this time (rotation grace). */
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  replaced_by: string | null;
}

export interface OneTimeTokensTable {
  id: string;
  account_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  /** Tries reserved on the page the token opens, right ones given back (five wrong void it). */
  failed_attempts: Generated<number>;
  /** 'temp_password_login' for the change link a temporary password's one sign-in issued. */
  origin: TokenOrigin | null;
  /** For an `email_change` link: the address it confirms (normalised); for its report link, the address it is about. */
  new_email: string | null;
}

/** A 6-digit code sent by email or SMS: only its HMAC is kept; 10 minutes, once, 5 tries. */
export interface OtpCodesTable {
  id: string;
  account_id: string;
  /** What the code proves: a sign-in, an enrolment's first code, or a re-validation (/validate). */
  purpose: OtpPurpose;
  channel: OtpChannel;
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer code of the same purpose replaced it. */
  revoked_at: number | null;
  /** Tries reserved before each check (the right one uses the code); 5 end it. */
  failed_attempts: Generated<number>;
}

export interface LoginAttemptsTable {
  id: string;
  account_id: string | null;
  at: number;
  client_address: string | null;
  result: AttemptResult;
}

export interface TicketsTable {
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  account_id: string | null;
  requester_slack_id: string | null;
  channel: string | null;
  message_ts: string | null;
  data: Generated<string>;
  created_at: number;
  updated_at: number;
}

/** What agents wrote in a ticket card's thread in the helpdesk channel: its history. */
export interface TicketRepliesTable {
  id: string;
  ticket_id: string;
  at: number;
  /** The Slack user who wrote it; the account too when it is linked. */
  slack_user_id: string;
  account_id: string | null;
  /** As Slack sent it, cut to 4,000 characters. */
  text: string;
  /** The message's ts: a delivery Slack retries is recorded once. */
  message_ts: string;
}

export interface AuditLogTable {
  id: string;
  at: number;
  /** An account id, or 'cli', 'system', 'slack:<user id>', 'web'. */
  actor: string;
  action: string;
  target_account_id: string | null;
  client_address: string | null;
  /** JSON of non-secret details. */
  detail: Generated<string>;
}

/** A sign-in session; the token itself is never stored, only its SHA-256. */
export interface SessionsTable {
  id: string;
  account_id: string;
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  /** Idle expiry: slides on each use, never past absolute_expires_at. */
  expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  ended_reason: SessionEndReason | null;
  client_address: string | null;
}

export interface Database {
  accounts: AccountsTable;
  access_keys: AccessKeysTable;
  one_time_tokens: OneTimeTokensTable;
  login_attempts: LoginAttemptsTable;
  tickets: TicketsTable;
  audit_log: AuditLogTable;
  ticket_replies: TicketRepliesTable;
  sessions: SessionsTable;
  otp_codes: OtpCodesTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccessKeyRow = Selectable<AccessKeysTable>;
export type TokenRow = Selectable<OneTimeTokensTable>;
export type TicketRow = Selectable<TicketsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type OtpCodeRow = Selectable<OtpCodesTable>;
