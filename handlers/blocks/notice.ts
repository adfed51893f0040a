// Short answers: a refusal or a confirmation in a sentence (ephemeral or in a modal), and
// the polite answer to someone with no keydesk account.
import type { Locale } from '../../src/core/types.js';
import { VIEWS } from '../ids.js';
import { fallback, modal, pick, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';

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
    close: pick(input.locale, 'Close', 'Fermer'),
    blocks: [section(userText(input.text))],
  });
}

/** Someone whose Slack user matches no account: what to do next (a no_account ticket is open). */
export function noAccountMessage(locale: Locale): SlackMessage {
  const text = pick(
    locale,
    ':wave: I couldn’t find a keydesk account for your Slack profile. I’ve let the helpdesk know; they’ll link your account or create one and get back to you. If you have an account under another email, tell them which.',
    ':wave: Je n’ai pas trouvé de compte keydesk pour votre profil Slack. J’ai prévenu le support ; il reliera votre compte ou en créera un et reviendra vers vous. Si vous avez un compte sous une autre adresse, indiquez-la-lui.',
  );
  return { text: fallback(text), blocks: [section(text)] };
}
