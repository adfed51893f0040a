// A message shown in a modal: the answer to a button pressed where there is no message to
// reply under (the Home tab) or inside another modal.
import type { Locale } from '../../src/core/types.js';
import { VIEWS } from '../ids.js';
import { modal, type ModalView, type SlackMessage } from './elements.js';
import { say } from './words.js';

export function messageModal(input: { title: string; message: SlackMessage; locale: Locale }): ModalView {
  return modal({
    callbackId: VIEWS.notice,
    title: input.title,
    close: say(input.locale, 'answerModal.close'),
    blocks: input.message.blocks,
  });
}

/** Modal titles of the self-service answers (≤ 24 characters). */
export function answerTitle(kind: 'login_help' | 'request' | 'keydesk', locale: Locale): string {
  switch (kind) {
    case 'login_help':
      return say(locale, 'answerModal.loginHelp');
    case 'request':
      return say(locale, 'answerModal.yourRequest');
    case 'keydesk':
      return 'keydesk';
  }
}
