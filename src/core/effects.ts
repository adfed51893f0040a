// The side effects the core asks for. jobs/ implements them with BullMQ; tests may record them.
// No BullMQ types here: the core stays usable on its own.
import type { AccountRow, TicketRow } from '../store/schema.js';
import type { MessageKey, Params } from '../i18n/index.js';
import type { DisableReason, Locale, TicketKind } from './types.js';
export const EMAIL_KINDS = ['activation','reset_link','set_password_link','temp_password','password_changed','account_locked','account_unlocked','mfa_cleared','mfa_enrol_link','access_key_created','access_key_revoked','account_disabled','account_enabled','email_change_confirm','email_change_requested','email_changed','security_changed','security_reset_link','otp_code'] as const;
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
/** A one-time code by SMS, to the phone on file. The code travels sealed in the job, never in clear. */
export interface SmsRequest {
  accountId: string;
  /** The phone number on file (E.164). */
  to: string;
  locale: Locale;
  code: string;
}
export const UNLOCK_HOWS = ['expired', 'unlock', 'password_reset'] as const;
export type UnlockHow = (typeof UNLOCK_HOWS)[number];

/**
 * Something the account's owner is told about in Slack (a DM, through the notify queue).
 * Ids and non-secret facts only: the job that carries it is stored in clear in Redis.
 */
export type NotifyEvent =
  | {
      kind: 'account_locked';
      accountId: string;
      lockedAt: number;
      lockedUntil: number;
      failures: number;
      /** Where the attempt that locked it came from (null: unknown). Not a secret; shown to the owner. */
      clientAddress?: string | null;
    }
  | {
      kind: 'account_unlocked';
      accountId: string;
      how: UnlockHow;
      at: number;
      /**
       * The approved unlock request that ended the lock. Its decision's own message tells
       * the owner ("approved … your account is unlocked"), so this notice need not.
       */
      approvalId?: string;
    }
  /** A ticket opened away from Slack (a web page, a worker): its card is posted in the helpdesk channel. */
  | { kind: 'ticket_opened'; ticketId: string }
  /** An admin (or the CLI) disabled the account: the reason code only, never the admin's note. */
  | { kind: 'account_disabled'; accountId: string; reason: DisableReason; at: number }
  /** Enabled again: `status` says whether it can sign in or still needs activating. */
  | { kind: 'account_enabled'; accountId: string; status: 'active' | 'pending_activation'; at: number }
  /** One of the account's access keys was revoked as leaked (its public id only). */
  | { kind: 'access_key_revoked'; accountId: string; keyId: string; leaked: boolean; at: number };

export interface CoreEffects {
  sendEmail(request: EmailRequest): Promise<void>;
  /** Sends a one-time code by SMS through the transport SMS_URL names (outbox or webhook). */
  sendSms(request: SmsRequest): Promise<void>;
  /**
   * Tells each event's owner in Slack (a no-op when Slack is off). Events given together
   * may be carried together (a sweep's thousand unlocks), each still told once.
   */
  notify(...events: NotifyEvent[]): Promise<void>;
  scheduleLockExpiry(accountId: string, lockedUntil: number): Promise<void>;
  cancelLockExpiry(accountId: string, lockedUntil: number): Promise<void>;
  /**
   * Queues again an email that failed for good (same content, same Message-ID). False
   * when the queue no longer holds it or it is not a failed one.
   */
  resendEmail(emailId: string): Promise<boolean>;
}

/** A line in a ticket's thread, after its card is redrawn from the store. */
export type TicketCardEvent = 'approved' | 'denied' | 'expired' | 'resolved' | 'failed';

/** How a request ended, as its requester is told. */
export interface RequesterNotice {
  slackUserId: string;
  kind: TicketKind;
  status: 'approved' | 'denied' | 'expired';
  /** The deciding admin's name (absent for an expiry). */
  byName?: string;
  locale: Locale;
}

/**
 * A line for a ticket's thread, as words of the catalogue (a key and its parameters), so
 * the helpdesk surface says it in the channel's language. Never a secret.
 */
export interface TicketNote {
  key: MessageKey;
  params?: Params;
}

/**
 * What an approval asks the helpdesk surface (Slack) to show: the ticket's card, the
 * requester's answer, an access key's "Reveal once". A port of its own, not CoreEffects:
 * the deciding click's answer and the card must be done before that click is answered
 * (the first decision is seen at once by everyone racing it), so the Slack side carries
 * them out in process instead of through a queue. Implementations log Slack failures and
 * never throw for them: the store is the record, the card only its picture.
 */
export interface HelpdeskEffects {
  /** Posts a new ticket's card in the helpdesk channel. */
  postCard(ticket: TicketRow): Promise<void>;
  /** Redraws the ticket's card from the store and adds one line to its thread. */
  updateCard(ticketId: string, event: TicketCardEvent, by?: { name?: string | null; note?: TicketNote }): Promise<void>;
  /** Tells the requester how their request ended, in their locale. */
  tellRequester(notice: RequesterNotice): Promise<void>;
  /** Sends a new access key's owner "Reveal once"; false when they could not be messaged. */
  offerKey(owner: AccountRow, keyId: string): Promise<boolean>;
}
