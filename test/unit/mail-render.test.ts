import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../src/core/effects.js';
import { KINDS_WITH_SECRET, renderEmail } from '../../src/mail/render-email.js';

const SECRET = 'https://keydesk.test/reset/tok-3b7c9e';
const publicUrl = 'https://keydesk.test/';

describe('renderEmail', () => {
  const cases = EMAIL_KINDS.flatMap((kind) => (['en', 'fr'] as const).map((locale) => [kind, locale] as const));

  it.each(cases)('renders %s in %s: a subject, a greeting, the secret only when it carries one', (kind, locale) => {
    const carries = KINDS_WITH_SECRET.has(kind);
    const email = renderEmail(kind, locale, {
      secret: carries ? SECRET : undefined,
      facts: { expiresAt: Date.UTC(2026, 10, 25, 10, 30), internalNote: 'DO-NOT-PRINT', password: 'hunter2' },
      publicUrl,
    });
    expect(email.subject).toMatch(/^keydesk: \S/);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text.startsWith(locale === 'fr' ? 'Bonjour,' : 'Hello,')).toBe(true);
    expect(email.text.includes(SECRET)).toBe(carries);
    expect(email.text).not.toContain('DO-NOT-PRINT');
    expect(email.text).not.toContain('hunter2');
    expect(email.text).not.toContain('undefined');
    expect(email.text.length).toBeLessThan(800);
  });

  it('needs the secret for a kind that carries one, and refuses one for a kind that does not', () => {
    expect(() => renderEmail('reset_link', 'en', { publicUrl })).toThrow(/needs its secret/);
    expect(() => renderEmail('account_unlocked', 'en', { secret: 'x', publicUrl })).toThrow(/carries no secret/);
  });

  it('formats times in UTC for each locale, and leaves a sentence out when its fact is missing', () => {
    const at = Date.UTC(2026, 10, 25, 14, 5);
    expect(renderEmail('account_locked', 'en', { facts: { lockedUntil: at }, publicUrl }).text).toContain(
      'It will unlock by itself on 25 November 2026 at 14:05 UTC.',
    );
    expect(renderEmail('account_locked', 'fr', { facts: { lockedUntil: at }, publicUrl }).text).toContain(
      'Il se déverrouillera de lui-même le 25 novembre 2026 à 14:05 UTC.',
    );
    const bare = renderEmail('account_locked', 'en', { publicUrl }).text;
    expect(bare).not.toContain('unlock by itself');
    expect(bare).toContain('The address the last attempt came from is unknown.');
    expect(renderEmail('account_locked', 'fr', { publicUrl }).text).toContain('L’adresse d’où venait la dernière tentative est inconnue.');
    expect(renderEmail('account_locked', 'fr', { facts: { clientAddress: '203.0.113.9' }, publicUrl }).text).toContain('La dernière tentative venait de 203.0.113.9.');
    expect(renderEmail('password_changed', 'en', { publicUrl }).text).toContain('Your password was changed.');
  });

  it('says, in each language, that a password change ended the other sessions', () => {
    expect(renderEmail('password_changed', 'en', { publicUrl }).text).toContain('Every other session signed in to your account was ended');
    expect(renderEmail('password_changed', 'fr', { publicUrl }).text).toContain('Toutes les autres sessions ouvertes sur votre compte ont été fermées');
  });

  it('shows the key id and client address it is given, on one line each', () => {
    expect(renderEmail('access_key_created', 'en', { facts: { keyId: 'kd_ab12' }, publicUrl }).text).toContain('(kd_ab12)');
    const text = renderEmail('account_locked', 'en', { facts: { clientAddress: '203.0.113.9\r\nBcc: x@evil.test' }, publicUrl }).text;
    expect(text).toContain('The last attempt came from 203.0.113.9 Bcc: x@evil.test.');
  });

  it('links to keydesk without a double slash', () => {
    expect(renderEmail('account_unlocked', 'en', { publicUrl }).text).toContain('\n\nhttps://keydesk.test\n\n');
  });
});

describe('account_disabled and account_enabled', () => {
  const publicUrl = 'https://keydesk.test';
  it('says the reason in words in each language, and a generic line for an unknown or absent one', () => {
    expect(renderEmail('account_disabled', 'en', { facts: { reason: 'payment' }, publicUrl }).text).toContain('disabled because of a billing problem.');
    expect(renderEmail('account_disabled', 'fr', { facts: { reason: 'admin' }, publicUrl }).text).toContain('désactivé par un administrateur.');
    expect(renderEmail('account_disabled', 'en', { facts: { reason: 'constructor' }, publicUrl }).text).toContain('Your keydesk account was disabled.');
    expect(renderEmail('account_disabled', 'en', { publicUrl }).text).toContain('Your keydesk account was disabled.');
    expect(renderEmail('account_enabled', 'en', { facts: { signIn: 1 }, publicUrl }).text).toContain('You can sign in again');
    expect(renderEmail('account_enabled', 'fr', { facts: { activate: 1 }, publicUrl }).text).toContain('pas encore activé');
  });
});
