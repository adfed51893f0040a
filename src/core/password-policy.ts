// Password rules after NIST SP 800-63B: length (in code points, MFA lowers the floor),
// no composition rules, a blocklist of common passwords, and nothing guessable from the
// person's own email or name. Kept synchronous and pure so forms can check as you type;
// "same as the current password" needs a hash verify and lives with the account operations.
import { createRequire } from 'node:module';
import { refuse, type Refusal } from './refusal.js';

export interface PasswordPolicy {
  minLength: number;
  minLengthWithMfa: number;
  maxLength: number;
}

/** NFKC: the form we measure, compare and hash, so look-alike encodings are one password. */
export function normalizePassword(p: string): string {
  return p.normalize('NFKC');
}

let blocklist: Set<string> | undefined;

// The dictionaries (2.5 MB of heap once decompressed, at import) load with the first password
// checked rather than at start; a synchronous require of the CommonJS build keeps checks synchronous.
const requireLazily = createRequire(import.meta.url);

function commonPasswords(): Set<string> {
  if (!blocklist) {
    const { dictionary } = requireLazily('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    blocklist = new Set(dictionary['passwords-common'].map((w) => w.normalize('NFKC').toLowerCase()));
  }
  return blocklist;
}

export function blocklistSize(): number {
  return commonPasswords().size;
}

/** Case- and accent-insensitive form, for "does it contain your name". */
function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function emailParts(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = fold(normalizePassword(at === -1 ? email : email.slice(0, at)));
  // alice+shop@… : "alice" alone is as guessable as the whole local part.
  const plus = local.indexOf('+');
  const parts = plus > 0 ? [local, local.slice(0, plus)] : [local];
  return parts.filter((p) => [...p].length >= 3);
}

function nameParts(displayName: string): string[] {
  return fold(normalizePassword(displayName))
    .split(/[^\p{L}]+/u)
    .filter((p) => [...p].length >= 4);
}

export function checkPassword(
  candidate: string,
  who: { email: string; displayName: string; hasMfa: boolean },
  policy: PasswordPolicy,
): Refusal | null {
  const p = normalizePassword(candidate);
  const length = [...p].length;
  const min = who.hasMfa ? policy.minLengthWithMfa : policy.minLength;
  if (length < min) return refuse('password_too_short', { min });
  if (length > policy.maxLength) return refuse('password_too_long', { max: policy.maxLength });
  if (commonPasswords().has(p.toLowerCase())) return refuse('password_common');
  const folded = fold(p);
  if (emailParts(who.email).some((part) => folded.includes(part))) return refuse('password_contains_email');
  if (nameParts(who.displayName).some((part) => folded.includes(part))) return refuse('password_contains_name');
  return null;
}
