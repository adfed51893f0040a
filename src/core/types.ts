// The vocabulary of keydesk, defined once: the words stored in the database and used by
// every layer. Each is an `as const` list (for zod enums, CLI choices and loops) and the
// union type taken from it. Core owns these; config.ts, the store schema, the CLI and the
// handlers import them from here, never the other way.

/** Who an account is to keydesk; only the CLI makes a primary_admin. */
export const ROLES = ['user', 'agent', 'admin', 'primary_admin'] as const;
export type Role = (typeof ROLES)[number];

/** Languages of emails, pages and Slack messages. */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** The account status machine's states (src/core/account-status.ts); a lock is not a status. */
export const ACCOUNT_STATUSES = ['pending_activation', 'active', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const DISABLE_REASONS = ['admin', 'payment', 'email_conflict', 'validation', 'too_many_failures'] as const;
export type DisableReason = (typeof DISABLE_REASONS)[number];

/** What an admin's password reset emails: the user a link, the user a temporary password, or the admin the link. */
export const RESET_POLICIES = ['link', 'random', 'admin-set'] as const;
export type ResetPolicy = (typeof RESET_POLICIES)[number];

export const TICKET_KINDS = ['password_reset', 'unlock', 'mfa_reset', 'access_key', 'login_help', 'no_account', 'email_failure', 'email_conflict', 'email_change_report', 'manual_verification', 'direct_action', 'access_key_leak'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** The ticket status machine's states (src/core/ticket-status.ts). */
export const TICKET_STATUSES = ['open', 'claimed', 'approved', 'denied', 'expired', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** What a one-time token (an emailed link) is for. */
/**
 * `email_change` is the confirmation link sent to a new address (it carries the address);
 * `email_change_report` the "this wasn't me" link the old address gets with the notice;
 * `security_reset` the link a person's verification earns: a new question, answer and PIN.
 */
export const TOKEN_PURPOSES = ['activation', 'reset', 'set_password', 'change_password', 'mfa_enrol', 'email_change', 'email_change_report', 'security_reset'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/**
 * Where a token came from, when that matters: the change link a temporary password's one
 * sign-in earned; a set-password link issued under the `admin-set` reset policy (the
 * password it sets was chosen by an admin, so it must be changed at the next login); an
 * activation link sent again by "Resend activation email" (3 an hour, counted by origin).
 */
export type TokenOrigin = 'temp_password_login' | 'admin_set' | 'activation_resend';

/** pending_reveal until its owner reveals it; then active; revoked at the end. */
export const ACCESS_KEY_STATUSES = ['pending_reveal', 'active', 'revoked'] as const;
export type AccessKeyStatus = (typeof ACCESS_KEY_STATUSES)[number];

/** How a sign-in attempt, or a guess that counts toward lockout, ended (login_attempts.result). */
export const ATTEMPT_RESULTS = [
  'success',
  'unknown_login',
  'wrong_password',
  'locked',
  'disabled',
  'not_activated',
  'otp_required',
  'wrong_otp',
  // the change-password page: a right current password with a wrong PIN
  'wrong_pin',
  'mfa_not_enrolled',
  // an access key that matched no live key (GET /api/v1/whoami)
  'invalid_key',
  // an outcome only, never stored: refused before any lookup, the hashing line was full
  'busy',
] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

/** Why a session ended (sessions.ended_reason). */
export const SESSION_END_REASONS = [
  'logout',
  'sign_out_everywhere',
  'password_changed',
  'password_reset',
  'admin_reset',
  'mfa_cleared',
  'disabled',
  'email_changed',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** An account's second factor: an authenticator app, or a code sent by email or SMS (to the phone on file). */
export const MFA_METHODS = ['totp', 'email', 'sms'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** Where a one-time code goes. */
export const OTP_CHANNELS = ['email', 'sms'] as const;
export type OtpChannel = (typeof OTP_CHANNELS)[number];

/** What a one-time code is for: a sign-in, the first code of an enrolment, a re-validation (/validate). */
export const OTP_PURPOSES = ['login', 'enrol', 'validate'] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];
