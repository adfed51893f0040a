import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import type { WebRequest } from '../../src/web/http.js';
import { issueCsrf, verifyCsrf } from '../../src/web/pages/csrf.js';

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

  it('lists its keys current first, and names the key a sealed value is under', () => {
    const old = key();
    const rotated = new SecretBox(key(), [old]);
    expect(rotated.keys().map((k) => k.id)).toEqual([rotated.current.id, old.id]);
    expect(new SecretBox(old, [old]).keys()).toHaveLength(1);
    expect(rotated.keyIdOf(new SecretBox(old).seal('x', 'c'))).toBe(old.id);
    expect(rotated.keyIdOf('not sealed')).toBeNull();
  });

  it('a form issued before a rotation still posts while the old key is previous, not after', () => {
    const old = key();
    const issued = issueCsrf(new SecretBox(old), 'https://keydesk.example', '/forgot');
    const nonce = /kd_csrf=([^;]+)/.exec(issued.cookie)![1]!;
    const req = { path: '/forgot', headers: { cookie: `kd_csrf=${nonce}` } } as unknown as WebRequest;
    expect(verifyCsrf(new SecretBox(key(), [old]), req, issued.field)).toBe(true);
    expect(verifyCsrf(new SecretBox(key()), req, issued.field)).toBe(false);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => secretKeyFromBase64(Buffer.alloc(16).toString('base64'))).toThrow();
  });
});
