// Short answers: a refusal or a confirmation in a sentence (ephemeral or in a modal), and
// the polite answer to someone with no keydesk account.
import type { Locale } from '../../src/core/types.js';
import { VIEWS } from '../ids.js';
import { fallback, modal, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { say } from './words.js';

/** A sentence as a message; the text is escaped (a refusal may carry a name). */
export function noticeMessage(text: string, emoji = ''): SlackMessage {
  const body = `${emoji ? `${emoji} ` : ''}${userText(text)}`;
  return { text: fallback(body), blocks: [section(body)] };
}

/** The same in a modal, for answers to a button inside one. */
export function noticeModal(input: { title: string; text: string; locale: Locale }): ModalView {
  return modal({
    callbackId: VIEWS.notice,
    title: input.title,
    close: say(input.locale, 'notice.close'),
    blocks: [section(userText(input.text))],
  });
}

/** Someone whose Slack user matches no account: what to do next (a no_account ticket is open). */
export function noAccountMessage(locale: Locale): SlackMessage {
  const text = say(locale, 'notice.iCouldntFindA');
  return { text: fallback(text), blocks: [section(text)] };
}
