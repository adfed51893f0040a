// A message shown in a modal: the answer to a button pressed where there is no message to
// reply under (the Home tab) or inside another modal.
import type { Locale } from '../../src/core/types.js';
import { VIEWS } from '../ids.js';
import { modal, pick, type ModalView, type SlackMessage } from './elements.js';

export function messageModal(input: { title: string; message: SlackMessage; locale: Locale }): ModalView {
  return modal({
    callbackId: VIEWS.notice,
    title: input.title,
    close: pick(input.locale, 'Close', 'Fermer'),
    blocks: input.message.blocks,
  });
}

/** Modal titles of the self-service answers (≤ 24 characters). */
export function answerTitle(kind: 'login_help' | 'request' | 'keydesk', locale: Locale): string {
  switch (kind) {
    case 'login_help':
      return pick(locale, 'Login help', 'Aide à la connexion');
    case 'request':
      return pick(locale, 'Your request', 'Votre demande');
    case 'keydesk':
      return 'keydesk';
  }
}
