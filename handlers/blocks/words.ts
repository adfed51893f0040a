// Every word a Slack block shows, in the user's language: say(locale, 'ticketCard.claim') reads
// `slack.ticketCard.claim` from the catalogue in src/i18n/, with `{name}` filled from params.
import type { Locale } from '../../src/core/types.js';
import { CATALOGUES, translate, type KeysUnder, type MessageKey, type Params } from '../../src/i18n/index.js';

export const say = (locale: Locale, key: KeysUnder<'slack.'>, params?: Params): string => translate(locale, `slack.${key}`, params);

/**
 * The words for a code read from the database (an account status, a disable reason, an
 * attempt's result): `slack.<area>.<code>` when the catalogue has it, otherwise undefined so
 * the caller shows the code itself.
 */
export function sayCode(locale: Locale, area: string, code: string): string | undefined {
  const key = `slack.${area}.${code}`;
  return Object.hasOwn(CATALOGUES[locale], key) ? translate(locale, key as MessageKey) : undefined;
}
