// The catalogue is complete in French: every English key has a French entry with the same
// {placeholders} (a missing key is also a type error in fr.ts; this catches what a cast or
// a typo in a placeholder would let through), and the lookup fills them in.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/core/types.js';
import { CATALOGUES, placeholdersOf, translate, type MessageKey } from '../../src/i18n/index.js';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';

const keys = Object.keys(en) as MessageKey[];

describe('the catalogue', () => {
  it('has every English key in French, and no French key English lacks', () => {
    expect(Object.keys(fr).sort()).toEqual([...keys].sort());
    for (const locale of LOCALES) {
      const missing = keys.filter((key) => typeof CATALOGUES[locale][key] !== 'string' || CATALOGUES[locale][key].trim() === '');
      expect(missing, `empty or missing in ${locale}`).toEqual([]);
    }
  });

  it.each(keys)('%s takes the same {placeholders} in fr as in en', (key) => {
    expect(placeholdersOf(fr[key])).toEqual(placeholdersOf(en[key]));
  });

  it('keys name their surface: refusal., page., mail. or slack.', () => {
    expect(keys.filter((key) => !/^(refusal|page|mail|slack)\.[\w.]+$/.test(key))).toEqual([]);
  });

  it('fills placeholders once, keeps unknown ones, and never reads a value as a pattern', () => {
    expect(translate('en', 'refusal.password_too_short', { min: 12 })).toBe('Your password must be at least 12 characters long.');
    expect(translate('fr', 'page.signedIn', { name: '$& {name}' })).toBe('Connecté en tant que $& {name}.');
    expect(translate('en', 'page.linkNext')).toContain('{forgot}');
  });

  it('finds a placeholder once, sorted', () => {
    expect(placeholdersOf('{b} and {a}, then {b}')).toEqual(['a', 'b']);
  });

  it('imports nothing from web, mail, Slack, handlers or jobs: only its own files and core vocabulary', () => {
    const dir = new URL('../../src/i18n/', import.meta.url);
    // One level of per-surface files (en/slack.ts…) under the per-language ones.
    const imports = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(new URL(name, dir), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1] ?? ''));
    expect(imports.length).toBeGreaterThan(0);
    const own = /^(\.\/([\w-]+\/)?|\.\.\/(en|fr)\/)[\w-]+\.js$/;
    expect(imports.filter((from) => !own.test(from) && !/^\.\.\/core\/(refusal|types)\.js$/.test(from))).toEqual([]);
  });
});
