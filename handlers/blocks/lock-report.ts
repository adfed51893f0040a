// "Report" on a lock notice: what the helpdesk card says (the ticket's detail), and the
// answer the user sees.
import type { Locale } from '../../src/core/types.js';
import { fallback, pick, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';

/** The card's detail line (plain text: the card escapes it). Times in UTC, the channel's zone. */
export function lockReportDetail(input: { lockedUntil: number | null; failedFrom: readonly string[] }): string {
  const lock = input.lockedUntil === null ? 'a lock of their account' : `the lock of their account until ${formatDateTime(input.lockedUntil, 'UTC', 'en')} UTC`;
  let text = `The owner reports that ${lock} was not them: someone else may be trying their password.`;
  if (input.failedFrom.length > 0) text += ` Recent failed attempts came from ${input.failedFrom.join(', ')}.`;
  return text;
}

export function lockReportAnswer(input: { created: boolean; locale: Locale }): SlackMessage {
  const { locale } = input;
  const text = input.created
    ? pick(
        locale,
        ':rotating_light: Thanks for telling us. The helpdesk has your report and will look into who tried to sign in. You don’t need to do anything else; never share your password with anyone, including us.',
        ':rotating_light: Merci de nous avoir prévenus. Le support a votre signalement et va chercher qui a tenté de se connecter. Vous n’avez rien d’autre à faire ; ne communiquez jamais votre mot de passe, pas même à nous.',
      )
    : pick(
        locale,
        ':rotating_light: Thanks: I’ve added this to the ticket the helpdesk already has open about your sign-in.',
        ':rotating_light: Merci : je l’ai ajouté au ticket que le support a déjà ouvert sur votre connexion.',
      );
  return { text: fallback(text), blocks: [section(text)] };
}

/** A further report on a ticket already open about the account: one line in its thread. */
export function lockReportThreadLine(detail: string): SlackMessage {
  const text = `:rotating_light: ${userText(detail, 2000)}`;
  return { text: fallback(text), blocks: [section(text)] };
}
