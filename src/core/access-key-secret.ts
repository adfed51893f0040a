// Access keys look like kd_<publicId>_<secret>: the public id finds the row without a
// scan, the secret is 256 random bits kept only as an HMAC under a server key (a leaked
// table alone can't be used). Alphabets have no `_`, so parsing is one strict regex.
import { createHmac, randomBytes } from 'node:crypto';
import type { SecretKey } from './secret-box.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^43 > 2^256: every 32-byte secret fits in 43 base62 digits. */
const SECRET_LENGTH = 43;
const PUBLIC_ID_LENGTH = 24;
const KEY = /^kd_([0-9a-f]{24})_([0-9A-Za-z]{43})$/;
const KEY_LENGTH = 'kd_'.length + PUBLIC_ID_LENGTH + 1 + SECRET_LENGTH;

function base62(bytes: Buffer, width: number): string {
  let n = bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(width, '0');
}

/** 12 random bytes, lowercase hex. */
export function newPublicId(): string {
  return randomBytes(12).toString('hex');
}

/** 32 random bytes, base62, always 43 characters. */
export function newKeySecret(): string {
  return base62(randomBytes(32), SECRET_LENGTH);
}

export function formatAccessKey(publicId: string, secret: string): string {
  return `kd_${publicId}_${secret}`;
}

export function parseAccessKey(text: string): { publicId: string; secret: string } | null {
  if (text.length !== KEY_LENGTH) return null;
  const m = KEY.exec(text);
  if (!m?.[1] || !m[2]) return null;
  return { publicId: m[1], secret: m[2] };
}

export function hmacKeySecret(key: SecretKey, secret: string): string {
  return createHmac('sha256', key.bytes).update(secret, 'utf8').digest('hex');
}
