// The pages' words: the catalogue's `page.*` entries (src/i18n); refusal messages come from
// the core (Refusal.message(locale)). The locale is the page's `?lang=` (the language
// switch), else the token's account's, else Accept-Language, else en.
import type { Locale } from '../../core/types.js';
import { translate, type KeysUnder, type Params } from '../../i18n/index.js';

export type StringKey = KeysUnder<'page.'>;

/** A page's string: the catalogue's `page.<key>` entry. */
export function t(locale: Locale, key: StringKey, params: Params = {}): string {
  return translate(locale, `page.${key}`, params);
}

/**
 * "within 30 minutes", "within the hour", "within 2 hours": how long a link lives, never
 * more than it does (90 minutes is said in minutes; seconds are dropped).
 */
export function within(locale: Locale, ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes % 60 === 0) return minutes === 60 ? t(locale, 'within.theHour') : t(locale, 'within.hours', { n: minutes / 60 });
  return minutes === 1 ? t(locale, 'within.aMinute') : t(locale, 'within.minutes', { n: minutes });
}

/** `?lang=` when it names a language keydesk speaks, else null. */
export function langOf(query: URLSearchParams): Locale | null {
  const lang = query.get('lang');
  return lang === 'en' || lang === 'fr' ? lang : null;
}

/**
 * `?lang=` first (the switch), else the account's locale when a token names one, else the
 * first supported Accept-Language, else en.
 */
export function pickLocale(accountLocale: Locale | null | undefined, acceptLanguage: string | string[] | undefined, lang: Locale | null = null): Locale {
  if (lang) return lang;
  if (accountLocale) return accountLocale;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = Number(/q=([\d.]+)/.exec(rest.join(';'))?.[1] ?? '1');
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { lang } of ranked) if (lang === 'fr' || lang === 'en') return lang;
  return 'en';
}
