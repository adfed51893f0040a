// English: every word keydesk shows, keyed `<surface>.<name>`, one file per surface:
// `refusal.<code>` for the core's refusals (Refusal.message), `page.*` for the web pages,
// `mail.*` for the emails and `slack.*` for the Slack handlers. `{name}` is a parameter.
// fr.ts is typed against these keys: a key missing there, or one only there, is a type
// error; test/unit/i18n-catalogue.test.ts checks the parameters.
import { history } from './en/history.js';
import { mail } from './en/mail.js';
import { myAccount } from './en/my-account.js';
import { pages } from './en/pages.js';
import { refusals } from './en/refusals.js';
import { slack } from './en/slack.js';
import { secondFactor } from './en/second-factor.js';

export const en = { ...refusals, ...pages, ...mail, ...slack, ...myAccount, ...history, ...secondFactor } as const;
