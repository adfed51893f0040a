// Every word a Slack block shows, in the user's language: say(locale, 'ticketCard.claim') reads
// `slack.ticketCard.claim` from the catalogue in src/i18n/, with `{name}` filled from params.
import type { Locale } from '../../src/core/types.js';
import { translate, type KeysUnder, type Params } from '../../src/i18n/index.js';

export const say = (locale: Locale, key: KeysUnder<'slack.'>, params?: Params): string => translate(locale, `slack.${key}`, params);
