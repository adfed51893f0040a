// Short usage answers: for a bad or unknown argument ("/unlock @nobody",
// "/helpdesk frobnicate", a 5,000-character argument) and for `/helpdesk help`.
import type { Locale } from '../../src/core/types.js';
import { context, fallback, section, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { say } from './words.js';

export const SLASH_COMMANDS = ['/password', '/email', '/unlock', '/mfa-reset', '/access-key', '/login-help', '/helpdesk'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

/** The catalogue's name for each command (`slack.usage.command.<name>`). */
const COMMAND_WORDS = {
  '/password': 'password',
  '/email': 'email',
  '/unlock': 'unlock',
  '/mfa-reset': 'mfaReset',
  '/access-key': 'accessKey',
  '/login-help': 'loginHelp',
  '/helpdesk': 'helpdesk',
} as const satisfies Record<SlashCommand, string>;

/** The helpdesk subcommands, in the order `/helpdesk help` lists them. */
const HELPDESK_SUBCOMMANDS = ['locked', 'user', 'reset', 'disable', 'enable', 'email', 'audit', 'tickets', 'help'] as const;

/** The usage lines of a command (for `/helpdesk`, every subcommand). */
export function usageText(command: SlashCommand, locale: Locale): string {
  if (command === '/helpdesk') return HELPDESK_SUBCOMMANDS.map((sub) => say(locale, `usage.helpdesk.${sub}`)).join('\n');
  return say(locale, `usage.command.${COMMAND_WORDS[command]}`);
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
    const shown = got || say(locale, problem.what === 'no_such_user' ? 'usage.thatUser' : 'usage.that');
    intro = say(locale, `usage.problem.${problem.what}`, { got: shown });
    blocks.push(section(intro));
  }
  const usage = usageText(command, locale);
  blocks.push(section(`${say(locale, 'usage.usage')}\n${usage}`));
  return { text: fallback(intro || usage), blocks };
}

/** `/helpdesk help`: every command, the user's and the helpdesk's. */
export function helpMessage(locale: Locale): SlackMessage {
  const mine = SLASH_COMMANDS.filter((c) => c !== '/helpdesk').map((c) => say(locale, `usage.command.${COMMAND_WORDS[c]}`));
  return {
    text: say(locale, 'usage.keydeskCommands'),
    blocks: [
      section(`${say(locale, 'usage.forEveryone')}\n${mine.join('\n')}`),
      section(`${say(locale, 'usage.forTheHelpdesk')}\n${usageText('/helpdesk', locale)}`),
      context([say(locale, 'usage.rolesComeFromKeydesk')]),
    ],
  };
}
