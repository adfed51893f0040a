// Access keys in Slack: the owner's DM with a "Reveal once" button, and the modal that
// shows the key the one time it exists in clear (generated at that click; keydesk keeps
// only its hash). The admin who issued it never sees it.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { actions, button, context, fallback, modal, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen } from './format-time.js';
import { say } from './words.js';

const KEY_ID = /^[0-9a-f]{24}$/;
const ACCESS_KEY = /^kd_[0-9a-f]{24}_[0-9A-Za-z]{43}$/;

/** The DM to the key's owner: the key is waiting; pressing the button makes and shows it. */
export function keyRevealMessage(input: { keyId: string; locale: Locale }): SlackMessage {
  if (!KEY_ID.test(input.keyId)) throw new Error('not an access key id');
  const { locale } = input;
  const text = say(locale, 'keyReveal.youHaveANewKeyPress', { keyId: input.keyId });
  return {
    text: fallback(say(locale, 'keyReveal.youHaveANewKey')),
    blocks: [
      section(text),
      actions(BLOCKS.keyRevealActions, [button({ actionId: ACTIONS.revealKey, text: say(locale, 'keyReveal.revealOnce'), value: input.keyId, style: 'primary' })]),
    ],
  };
}

/** The DM after the reveal (chat.update): the button is gone. */
export function keyRevealedMessage(input: { keyId: string; at: number; now: number; tz: string; locale: Locale }): SlackMessage {
  const { locale } = input;
  const at = formatWhen(input.at, input.now, input.tz, locale);
  const text = say(locale, 'keyReveal.accessKeyWasRevealed', { keyId: userText(input.keyId, 24), at });
  return { text: fallback(text), blocks: [section(text)] };
}

/** The modal with the key, once. */
export function keyRevealModal(input: { accessKey: string; locale: Locale }): ModalView {
  if (!ACCESS_KEY.test(input.accessKey)) throw new Error('not an access key');
  const { locale } = input;
  return modal({
    callbackId: VIEWS.keyReveal,
    title: say(locale, 'keyReveal.yourAccessKey'),
    close: say(locale, 'keyReveal.iStoredIt'),
    blocks: [
      section(say(locale, 'keyReveal.copyThisKeyNow')),
      section(`\`\`\`${input.accessKey}\`\`\``, { blockId: BLOCKS.keyValue }),
      context([
        say(locale, 'keyReveal.sendItAsAuthorization'),
      ]),
    ],
  });
}

/** The modal for a refused reveal (already revealed, revoked): the core's message, escaped. */
export function keyRevealRefusedModal(input: { message: string; locale: Locale }): ModalView {
  return modal({
    callbackId: VIEWS.keyReveal,
    title: say(input.locale, 'keyReveal.accessKey'),
    close: say(input.locale, 'keyReveal.close'),
    blocks: [section(`:no_entry_sign: ${userText(input.message)}`)],
  });
}
