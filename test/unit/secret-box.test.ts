import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';

const key = () => secretKeyFromBase64(randomBytes(32).toString('base64'));

describe('SecretBox (AES-256-GCM with key ids)', () => {
  it('round-trips, and each seal differs', () => {
    const box = new SecretBox(key());
    const a = box.seal('JBSWY3DPEHPK3PXP', 'totp:1');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'totp:1')).not.toBe(a);
    expect(box.open(a, 'totp:1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, a tampered body and an unknown key', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('secret', 'totp:1');
    expect(() => box.open(sealed, 'totp:2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    expect(() => box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'totp:1')).toThrow();
    expect(() => new SecretBox(key()).open(sealed, 'totp:1')).toThrow(/unknown/);
  });

  it('after a rotation, SECRETS_KEY_PREVIOUS still opens older ciphertexts; new ones use the new key', () => {
    const old = key();
    const sealedBefore = new SecretBox(old).seal('link', 'email:x');
    const rotated = new SecretBox(key(), [old]);
    expect(rotated.open(sealedBefore, 'email:x')).toBe('link');
    expect(rotated.seal('link', 'email:x').split('.')[1]).toBe(rotated.current.id);
    expect(rotated.current.id).not.toBe(old.id);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => secretKeyFromBase64(Buffer.alloc(16).toString('base64'))).toThrow();
  });
});
