// Secrets inside links (reset, activation, enrolment): 256 random bits, so a plain SHA-256
// at rest is enough (no guessing to slow down), and comparisons run in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
