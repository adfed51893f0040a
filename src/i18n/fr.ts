// French, key for key with en.ts: each surface file `satisfies` its English one, so a missing
// or extra key is a type error there, and this whole catalogue is checked against en once more;
// test/unit/i18n-catalogue.test.ts checks each entry has the same {parameters}.
import type { en } from './en.js';
import { history } from './fr/history.js';
import { mail } from './fr/mail.js';
import { myAccount } from './fr/my-account.js';
import { pages } from './fr/pages.js';
import { refusals } from './fr/refusals.js';
import { slack } from './fr/slack.js';
import { secondFactor } from './fr/second-factor.js';

export const fr = { ...refusals, ...pages, ...mail, ...slack, ...myAccount, ...history, ...secondFactor } as const satisfies Record<keyof typeof en, string>;
