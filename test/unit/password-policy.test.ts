import { describe, expect, it } from 'vitest';
import { blocklistSize, checkPassword, normalizePassword, type PasswordPolicy } from '../../src/core/password-policy.js';

const policy: PasswordPolicy = { minLength: 15, minLengthWithMfa: 8, maxLength: 64 };
const who = { email: 'alice.martin@example.com', displayName: 'Alice Martin', hasMfa: false };
const withMfa = { ...who, hasMfa: true };

describe('normalizePassword', () => {
  it('is NFKC', () => {
    expect(normalizePassword('ﬁＡe\u0301')).toBe('fiAé');
    expect(normalizePassword('plain')).toBe('plain');
  });
});

describe('checkPassword', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(checkPassword('purple tugboat singing quietly', who, policy)).toBeNull();
    expect(checkPassword('zzzzzzzzzzzzzzzzzzzz', who, policy)).toBeNull();
  });

  it('needs minLength without MFA and minLengthWithMfa with it', () => {
    const r = checkPassword('tugboat-42x', who, policy);
    expect(r?.code).toBe('password_too_short');
    expect(r?.params).toEqual({ min: 15 });
    expect(r?.message('en')).toContain('15');
    expect(checkPassword('tugboat-42x', withMfa, policy)).toBeNull();
    expect(checkPassword('tug-42x', withMfa, policy)?.params).toEqual({ min: 8 });
  });

  it('counts code points of the NFKC form', () => {
    const emoji = '🐙🦑🐳🦀🐠🐡🦈🐬'; // 8 code points, 16 UTF-16 units
    expect(emoji.length).toBe(16);
    expect(checkPassword(emoji, withMfa, policy)).toBeNull();
    expect(checkPassword(emoji.slice(0, 14), withMfa, policy)?.code).toBe('password_too_short');
    // 7 × (e + combining acute) is 14 units but 7 code points once composed
    expect(checkPassword('e\u0301'.repeat(7), withMfa, policy)?.code).toBe('password_too_short');
    expect(checkPassword('e\u0301'.repeat(8), withMfa, policy)).toBeNull();
  });

  it('refuses more than maxLength', () => {
    expect(checkPassword('x'.repeat(64), who, policy)).toBeNull();
    const r = checkPassword('x'.repeat(65), who, policy);
    expect(r?.code).toBe('password_too_long');
    expect(r?.params).toEqual({ max: 64 });
  });

  it('refuses common passwords, case-insensitively', () => {
    expect(checkPassword('password1234', withMfa, policy)?.code).toBe('password_common');
    expect(checkPassword('PassWord1234', withMfa, policy)?.code).toBe('password_common');
    expect(checkPassword('qwertyuiop12345', who, policy)?.code).toBe('password_common');
    expect(checkPassword('1qaz2wsx3edc4rfv', who, policy)?.code).toBe('password_common');
  });

  it('has a blocklist of at least 10,000 entries', () => {
    expect(blocklistSize()).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses a password containing the email local part', () => {
    expect(checkPassword('my-ALICE.MARTIN-secret', who, policy)?.code).toBe('password_contains_email');
    // the tag-less part of a plus address counts too
    const tagged = { ...who, email: 'bobby+work@example.com', displayName: 'R. B.' };
    expect(checkPassword('xx-bobby-ocean-river', tagged, policy)?.code).toBe('password_contains_email');
  });

  it('ignores an email local part shorter than 3 characters', () => {
    const short = { ...who, email: 'al@example.com', displayName: 'A L' };
    expect(checkPassword('pal canyon river stone', short, policy)).toBeNull();
  });

  it('refuses a password containing a 4+-letter part of the name, ignoring case and accents', () => {
    const jose = { email: 'jn@example.com', displayName: 'José Álvarez-Núñez', hasMfa: false };
    expect(checkPassword('nunez forever and ever', jose, policy)?.code).toBe('password_contains_name');
    expect(checkPassword('alvarez forever and ever', jose, policy)?.code).toBe('password_contains_name');
    expect(checkPassword('the JOSE canyon trail', jose, policy)?.code).toBe('password_contains_name');
    expect(checkPassword('the JOSÉ canyon trail', jose, policy)?.code).toBe('password_contains_name');
    expect(checkPassword('ÁLVAREZ0123456789', jose, policy)?.code).toBe('password_contains_name');
  });

  it('ignores name parts under 4 letters and splits on non-letters', () => {
    const li = { email: 'xy@example.com', displayName: 'Li Na-Zoë 3rd', hasMfa: false };
    expect(checkPassword('li na zoe 3rd canyon', li, policy)).toBeNull();
    const cyr = { email: 'xy@example.com', displayName: 'Дмитрий Иванов', hasMfa: false };
    expect(checkPassword('мой дмитрий пароль 2024', cyr, policy)?.code).toBe('password_contains_name');
  });
});
