// Emails, one small table of lines per kind (the words are the catalogue's `mail.*`
// entries, src/i18n), rendered as plain text and as HTML from the same lines (html.ts
// escapes every value and checks every link).
// The only secret an email ever shows is `secret`, the link or temporary password it
// exists to carry. Facts are shown only where a template names them: an unknown fact is
// never printed, so nothing slips into an email by accident.
import type { EmailKind } from '../core/effects.js';
import type { Locale } from '../core/types.js';
import { CATALOGUES, translate, type KeysUnder } from '../i18n/index.js';
import { renderHtmlEmail, type Block } from './html.js';

export interface RenderInput {
  secret?: string;
  facts?: Record<string, string | number>;
  /** keydesk's public base URL, without a trailing slash. */
  publicUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Kinds that exist to carry a link or temporary password: rendering one needs `secret`. */
export const KINDS_WITH_SECRET: ReadonlySet<EmailKind> = new Set<EmailKind>([
  'activation',
  'reset_link',
  'set_password_link',
  'temp_password',
  'mfa_enrol_link',
  'email_change_confirm',
  'email_change_requested',
  'security_reset_link',
  'otp_code',
]);

interface View {
  secret: string;
  publicUrl: string;
  /** A fact as display text, or undefined when absent. Times (…At, …Until) are formatted. */
  fact(name: string): string | undefined;
}

/**
 * A line of an email: a catalogue entry said as it is, a block built from the view (the
 * link, the temporary password, the home page), or an entry that needs a fact, said
 * otherwise (or left out) when it is absent. Only the fact a line names reaches its {placeholder}.
 */
type Line = MailKey | ((v: View) => Block) | { fact: string; key: MailKey; otherwise?: MailKey } | { code: string; prefix: string; otherwise: MailKey };
type MailKey = `mail.${KeysUnder<'mail.'>}`;

const link = (v: View): Block => ({ kind: 'link', href: v.secret });
const code = (v: View): Block => ({ kind: 'code', text: v.secret });
const home = (v: View): Block => ({ kind: 'link', href: v.publicUrl });
/**
 * The words for a code fact (a disable reason): the entry `<prefix>.<code>`, or
 * `otherwise` when the fact is absent or the catalogue has no words for it.
 */
const byCode = (code: string, prefix: string, otherwise: MailKey): Line => ({ code, prefix, otherwise });
/** `key` with `fact` filled in, or `otherwise` (else nothing) when the fact is absent. */
const when = (fact: string, key: MailKey, otherwise?: MailKey): Line => ({ fact, key, otherwise });

interface Template {
  subject: MailKey;
  lines: Line[];
}

const HELLO = 'mail.hello';
const LINK_ONCE = when('expiresAt', 'mail.linkOnce');

/** What each kind says, the same in every language; the words are in src/i18n. */
const TEMPLATES: Record<EmailKind, Template> = {
  activation: { subject: 'mail.activation.subject', lines: [HELLO, 'mail.activation.intro', link, LINK_ONCE] },
  reset_link: { subject: 'mail.reset_link.subject', lines: [HELLO, 'mail.reset_link.intro', link, LINK_ONCE, 'mail.reset_link.notYou'] },
  set_password_link: { subject: 'mail.set_password_link.subject', lines: [HELLO, 'mail.set_password_link.intro', link, LINK_ONCE] },
  temp_password: {
    subject: 'mail.temp_password.subject',
    lines: [HELLO, 'mail.temp_password.intro', code, when('expiresAt', 'mail.temp_password.expires'), 'mail.temp_password.next'],
  },
  password_changed: {
    subject: 'mail.password_changed.subject',
    lines: [
      HELLO,
      when('at', 'mail.password_changed.at', 'mail.password_changed.done'),
      'mail.password_changed.sessionsEnded',
      'mail.password_changed.notYou',
    ],
  },
  account_locked: {
    subject: 'mail.account_locked.subject',
    lines: [
      HELLO,
      'mail.account_locked.intro',
      when('clientAddress', 'mail.account_locked.from', 'mail.account_locked.fromUnknown'),
      when('lockedUntil', 'mail.account_locked.until'),
      'mail.account_locked.sooner',
    ],
  },
  account_unlocked: { subject: 'mail.account_unlocked.subject', lines: [HELLO, 'mail.account_unlocked.intro', home] },
  mfa_cleared: { subject: 'mail.mfa_cleared.subject', lines: [HELLO, 'mail.mfa_cleared.intro', 'mail.mfa_cleared.again', 'mail.mfa_cleared.notYou'] },
  mfa_enrol_link: { subject: 'mail.mfa_enrol_link.subject', lines: [HELLO, 'mail.mfa_enrol_link.intro', link, LINK_ONCE] },
  account_disabled: {
    subject: 'mail.account_disabled.subject',
    // The reason code in words; an admin's note never reaches an email.
    lines: [HELLO, byCode('reason', 'mail.account_disabled.reason', 'mail.account_disabled.intro'), 'mail.account_disabled.next'],
  },
  account_enabled: {
    subject: 'mail.account_enabled.subject',
    lines: [HELLO, 'mail.account_enabled.intro', when('signIn', 'mail.account_enabled.signIn'), when('activate', 'mail.account_enabled.activate'), home],
  },
  access_key_created: {
    subject: 'mail.access_key_created.subject',
    lines: [HELLO, when('keyId', 'mail.access_key_created.withId', 'mail.access_key_created.intro'), 'mail.access_key_created.notYou'],
  },
  access_key_revoked: {
    subject: 'mail.access_key_revoked.subject',
    lines: [HELLO, 'mail.access_key_revoked.intro', 'mail.access_key_revoked.next'],
  },
  email_change_confirm: {
    subject: 'mail.email_change_confirm.subject',
    lines: [HELLO, 'mail.email_change_confirm.intro', link, LINK_ONCE, 'mail.email_change_confirm.notYou'],
  },
  // To the old address; its link is "this wasn't me".
  email_change_requested: {
    subject: 'mail.email_change_requested.subject',
    lines: [HELLO, when('newEmail', 'mail.email_change_requested.to'), 'mail.email_change_requested.notYou', link],
  },
  // To both addresses, once the change is made.
  email_changed: {
    subject: 'mail.email_changed.subject',
    lines: [HELLO, when('newEmail', 'mail.email_changed.now'), when('oldEmail', 'mail.email_changed.was'), 'mail.email_changed.next', 'mail.email_changed.notYou'],
  },
  security_reset_link: { subject: 'mail.security_reset_link.subject', lines: [HELLO, 'mail.security_reset_link.intro', link, LINK_ONCE, 'mail.security_reset_link.notYou'] },
  security_changed: { subject: 'mail.security_changed.subject', lines: [HELLO, 'mail.security_changed.intro', 'mail.security_changed.notYou'] },
  // A sign-in, enrolment or validation code (src/core/otp-codes.ts): the code is the secret.
  otp_code: { subject: 'mail.otp_code.subject', lines: [HELLO, 'mail.otp_code.intro', code, when('expiresAt', 'mail.otp_code.expires'), 'mail.otp_code.notYou'] },
};

/** A line as a block in `locale`, or undefined when it needs a fact that is absent. */
function lineBlock(line: Line, view: View, locale: Locale): Block | undefined {
  if (typeof line === 'function') return line(view);
  if (typeof line === 'string') return { kind: 'text', text: translate(locale, line) };
  if ('code' in line) {
    const code = view.fact(line.code);
    const key = `${line.prefix}.${code ?? ''}`;
    return { kind: 'text', text: translate(locale, code !== undefined && Object.hasOwn(CATALOGUES[locale], key) ? (key as MailKey) : line.otherwise) };
  }
  const value = view.fact(line.fact);
  if (value !== undefined) return { kind: 'text', text: translate(locale, line.key, { [line.fact]: value }) };
  return line.otherwise === undefined ? undefined : { kind: 'text', text: translate(locale, line.otherwise) };
}

// One formatter per language, made once: building one costs far more than using it.
const TIME_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

function formatTime(ms: number, locale: Locale): string {
  return `${TIME_FORMATS[locale].format(new Date(ms))} UTC`;
}

function isTimeFact(name: string): boolean {
  return name === 'at' || /(At|Until)$/.test(name);
}

/** Renders one email. Throws when a kind that carries a secret has none, or vice versa. */
export function renderEmail(kind: EmailKind, locale: Locale, input: RenderInput): RenderedEmail {
  const template = TEMPLATES[kind];
  const carries = KINDS_WITH_SECRET.has(kind);
  if (carries && !input.secret) throw new Error(`a ${kind} email needs its secret`);
  if (!carries && input.secret !== undefined) throw new Error(`a ${kind} email carries no secret`);
  const facts = input.facts ?? {};
  const view: View = {
    secret: input.secret ?? '',
    publicUrl: input.publicUrl.replace(/\/+$/, ''),
    fact(name) {
      if (!Object.hasOwn(facts, name)) return undefined;
      const value = facts[name];
      if (value === undefined || value === '') return undefined;
      if (typeof value === 'number' && isTimeFact(name)) return Number.isFinite(value) ? formatTime(value, locale) : undefined;
      // One line per fact: a fact can't add lines or headers of its own.
      return String(value).replace(/[\r\n]+/g, ' ');
    },
  };
  const blocks = template.lines
    .map((line) => lineBlock(line, view, locale))
    .filter((b): b is Block => b !== undefined && (b.kind === 'link' ? b.href : b.text) !== '');
  const body = blocks.map((b) => (b.kind === 'link' ? b.href : b.text));
  const subject = `keydesk: ${translate(locale, template.subject)}`;
  const footer = [translate(locale, 'mail.signature'), translate(locale, 'mail.automated')];
  return {
    subject,
    text: `${body.join('\n\n')}\n\n${footer.join('\n')}\n`,
    html: renderHtmlEmail({ lang: locale, title: subject, blocks, footer, publicUrl: view.publicUrl }),
  };
}
