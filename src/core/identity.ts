// How people name an account: an email (case-insensitive), or a phone number with an
// optional extension ("+1 415 555 0100#12"). Phones are kept in E.164; no extension is ''.
import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { findAccountById, findAccountBySlackId, type LoginName } from '../store/accounts.js';
import type { AccountRow } from '../store/schema.js';
import type { CoreDeps } from './deps.js';
import type { Locale } from './types.js';

const emailSchema = z.email();

/** Slack user ids: U… (or W… on Enterprise Grid). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && emailSchema.safeParse(email).success ? email : null;
}

// libphonenumber-js and its metadata (2.1 MB of heap) load with the first phone number
// seen rather than at start: most logins are emails. Its CommonJS build, required
// synchronously, keeps normalizePhone synchronous.
const requireLazily = createRequire(import.meta.url);
let phoneLib: typeof import('libphonenumber-js') | undefined;

export function normalizePhone(raw: string, defaultRegion: string): string | null {
  if (raw.length > 40) return null;
  phoneLib ??= requireLazily('libphonenumber-js') as typeof import('libphonenumber-js');
  const parsed = phoneLib.parsePhoneNumberFromString(raw.trim(), defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

export function normalizeExtension(raw: string | null | undefined): string | null {
  const ext = (raw ?? '').trim();
  return ext === '' || /^\d{1,8}$/.test(ext) ? ext : null;
}

export type { LoginName } from '../store/accounts.js';

/** Parses what someone typed as a login; null when it is neither an email nor a phone. */
export function parseLogin(raw: string, defaultRegion: string): LoginName | null {
  const text = raw.trim();
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    return email ? { email } : null;
  }
  const [phonePart = '', extPart, extra] = text.split('#');
  if (extra !== undefined) return null;
  const phone = normalizePhone(phonePart, defaultRegion);
  const extension = normalizeExtension(extPart);
  return phone && extension !== null ? { phone, extension } : null;
}

/** The account with this id, for the outer layers: they hold CoreDeps, never the store itself. */
export async function getAccount(deps: Pick<CoreDeps, 'db'>, id: string): Promise<AccountRow | undefined> {
  return findAccountById(deps.db, id);
}

/** A Slack user's locale from the store alone (no Slack call, no side effect); 'en' for a stranger. */
export async function localeOfSlackUser(deps: Pick<CoreDeps, 'db'>, slackUserId: string): Promise<Locale> {
  const account = await findAccountBySlackId(deps.db, slackUserId);
  return account?.locale ?? 'en';
}

/**
 * Masks an address wherever the address itself shouldn't be shown (Slack answers, failure
 * tickets, error lines): `ada@example.com` → `a***@example.com`, enough to recognise, not
 * to copy, and the same width whatever the length. Anything that is not an address is `***`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
