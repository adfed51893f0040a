import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpCodeAt, totpUri, verifyTotp } from '../../src/core/totp.js';

const t = Date.UTC(2026, 10, 25, 10, 0, 7); // 7 s into a step
const secret = newTotpSecret();

describe('TOTP', () => {
  it('makes base32 secrets of 20 bytes', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('makes an otpauth URI', () => {
    const uri = totpUri({ issuer: 'keydesk', label: 'alice@example.com', secret });
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=keydesk');
  });

  it('accepts the current code and reports its step', async () => {
    const code = await totpCodeAt(secret, t);
    expect(code).toMatch(/^\d{6}$/);
    const r = await verifyTotp({ secret, code, lastStep: null, nowMs: t });
    expect(r).toEqual({ valid: true, step: Math.floor(t / 30_000) });
  });

  it('still accepts it one step later, but only once', async () => {
    const code = await totpCodeAt(secret, t);
    const later = await verifyTotp({ secret, code, lastStep: null, nowMs: t + 30_000 });
    expect(later.valid).toBe(true);
    const step = later.valid ? later.step : -1;
    expect(await verifyTotp({ secret, code, lastStep: step, nowMs: t + 30_000 })).toEqual({ valid: false });
    expect(await verifyTotp({ secret, code, lastStep: step, nowMs: t })).toEqual({ valid: false });
    // the next step's code is still fine after it
    const next = await totpCodeAt(secret, t + 30_000);
    expect(await verifyTotp({ secret, code: next, lastStep: step, nowMs: t + 30_000 })).toEqual({
      valid: true,
      step: step + 1,
    });
  });

  it('accepts the next step (clock ahead) but not two steps away', async () => {
    const ahead = await totpCodeAt(secret, t + 30_000);
    expect((await verifyTotp({ secret, code: ahead, lastStep: null, nowMs: t })).valid).toBe(true);
    const old = await totpCodeAt(secret, t - 60_000);
    expect(await verifyTotp({ secret, code: old, lastStep: null, nowMs: t })).toEqual({ valid: false });
    const far = await totpCodeAt(secret, t + 60_000);
    expect(await verifyTotp({ secret, code: far, lastStep: null, nowMs: t })).toEqual({ valid: false });
  });

  it('treats anything but 6 digits as invalid, without throwing', async () => {
    const code = await totpCodeAt(secret, t);
    for (const garbage of ['', 'abcdef', '12345', '1234567', ` ${code}`, `${code} `, '１２３４５６', '12 345']) {
      expect(await verifyTotp({ secret, code: garbage, lastStep: null, nowMs: t })).toEqual({ valid: false });
    }
  });

  it('refuses everything when the last step is ahead of the clock', async () => {
    const code = await totpCodeAt(secret, t);
    const step = Math.floor(t / 30_000);
    expect(await verifyTotp({ secret, code, lastStep: step + 5, nowMs: t })).toEqual({ valid: false });
  });
});
