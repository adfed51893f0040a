import { describe, expect, it } from 'vitest';
import {
  formatAccessKey,
  hmacKeySecret,
  newKeySecret,
  newPublicId,
  parseAccessKey,
} from '../../src/core/access-key-secret.js';
import type { SecretKey } from '../../src/core/secret-box.js';

const key: SecretKey = { id: 'k1', bytes: Buffer.alloc(32, 7) };

describe('access key secrets', () => {
  it('makes public ids of 12 bytes in lowercase hex', () => {
    const id = newPublicId();
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(newPublicId()).not.toBe(id);
  });

  it('makes secrets of 32 bytes in base62, always 43 characters', () => {
    const secrets = Array.from({ length: 200 }, newKeySecret);
    for (const s of secrets) expect(s).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(new Set(secrets).size).toBe(200);
  });

  it('formats and parses keys', () => {
    const publicId = newPublicId();
    const secret = newKeySecret();
    const text = formatAccessKey(publicId, secret);
    expect(text).toBe(`kd_${publicId}_${secret}`);
    expect(parseAccessKey(text)).toEqual({ publicId, secret });
  });

  it('parses nothing else', () => {
    const good = formatAccessKey(newPublicId(), newKeySecret());
    for (const bad of [
      '',
      'kd_',
      good.toUpperCase(),
      good.replace('kd_', 'kx_'),
      ` ${good}`,
      `${good}\n`,
      `${good}x`,
      good.slice(0, -1),
      good.slice(0, 10) + '_' + good.slice(11),
      good.replace(/^kd_[0-9a-f]/, 'kd_G'),
      `${good}_${good}`,
      'kd_' + 'a'.repeat(24) + '_' + 'b'.repeat(10_000),
      'x'.repeat(1_000_000),
    ]) {
      expect(parseAccessKey(bad)).toBeNull();
    }
  });

  it('HMACs secrets with SHA-256 under the key', () => {
    const mac = hmacKeySecret(key, 'secret');
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(hmacKeySecret(key, 'secret')).toBe(mac);
    expect(hmacKeySecret(key, 'secreT')).not.toBe(mac);
    expect(hmacKeySecret({ id: 'k2', bytes: Buffer.alloc(32, 8) }, 'secret')).not.toBe(mac);
  });
});
