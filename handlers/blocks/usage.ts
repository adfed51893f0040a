// Short usage answers: for a bad or unknown argument ("/unlock @nobody",
// "/helpdesk frobnicate", a 5,000-character argument) and for `/helpdesk help`.
import type { Locale } from '../../src/core/types.js';
import { context, fallback, section, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { say } from './words.js';

export const SLASH_COMMANDS = ['/password', '/unlock', '/mfa-reset', '/access-key', '/login-help', '/helpdesk'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

type Lines = { en: string; fr: string };

const USAGE: Record<SlashCommand, Lines> = {
  '/password': {
    en: '`/password` — change your password, or get a reset link if you forgot it. You never type a password in Slack.',
    fr: '`/password` — changer votre mot de passe, ou recevoir un lien de réinitialisation si vous l’avez oublié. Vous ne tapez jamais de mot de passe dans Slack.',
  },
  '/unlock': {
    en: '`/unlock` — ask the helpdesk to unlock your account.\n`/unlock @user` — (admins) unlock someone now.',
    fr: '`/unlock` — demander au support de déverrouiller votre compte.\n`/unlock @utilisateur` — (administrateurs) déverrouiller quelqu’un tout de suite.',
  },
  '/mfa-reset': {
    en: '`/mfa-reset` — lost your authenticator? Ask for an MFA reset.\n`/mfa-reset @user` — (admins) clear someone’s MFA now.',
    fr: '`/mfa-reset` — appareil d’authentification perdu ? Demandez une réinitialisation MFA.\n`/mfa-reset @utilisateur` — (administrateurs) réinitialiser la MFA de quelqu’un tout de suite.',
  },
  '/access-key': {
    en: '`/access-key` — ask for a new access key.\n`/access-key @user` — (admins) issue a key for someone; only they can reveal it.',
    fr: '`/access-key` — demander une nouvelle clé d’accès.\n`/access-key @utilisateur` — (administrateurs) émettre une clé pour quelqu’un ; seule cette personne pourra l’afficher.',
  },
  '/login-help': {
    en: '`/login-help` — find out why you can’t sign in, and what to do.',
    fr: '`/login-help` — savoir pourquoi vous ne pouvez pas vous connecter, et que faire.',
  },
  '/helpdesk': {
    en: '`/helpdesk help` — what the helpdesk commands do.',
    fr: '`/helpdesk help` — ce que font les commandes du support.',
  },
};

const HELPDESK_LINES: { en: string; fr: string }[] = [
  { en: '`/helpdesk locked` — locked accounts, with an Unlock button each', fr: '`/helpdesk locked` — comptes verrouillés, avec un bouton Déverrouiller pour chacun' },
  { en: '`/helpdesk user @user` — someone’s account status', fr: '`/helpdesk user @utilisateur` — l’état du compte de quelqu’un' },
  { en: '`/helpdesk reset @user` — (admins) reset a password, by email', fr: '`/helpdesk reset @utilisateur` — (administrateurs) réinitialiser un mot de passe, par e-mail' },
  {
    en: '`/helpdesk disable @user &lt;reason&gt; [note]` — (admins) reason: admin, payment, email_conflict, validation, too_many_failures',
    fr: '`/helpdesk disable @utilisateur &lt;motif&gt; [note]` — (administrateurs) motif : admin, payment, email_conflict, validation, too_many_failures',
  },
  { en: '`/helpdesk enable @user` — (admins) enable an account again', fr: '`/helpdesk enable @utilisateur` — (administrateurs) réactiver un compte' },
  { en: '`/helpdesk tickets` — open tickets', fr: '`/helpdesk tickets` — tickets ouverts' },
  { en: '`/helpdesk help` — this list', fr: '`/helpdesk help` — cette liste' },
];

/** The usage lines of a command (for `/helpdesk`, every subcommand). */
export function usageText(command: SlashCommand, locale: Locale): string {
  if (command === '/helpdesk') return HELPDESK_LINES.map((l) => l[locale]).join('\n');
  return USAGE[command][locale];
}

/**
 * A usage answer. `problem` says what was wrong with what they typed; `got` is what they
 * typed (user text: escaped and cut to a line).
 */
export function usageMessage(command: SlashCommand, locale: Locale, problem?: { what: 'unknown' | 'bad_argument' | 'too_long' | 'no_such_user'; got?: string }): SlackMessage {
  const blocks: KnownBlock[] = [];
  let intro = '';
  if (problem) {
    const got = problem.got ? `“${userText(problem.got.replace(/\s+/g, ' '), 60)}”` : '';
    const words: Record<typeof problem.what, Lines> = {
      unknown: { en: `:thinking_face: I don’t know ${got || 'that'}.`, fr: `:thinking_face: Je ne connais pas ${got || 'cela'}.` },
      bad_argument: { en: `:thinking_face: I can’t read ${got || 'that'}.`, fr: `:thinking_face: Je ne comprends pas ${got || 'cela'}.` },
      too_long: { en: ':thinking_face: That is too long for this command.', fr: ':thinking_face: C’est trop long pour cette commande.' },
      no_such_user: {
        en: `:thinking_face: No keydesk account matches ${got || 'that user'}.`,
        fr: `:thinking_face: Aucun compte keydesk ne correspond à ${got || 'cet utilisateur'}.`,
      },
    };
    intro = words[problem.what][locale];
    blocks.push(section(intro));
  }
  const usage = usageText(command, locale);
  blocks.push(section(`${say(locale, 'usage.usage')}\n${usage}`));
  return { text: fallback(intro || usage), blocks };
}

/** `/helpdesk help`: every command, the user's and the helpdesk's. */
export function helpMessage(locale: Locale): SlackMessage {
  const mine = SLASH_COMMANDS.filter((c) => c !== '/helpdesk').map((c) => USAGE[c][locale]);
  return {
    text: say(locale, 'usage.keydeskCommands'),
    blocks: [
      section(`${say(locale, 'usage.forEveryone')}\n${mine.join('\n')}`),
      section(`${say(locale, 'usage.forTheHelpdesk')}\n${usageText('/helpdesk', locale)}`),
      context([say(locale, 'usage.rolesComeFromKeydesk')]),
    ],
  };
}
