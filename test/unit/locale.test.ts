import { describe, expect, it } from 'vitest';
import { localeFromSlack } from '../../src/core/locale.js';

describe('localeFromSlack (fr-* → fr, anything else → en)', () => {
  it('maps every French Slack locale to fr', () => {
    for (const l of ['fr-FR', 'fr-CA', 'fr-BE', 'fr', 'FR-fr', 'fr_FR']) expect(localeFromSlack(l)).toBe('fr');
  });
  it('maps any other locale to en', () => {
    for (const l of ['en-US', 'en-GB', 'de-DE', 'es-ES', 'ja-JP', 'fry-NL', 'frr', 'x']) expect(localeFromSlack(l)).toBe('en');
  });
  it('gives null when Slack gave no locale (nothing to follow)', () => {
    for (const l of [undefined, null, '', '  ']) expect(localeFromSlack(l)).toBeNull();
  });
});
