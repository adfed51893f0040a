// Emails, one small table per kind and locale, rendered as plain text and as HTML from the
// same lines (html.ts escapes every value and checks every link).
// The only secret an email ever shows is `secret`, the link or temporary password it
// exists to carry. Facts are shown only where a template names them: an unknown fact is
// never printed, so nothing slips into an email by accident.
import type { EmailKind } from '../core/effects.js';
import type { Locale } from '../core/types.js';
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
]);

interface View {
  secret: string;
  publicUrl: string;
  /** A fact as display text, or undefined when absent. Times (…At, …Until) are formatted. */
  fact(name: string): string | undefined;
}

type Line = string | ((v: View) => string | Block | undefined);

const link = (v: View): Block => ({ kind: 'link', href: v.secret });
const code = (v: View): Block => ({ kind: 'code', text: v.secret });
const home = (v: View): Block => ({ kind: 'link', href: v.publicUrl });
interface Template {
  subject: string;
  lines: Line[];
}

const when = (name: string, f: (value: string) => string): Line => (v) => {
  const value = v.fact(name);
  return value === undefined ? undefined : f(value);
};

const TEMPLATES: Record<EmailKind, Record<Locale, Template>> = {
  activation: {
    en: {
      subject: 'Activate your account',
      lines: [
        'Hello,',
        'An account has been created for you. To activate it, open this link and choose your password:',
        link,
        when('expiresAt', (t) => `The link works once and expires on ${t}.`),
      ],
    },
    fr: {
      subject: 'Activez votre compte',
      lines: [
        'Bonjour,',
        'Un compte a été créé pour vous. Pour l’activer, ouvrez ce lien et choisissez votre mot de passe :',
        link,
        when('expiresAt', (t) => `Le lien ne sert qu’une fois et expire le ${t}.`),
      ],
    },
  },
  reset_link: {
    en: {
      subject: 'Reset your password',
      lines: [
        'Hello,',
        'We received a request to reset your password. To choose a new one, open this link:',
        link,
        when('expiresAt', (t) => `The link works once and expires on ${t}.`),
        'If you did not ask for this, you can ignore this email: your password has not changed.',
      ],
    },
    fr: {
      subject: 'Réinitialisez votre mot de passe',
      lines: [
        'Bonjour,',
        'Nous avons reçu une demande de réinitialisation de votre mot de passe. Pour en choisir un nouveau, ouvrez ce lien :',
        link,
        when('expiresAt', (t) => `Le lien ne sert qu’une fois et expire le ${t}.`),
        'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe n’a pas changé.',
      ],
    },
  },
  set_password_link: {
    en: {
      subject: 'Set a new password',
      lines: [
        'Hello,',
        'An administrator has reset a password. To set the new password, open this link:',
        link,
        when('expiresAt', (t) => `The link works once and expires on ${t}.`),
      ],
    },
    fr: {
      subject: 'Définissez un nouveau mot de passe',
      lines: [
        'Bonjour,',
        'Un administrateur a réinitialisé un mot de passe. Pour définir le nouveau, ouvrez ce lien :',
        link,
        when('expiresAt', (t) => `Le lien ne sert qu’une fois et expire le ${t}.`),
      ],
    },
  },
  temp_password: {
    en: {
      subject: 'Your temporary password',
      lines: [
        'Hello,',
        'An administrator has reset your password. Your temporary password is:',
        code,
        when('expiresAt', (t) => `It works once and expires on ${t}.`),
        'You will be asked to choose a new password when you sign in.',
      ],
    },
    fr: {
      subject: 'Votre mot de passe temporaire',
      lines: [
        'Bonjour,',
        'Un administrateur a réinitialisé votre mot de passe. Votre mot de passe temporaire est :',
        code,
        when('expiresAt', (t) => `Il ne sert qu’une fois et expire le ${t}.`),
        'Vous devrez choisir un nouveau mot de passe à la connexion.',
      ],
    },
  },
  password_changed: {
    en: {
      subject: 'Your password was changed',
      lines: [
        'Hello,',
        (v) => (v.fact('at') ? `Your password was changed on ${v.fact('at')}.` : 'Your password was changed.'),
        'If this was not you, please contact the helpdesk right away.',
      ],
    },
    fr: {
      subject: 'Votre mot de passe a été modifié',
      lines: [
        'Bonjour,',
        (v) => (v.fact('at') ? `Votre mot de passe a été modifié le ${v.fact('at')}.` : 'Votre mot de passe a été modifié.'),
        'Si ce n’était pas vous, contactez le support au plus vite.',
      ],
    },
  },
  account_locked: {
    en: {
      subject: 'Your account is locked',
      lines: [
        'Hello,',
        'Your account was locked after too many failed sign-in attempts.',
        when('clientAddress', (a) => `The last attempt came from ${a}.`),
        when('lockedUntil', (t) => `It will unlock by itself on ${t}.`),
        'If you need access sooner, you can ask the helpdesk to unlock it.',
      ],
    },
    fr: {
      subject: 'Votre compte est verrouillé',
      lines: [
        'Bonjour,',
        'Votre compte a été verrouillé après trop de tentatives de connexion échouées.',
        when('clientAddress', (a) => `La dernière tentative venait de ${a}.`),
        when('lockedUntil', (t) => `Il se déverrouillera de lui-même le ${t}.`),
        'Si vous avez besoin d’y accéder plus tôt, demandez au support de le déverrouiller.',
      ],
    },
  },
  account_unlocked: {
    en: {
      subject: 'Your account is unlocked',
      lines: ['Hello,', 'Your account is unlocked. You can sign in again.', home],
    },
    fr: {
      subject: 'Votre compte est déverrouillé',
      lines: ['Bonjour,', 'Votre compte est déverrouillé. Vous pouvez de nouveau vous connecter.', home],
    },
  },
  mfa_cleared: {
    en: {
      subject: 'Your two-step verification was reset',
      lines: [
        'Hello,',
        'An administrator has reset the two-step verification on your account.',
        'You will be asked to set it up again; a link to do so follows in a separate email.',
        'If you did not ask for this, please contact the helpdesk right away.',
      ],
    },
    fr: {
      subject: 'Votre validation en deux étapes a été réinitialisée',
      lines: [
        'Bonjour,',
        'Un administrateur a réinitialisé la validation en deux étapes de votre compte.',
        'Vous devrez la configurer à nouveau ; un lien pour le faire suit dans un autre message.',
        'Si vous n’êtes pas à l’origine de cette demande, contactez le support au plus vite.',
      ],
    },
  },
  mfa_enrol_link: {
    en: {
      subject: 'Set up two-step verification',
      lines: [
        'Hello,',
        'To set up two-step verification on your account, open this link:',
        link,
        when('expiresAt', (t) => `The link works once and expires on ${t}.`),
      ],
    },
    fr: {
      subject: 'Configurez la validation en deux étapes',
      lines: [
        'Bonjour,',
        'Pour configurer la validation en deux étapes de votre compte, ouvrez ce lien :',
        link,
        when('expiresAt', (t) => `Le lien ne sert qu’une fois et expire le ${t}.`),
      ],
    },
  },
  access_key_created: {
    en: {
      subject: 'A new access key was created',
      lines: [
        'Hello,',
        (v) => (v.fact('keyId') ? `A new access key (${v.fact('keyId')}) was created for your account.` : 'A new access key was created for your account.'),
        'If you did not expect it, please contact the helpdesk right away.',
      ],
    },
    fr: {
      subject: 'Une nouvelle clé d’accès a été créée',
      lines: [
        'Bonjour,',
        (v) => (v.fact('keyId') ? `Une nouvelle clé d’accès (${v.fact('keyId')}) a été créée pour votre compte.` : 'Une nouvelle clé d’accès a été créée pour votre compte.'),
        'Si vous ne l’attendiez pas, contactez le support au plus vite.',
      ],
    },
  },
};

const SIGNATURE: Record<Locale, string> = { en: '— keydesk', fr: '— keydesk' };
const AUTOMATED: Record<Locale, string> = {
  en: 'This message was sent automatically; please do not reply.',
  fr: 'Ce message a été envoyé automatiquement ; merci de ne pas y répondre.',
};

function formatTime(ms: number, locale: Locale): string {
  const text = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(ms));
  return `${text} UTC`;
}

function isTimeFact(name: string): boolean {
  return name === 'at' || /(At|Until)$/.test(name);
}

/** Renders one email. Throws when a kind that carries a secret has none, or vice versa. */
export function renderEmail(kind: EmailKind, locale: Locale, input: RenderInput): RenderedEmail {
  const template = TEMPLATES[kind][locale];
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
    .map((line): Block | undefined => {
      const out = typeof line === 'string' ? line : line(view);
      return typeof out === 'string' ? { kind: 'text', text: out } : out;
    })
    .filter((b): b is Block => b !== undefined && (b.kind === 'link' ? b.href : b.text) !== '');
  const body = blocks.map((b) => (b.kind === 'link' ? b.href : b.text));
  const subject = `keydesk: ${template.subject}`;
  return {
    subject,
    text: `${body.join('\n\n')}\n\n${SIGNATURE[locale]}\n${AUTOMATED[locale]}\n`,
    html: renderHtmlEmail({ lang: locale, title: subject, blocks, footer: [SIGNATURE[locale], AUTOMATED[locale]], publicUrl: view.publicUrl }),
  };
}
