// What someone sees when keydesk failed to handle their request (a bug, the store down):
// not silence, but a sentence and a short reference the helpdesk can find in the logs.
import type { Locale } from '../../src/core/types.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { say } from './words.js';

export function failureMessage(reference: string, locale: Locale): SlackMessage {
  const text = say(locale, 'failureNotice.sorrySomethingWentWrong', { reference });
  return { text: fallback(text), blocks: [section(text)] };
}
