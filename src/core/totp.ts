// TOTP (RFC 6238, 6 digits, 30 s) over otplib 13. We accept the step before and after the
// current one for clock drift, and never a step at or before the last one accepted, so
// each code works once. Time is passed in, never read here.
import { generate, generateSecret, generateURI, ScureBase32Plugin, verify } from 'otplib';

const PERIOD = 30;

/** A new 20-byte secret, base32 (what authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** A secret from given random bytes (20 of them, like newTotpSecret), base32. */
export function totpSecretFromBytes(bytes: Uint8Array): string {
  return new ScureBase32Plugin().encode(bytes);
}

export function totpUri(opts: { issuer: string; label: string; secret: string }): string {
  return generateURI({ issuer: opts.issuer, label: opts.label, secret: opts.secret });
}

export async function verifyTotp(opts: {
  secret: string;
  code: string;
  lastStep: number | null;
  nowMs: number;
}): Promise<{ valid: true; step: number } | { valid: false }> {
  if (!/^[0-9]{6}$/.test(opts.code)) return { valid: false };
  const epoch = Math.floor(opts.nowMs / 1000);
  const current = Math.floor(epoch / PERIOD);
  // otplib throws on an afterTimeStep past the window; nothing could be accepted anyway.
  if (opts.lastStep !== null && opts.lastStep > current) return { valid: false };
  const result = await verify({
    secret: opts.secret,
    token: opts.code,
    epoch,
    epochTolerance: PERIOD,
    ...(opts.lastStep !== null && opts.lastStep >= 0 ? { afterTimeStep: opts.lastStep } : {}),
  });
  if (result.valid && 'timeStep' in result) return { valid: true, step: result.timeStep };
  return { valid: false };
}

/** The code an authenticator would show at `nowMs`. */
export function totpCodeAt(secret: string, nowMs: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(nowMs / 1000) });
}
