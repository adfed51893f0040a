// The BullMQ queues (email, lock-expiry, notify, sms, and the maintenance ticks), their payload schemas and the rules their ids and seals follow.
// Every queue lives under one prefix (`{keydesk}` by default): the braces are a Redis
// Cluster hash tag, so all of a queue's keys land in one slot.
// Job data is stored in clear in Redis: payloads carry ids and non-secret facts only;
// a link or temporary password travels sealed (SecretBox) in `sealedSecret`.
import { Queue } from 'bullmq';
import type { Redis } from '../src/redis.js';
import { z } from 'zod';
import { EMAIL_KINDS, UNLOCK_HOWS, type EmailKind } from '../src/core/effects.js';
import { DISABLE_REASONS, LOCALES } from '../src/core/types.js';

export const QUEUE_NAMES = { email: 'email', lockExpiry: 'lock-expiry', notify: 'notify', sms: 'sms' } as const;

/**
 * House-keeping ticks (the expired-token clean-up), under the same prefix. Apart from
 * QUEUE_NAMES: it holds no user's work, only a scheduler's jobs.
 */
export const MAINTENANCE_QUEUE = 'maintenance';

export const maintenanceJobSchema = z.strictObject({ kind: z.literal('purge_tokens') });
export type MaintenanceJobData = z.infer<typeof maintenanceJobSchema>;

const accountId = z.string().min(1).max(200);
const facts = z.record(z.string().max(100), z.union([z.string().max(2000), z.number()]));

export const emailJobSchema = z.strictObject({
  kind: z.enum(EMAIL_KINDS),
  accountId,
  // Loose on purpose (international addresses pass); one address, no whitespace or line breaks.
  to: z.string().max(320).regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+$/, { error: 'must be one email address' }),
  locale: z.enum(LOCALES),
  /** SecretBox.seal(secret, emailSealContext(kind, accountId, to)). */
  sealedSecret: z.string().min(1).max(10_000).optional(),
  facts: facts.optional(),
});
export type EmailJobData = z.infer<typeof emailJobSchema>;

/** An SMS code: the phone on file (E.164) and the code sealed under smsSealContext. */
export const smsJobSchema = z.strictObject({
  accountId,
  to: z.string().regex(/^\+[1-9]\d{5,14}$/, { error: 'must be an E.164 phone number' }),
  locale: z.enum(LOCALES),
  /** SecretBox.seal(code, smsSealContext(accountId, to)). */
  sealedCode: z.string().min(1).max(2_000),
});
export type SmsJobData = z.infer<typeof smsJobSchema>;

/** Like emailSealContext: a sealed code opens only for its account and number. */
export function smsSealContext(accountId: string, to: string): string {
  return ['sms', accountId, to].map(encodeURIComponent).join(':');
}

export const lockExpiryJobSchema = z.strictObject({
  accountId: accountId.regex(/^[^:]+$/, { error: 'an account id in a job id may not contain ":"' }),
  lockedUntil: z.number().int().nonnegative(),
});
export type LockExpiryJobData = z.infer<typeof lockExpiryJobSchema>;

const epochMs = z.number().int().nonnegative();

/** One notice: the core's NotifyEvent as it is (ids and times). */
const NOTICE_OPTIONS = [
  z.strictObject({
    kind: z.literal('account_locked'),
    accountId,
    lockedAt: epochMs,
    lockedUntil: epochMs,
    failures: z.number().int().min(0).max(1_000_000),
    /** The client address of the attempt that locked it (absent on jobs queued before it was carried). */
    clientAddress: z.string().max(100).nullable().optional(),
  }),
  z.strictObject({
    kind: z.literal('account_unlocked'),
    accountId,
    how: z.enum(UNLOCK_HOWS),
    at: epochMs,
    approvalId: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({ kind: z.literal('ticket_opened'), ticketId: z.string().min(1).max(200) }),
  z.strictObject({ kind: z.literal('account_disabled'), accountId, reason: z.enum(DISABLE_REASONS), at: epochMs }),
  z.strictObject({ kind: z.literal('account_enabled'), accountId, status: z.enum(['active', 'pending_activation']), at: epochMs }),
  z.strictObject({ kind: z.literal('access_key_revoked'), accountId, keyId: z.string().regex(/^[0-9a-f]{24}$/), leaked: z.boolean(), at: epochMs }),
] as const;
export const noticeSchema = z.discriminatedUnion('kind', NOTICE_OPTIONS);
export type Notice = z.infer<typeof noticeSchema>;

/**
 * The most notices one batch job carries (jobs/effects.ts packs a sweep's notices by this).
 * 25: a job's own Redis work is shared by 25 DMs, and a thousand locks still make 40 jobs,
 * enough to keep a worker's 16 slots and a second worker busy (10 and 50 measured no better).
 */
export const NOTICE_BATCH_MAX = 25;

/**
 * What the notify worker does: one notice; several queued together (a lock-expiry sweep's),
 * told in order, `done` of them already told (kept by the worker after each one, so a
 * retry starts at the first one not yet told); or the scheduler's tick that expires stale
 * approvals.
 */
export const notifyJobSchema = z.discriminatedUnion('kind', [
  ...NOTICE_OPTIONS,
  z.strictObject({ kind: z.literal('batch'), notices: z.array(noticeSchema).min(1).max(NOTICE_BATCH_MAX), done: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('expire_approvals') }),
]);
export type NotifyJobData = z.infer<typeof notifyJobSchema>;

/**
 * The SecretBox context of an email's secret. It binds the ciphertext to the kind, the
 * account and the recipient, none of which depends on the job id: a sealed link can't be
 * copied into another account's job, another kind of email, or re-addressed by someone
 * who can write to Redis (opening it then fails and the job fails for good).
 */
export function emailSealContext(kind: EmailKind, accountId: string, to: string): string {
  return ['email', kind, accountId, to].map(encodeURIComponent).join(':');
}

/** One job per lock: an id unique to (account, lockedUntil); no ":" and never all digits. */
export function lockExpiryJobId(accountId: string, lockedUntil: number): string {
  if (accountId.includes(':')) throw new Error('an account id in a job id may not contain ":"');
  return `lock-${accountId}-${lockedUntil}`;
}

/** The Message-ID an email job sends with: the same on every attempt of that job. */
export function emailMessageId(jobId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'keydesk';
  return `<email-${jobId}@${domain}>`;
}

export type EmailQueue = Queue<EmailJobData, void, string>;
export type LockExpiryQueue = Queue<LockExpiryJobData, void, string>;
export type NotifyQueue = Queue<NotifyJobData, void, string>;
export type SmsQueue = Queue<SmsJobData, void, string>;

export interface Queues {
  email: EmailQueue;
  lockExpiry: LockExpiryQueue;
  notify: NotifyQueue;
  sms: SmsQueue;
  /** Closes the work queues; the connection stays open (its owner closes it). */
  close(): Promise<void>;
}

export function createQueues(opts: {
  connection: Redis;
  prefix: string;
  /**
   * Told of a queue's connection errors (Redis down, reconnecting). Without a listener
   * BullMQ prints each one's stack to stderr; by default they are dropped here, since the
   * command that failed rejects (or waits for the reconnect) where it was called.
   */
  onError?: (err: Error) => void;
}): Queues {
  const base = { connection: opts.connection, prefix: opts.prefix };
  const email: EmailQueue = new Queue<EmailJobData, void, string>(QUEUE_NAMES.email, base);
  const lockExpiry: LockExpiryQueue = new Queue<LockExpiryJobData, void, string>(QUEUE_NAMES.lockExpiry, base);
  const notify: NotifyQueue = new Queue<NotifyJobData, void, string>(QUEUE_NAMES.notify, base);
  const sms: SmsQueue = new Queue<SmsJobData, void, string>(QUEUE_NAMES.sms, base);
  for (const queue of [email, lockExpiry, notify, sms]) queue.on('error', (err) => opts.onError?.(err));
  return {
    email,
    lockExpiry,
    notify,
    sms,
    async close() {
      await Promise.all([email.close(), lockExpiry.close(), notify.close(), sms.close()]);
    },
  };
}
