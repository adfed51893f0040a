// The side effects the core asks for. jobs/ implements them with BullMQ; tests may record them.
// No BullMQ types here: the core stays usable on its own.
import type { Locale } from './types.js';

export const EMAIL_KINDS = ['activation','reset_link','set_password_link','temp_password','password_changed','account_locked','account_unlocked','mfa_cleared','mfa_enrol_link','access_key_created'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export interface EmailRequest {
  kind: EmailKind;
  accountId: string;
  /** Recipient: the account's address, or an admin's for the admin-set policy. */
  to: string;
  locale: Locale;
  /** A link or temporary password the email must carry. It travels sealed, never in clear. */
  secret?: string;
  /** Non-secret facts for the template (times, client address, key id). */
  facts?: Record<string, string | number>;
}
export const UNLOCK_HOWS = ['expired', 'unlock', 'password_reset'] as const;
export type UnlockHow = (typeof UNLOCK_HOWS)[number];

/**
 * Something the account's owner is told about in Slack (a DM, through the notify queue).
 * Ids and non-secret facts only: the job that carries it is stored in clear in Redis.
 */
export type NotifyEvent =
  | { kind: 'account_locked'; accountId: string; lockedAt: number; lockedUntil: number; failures: number }
  | { kind: 'account_unlocked'; accountId: string; how: UnlockHow; at: number };

export interface CoreEffects {
  sendEmail(request: EmailRequest): Promise<void>;
  /** Tells the account's owner in Slack; a no-op when Slack is off. */
  notify(event: NotifyEvent): Promise<void>;
  scheduleLockExpiry(accountId: string, lockedUntil: number): Promise<void>;
  cancelLockExpiry(accountId: string, lockedUntil: number): Promise<void>;
}
