// Which second factor an account has: an authenticator app (a TOTP secret on file), or a
// code sent by email or SMS (accounts.mfa_method). An account enrolled before methods
// existed has only its TOTP secret, and is a TOTP account.
import type { AccountRow } from '../store/schema.js';
import { maskEmail } from './identity.js';
import type { MfaMethod, OtpChannel } from './types.js';

type Factors = Pick<AccountRow, 'totp_secret_enc' | 'mfa_method'>;

export function mfaMethodOf(account: Factors): MfaMethod | null {
  if (account.totp_secret_enc !== null) return 'totp';
  return account.mfa_method === 'email' || account.mfa_method === 'sms' ? account.mfa_method : null;
}

export function hasSecondFactor(account: Factors): boolean {
  return mfaMethodOf(account) !== null;
}

/** The channel a code method sends to; null for TOTP (nothing is sent). */
export function channelOf(method: MfaMethod | null): OtpChannel | null {
  return method === 'email' || method === 'sms' ? method : null;
}

/** Where a code went, masked for a page: `a***@example.com`, `+33•••••••78`. */
export function maskedDestination(account: Pick<AccountRow, 'email' | 'phone'>, channel: OtpChannel): string {
  if (channel === 'email') return maskEmail(account.email);
  const phone = account.phone ?? '';
  return phone.length > 5 ? `${phone.slice(0, 3)}${'•'.repeat(phone.length - 5)}${phone.slice(-2)}` : '•••';
}
