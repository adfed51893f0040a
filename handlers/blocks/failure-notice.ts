// What someone sees when keydesk failed to handle their request (a bug, the store down):
// not silence, but a sentence and a short reference the helpdesk can find in the logs.
import type { Locale } from '../../src/core/types.js';
import { fallback, pick, section, type SlackMessage } from './elements.js';

export function failureMessage(reference: string, locale: Locale): SlackMessage {
  const text = pick(
    locale,
    `:warning: Sorry, something went wrong on our side and your request was not completed. Please try again in a moment; if it keeps happening, tell the helpdesk and give them this reference: \`${reference}\`.`,
    `:warning: Désolé, un problème est survenu de notre côté et votre demande n’a pas abouti. Réessayez dans un instant ; si cela se reproduit, prévenez le support en donnant cette référence : \`${reference}\`.`,
  );
  return { text: fallback(text), blocks: [section(text)] };
}
