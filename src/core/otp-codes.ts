// One-time codes sent by email or SMS: 6 digits, 10 minutes, used once, at most 5 tries,
// at most 3 sent per account in 10 minutes. Both limits are reserved before the work
// they guard: a send is counted under the account's row lock before the code exists,
// and a try is counted in one conditional UPDATE before the code is compared, so no
// burst of requests gets a 4th send or a 6th guess. A code is kept only as an HMAC under
// a server key: a million codes are too few for a plain hash to hide one.
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { AccountRow, OtpCodeRow } from '../store/schema.js';
import type { CoreDeps } from './deps.js';
import type { SecretKey } from './secret-box.js';
import type { OtpChannel, OtpPurpose } from './types.js';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_TRIES = 5;
export const MAX_CODE_SENDS = 3;
export const CODE_SEND_WINDOW_MS = 10 * 60_000;

/** The shape a typed code must have before anything is looked up: 6 digits, spaces allowed. */
export function normalizeCode(raw: string): string | null {
  const code = raw.replace(/[\s-]+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

function codeHash(deps: CoreDeps, codeId: string, code: string, key: SecretKey = deps.secrets.current): string {
  // Bound to the code's row id: the same digits on two rows hash apart.
  return createHmac('sha256', deps.secrets.derive('otp-code', key).bytes).update(`${codeId}:${code}`).digest('hex');
}

export type SendOutcome = { sent: true; expiresAt: number } | { sent: false; why: 'limit' | 'no_channel' };

/**
 * Makes a new code for the account and sends it to `channel` (the email or the phone on
 * file). A newer code of the same purpose replaces the older ones. Returns `limit` when 3
 * were already sent to the account in the last 10 minutes (across purposes and channels).
 */
export async function sendCode(
  deps: CoreDeps,
  account: Pick<AccountRow, 'id' | 'email' | 'phone' | 'locale'>,
  purpose: OtpPurpose,
  channel: OtpChannel,
): Promise<SendOutcome> {
  if (channel === 'sms' && !account.phone) return { sent: false, why: 'no_channel' };
  const now = deps.clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = randomUUID();
  const expiresAt = now + CODE_TTL_MS;
  const made = await deps.db.transaction().execute(async (trx) => {
    // A no-op update takes the account's row lock on PostgreSQL (SQLite runs one writer at
    // a time), so a burst of sends counts one after another: the 4th sees 3 and stops.
    await trx
      .updateTable('accounts')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', account.id)
      .execute();
    const { n } = await trx
      .selectFrom('otp_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', account.id)
      .where('created_at', '>', now - CODE_SEND_WINDOW_MS)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_CODE_SENDS) return false;
    await trx
      .updateTable('otp_codes')
      .set({ revoked_at: now })
      .where('account_id', '=', account.id)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .insertInto('otp_codes')
      .values({ id, account_id: account.id, purpose, channel, code_hash: codeHash(deps, id, code), created_at: now, expires_at: expiresAt })
      .execute();
    return true;
  });
  if (!made) return { sent: false, why: 'limit' };
  // The code travels sealed in the job (jobs/effects.ts), like a link; never through Slack.
  if (channel === 'email') {
    await deps.effects.sendEmail({ kind: 'otp_code', accountId: account.id, to: account.email, locale: account.locale, secret: code, facts: { expiresAt } });
  } else {
    await deps.effects.sendSms({ accountId: account.id, to: account.phone!, locale: account.locale, code });
  }
  return { sent: true, expiresAt };
}

/** How a code check ended: `spent` when refused unchecked (no live code, or its 5 tries taken). */
export type CodeCheck = 'right' | 'wrong' | 'spent';

/**
 * Checks a typed code against the account's live code of `purpose`. The try is reserved
 * first (failed_attempts < 5, in one conditional UPDATE); only then is the code compared,
 * and a right one is used in a second conditional UPDATE, so two racing right tries win once.
 */
export async function checkCode(deps: CoreDeps, accountId: string, purpose: OtpPurpose, typed: string): Promise<CodeCheck> {
  const code = normalizeCode(typed);
  const now = deps.clock.now();
  const live = await liveCode(deps, accountId, purpose, now);
  if (!live) return 'spent';
  const reserved = await deps.db
    .updateTable('otp_codes')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', live.id)
    .where('failed_attempts', '<', MAX_CODE_TRIES)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  if (!reserved) return 'spent';
  // A malformed code still costs its try and one HMAC, like a wrong one.
  const right = deps.secrets.madeUnderSomeKey(live.code_hash, (key) => codeHash(deps, live.id, code ?? 'x', key)) && code !== null;
  if (!right) return 'wrong';
  const used = await deps.db
    .updateTable('otp_codes')
    .set({ used_at: now })
    .where('id', '=', live.id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return used ? 'right' : 'spent';
}

async function liveCode(deps: CoreDeps, accountId: string, purpose: OtpPurpose, now: number): Promise<OtpCodeRow | undefined> {
  return deps.db
    .selectFrom('otp_codes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Codes dead for over a day go with the hourly clean-up. Returns how many went. */
export async function purgeDeadCodes(deps: CoreDeps, olderThanMs = 24 * 3600_000): Promise<number> {
  const cutoff = deps.clock.now() - olderThanMs;
  const result = await deps.db.deleteFrom('otp_codes').where('expires_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
