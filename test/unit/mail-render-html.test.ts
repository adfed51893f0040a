// The HTML part of every email: escaped values, checked links, nothing external, en and fr,
// and no secret but the one the email exists to carry.
import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../src/core/effects.js';
import { checkedHref, escapeHtml } from '../../src/mail/html.js';
import { KINDS_WITH_SECRET, renderEmail } from '../../src/mail/render-email.js';

const publicUrl = 'https://keydesk.test';
const LINK = 'https://keydesk.test/reset/tok-3b7c9e-SECRET';
const TEMP = 'tmp-Hunter2-Very-Secret';
const HOSTILE_FACTS = {
  expiresAt: Date.UTC(2026, 10, 25, 10, 30),
  at: Date.UTC(2026, 10, 25, 9, 0),
  lockedUntil: Date.UTC(2026, 10, 25, 11, 0),
  clientAddress: '203.0.113.9',
  keyId: 'kd_ab12',
  password: 'pw-DO-NOT-PRINT',
  pin: '90817263',
  securityAnswer: 'Rue des Acacias',
  token: 'tok-DO-NOT-PRINT',
};
const LEAKS = ['pw-DO-NOT-PRINT', '90817263', 'Rue des Acacias', 'tok-DO-NOT-PRINT'];

const cases = EMAIL_KINDS.flatMap((kind) => (['en', 'fr'] as const).map((locale) => [kind, locale] as const));

function secretFor(kind: (typeof EMAIL_KINDS)[number]): string | undefined {
  if (!KINDS_WITH_SECRET.has(kind)) return undefined;
  // A temporary password and a one-time code are shown as code; every other secret is a link.
  return kind === 'temp_password' || kind === 'otp_code' ? TEMP : LINK;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('renderEmail html', () => {
  it.each(cases)('renders %s in %s as a self-contained HTML document', (kind, locale) => {
    const email = renderEmail(kind, locale, { secret: secretFor(kind), facts: HOSTILE_FACTS, publicUrl });
    const { html } = email;
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<title>${escapeHtml(email.subject)}</title>`);
    expect(html).toContain(locale === 'fr' ? '<p style="margin:0 0 16px 0;">Bonjour,</p>' : '<p style="margin:0 0 16px 0;">Hello,</p>');
    // Nothing to fetch, nothing to run.
    expect(html).not.toMatch(/<script|<img|<link|<iframe|<style|src=|url\(|@import|javascript:/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Every http(s) URL in it is an anchor's href or that anchor's text.
    const anchors = [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)];
    for (const [, href, text] of anchors) {
      expect(href).toBe(text);
      expect(href!.startsWith(publicUrl)).toBe(true);
    }
    expect(count(html, 'https://')).toBe(anchors.length * 2);
  });

  it.each(cases)('%s in %s shows no secret but its own', (kind, locale) => {
    const secret = secretFor(kind);
    const { text, html } = renderEmail(kind, locale, { secret, facts: HOSTILE_FACTS, publicUrl });
    for (const leak of LEAKS) {
      expect(text).not.toContain(leak);
      expect(html).not.toContain(leak);
    }
    if (secret === undefined) {
      // Rendered from facts only: neither a link to a token page nor a password.
      expect(html).not.toMatch(/\/(reset|activate|change-password|mfa\/enroll)\//);
      expect(text).not.toMatch(/\/(reset|activate|change-password|mfa\/enroll)\//);
      expect(html).not.toContain(TEMP);
    } else if (kind === 'temp_password' || kind === 'otp_code') {
      expect(count(html, TEMP)).toBe(1);
      expect(html).toContain(`<code style="font-family:monospace;font-size:16px;padding:4px 8px;background:#f2f2f2;">${TEMP}</code>`);
      expect(html).not.toContain('<a href');
      expect(count(text, TEMP)).toBe(1);
    } else {
      // The link, as the href and the text of one anchor, and nowhere else.
      expect(count(html, LINK)).toBe(2);
      expect(html).toContain(`<a href="${LINK}" style="color:#1a56db;word-break:break-all;">${LINK}</a>`);
      expect(html).not.toContain(TEMP);
      expect(count(text, LINK)).toBe(1);
    }
  });

  it('escapes a hostile fact value', () => {
    const hostile = '<script>alert("x")</script>&<b onclick=\'y\'>';
    for (const locale of ['en', 'fr'] as const) {
      const { html, text } = renderEmail('account_locked', locale, { facts: { clientAddress: hostile }, publicUrl });
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<b ');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;b onclick=&#39;y&#39;&gt;');
      expect(text).toContain(hostile); // the text part is plain text: shown as is
    }
    const key = renderEmail('access_key_created', 'en', { facts: { keyId: '"><img src=x>' }, publicUrl }).html;
    expect(key).toContain('(&quot;&gt;&lt;img src=x&gt;)');
    expect(key).not.toContain('<img');
  });

  it('escapes a link and refuses one that is not http(s) or under PUBLIC_URL', () => {
    const odd = 'https://keydesk.test/reset/a"onmouseover="alert(1)&x=<y>';
    const { html } = renderEmail('reset_link', 'en', { secret: odd, publicUrl });
    expect(html).toContain('href="https://keydesk.test/reset/a&quot;onmouseover=&quot;alert(1)&amp;x=&lt;y&gt;"');
    expect(html).not.toContain('"onmouseover');
    expect(() => renderEmail('reset_link', 'en', { secret: 'javascript:alert(1)', publicUrl })).toThrow(/PUBLIC_URL or http/);
    expect(() => renderEmail('activation', 'fr', { secret: 'data:text/html,<script>x</script>', publicUrl })).toThrow(/PUBLIC_URL or http/);
    expect(() => renderEmail('mfa_enrol_link', 'en', { secret: 'https://keydesk.test/mfa/enroll/a b', publicUrl })).toThrow(/whitespace/);
    expect(checkedHref('https://keydesk.test/activate/x', publicUrl)).toBe('https://keydesk.test/activate/x');
    expect(checkedHref('http://other.test/x', publicUrl)).toBe('http://other.test/x');
  });

  it('renders French subject and body', () => {
    const at = Date.UTC(2026, 10, 25, 14, 5);
    const email = renderEmail('reset_link', 'fr', { secret: LINK, facts: { expiresAt: at }, publicUrl });
    expect(email.subject).toBe('keydesk: Réinitialisez votre mot de passe');
    expect(email.html).toContain('<title>keydesk: Réinitialisez votre mot de passe</title>');
    expect(email.html).toContain('Le lien ne sert qu’une fois et expire le 25 novembre 2026 à 14:05 UTC.');
    expect(email.html).toContain('Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe n’a pas changé.');
    expect(email.html).toContain('Ce message a été envoyé automatiquement ; merci de ne pas y répondre.');
    expect(email.text).toContain('Le lien ne sert qu’une fois et expire le 25 novembre 2026 à 14:05 UTC.');
  });

  it('links the unlocked email to PUBLIC_URL', () => {
    const { html } = renderEmail('account_unlocked', 'en', { publicUrl: 'https://keydesk.test/' });
    expect(html).toContain('<a href="https://keydesk.test" style="color:#1a56db;word-break:break-all;">https://keydesk.test</a>');
  });
});
