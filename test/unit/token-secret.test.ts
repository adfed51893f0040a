import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashTokenSecret, newTokenSecret } from '../../src/core/token-secret.js';

describe('token secrets', () => {
  it('are 32 random bytes in base64url', () => {
    const s = newTokenSecret();
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, newTokenSecret)).size).toBe(100);
  });

  it('hash to SHA-256 hex', () => {
    expect(hashTokenSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const s = newTokenSecret();
    expect(hashTokenSecret(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenSecret(s)).not.toBe(hashTokenSecret(newTokenSecret()));
  });

  it('compare in constant time, false on any difference including length', () => {
    const h = hashTokenSecret('x');
    expect(constantTimeEqual(h, hashTokenSecret('x'))).toBe(true);
    expect(constantTimeEqual(h, hashTokenSecret('y'))).toBe(false);
    expect(constantTimeEqual(h, h.slice(1))).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});
