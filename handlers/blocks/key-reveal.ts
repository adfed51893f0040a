// Access keys in Slack: the owner's DM with a "Reveal once" button, and the modal that
// shows the key the one time it exists in clear (generated at that click; keydesk keeps
// only its hash). The admin who issued it never sees it.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { actions, button, context, fallback, modal, pick, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen } from './format-time.js';

const KEY_ID = /^[0-9a-f]{24}$/;
const ACCESS_KEY = /^kd_[0-9a-f]{24}_[0-9A-Za-z]{43}$/;

/** The DM to the key's owner: the key is waiting; pressing the button makes and shows it. */
export function keyRevealMessage(input: { keyId: string; locale: Locale }): SlackMessage {
  if (!KEY_ID.test(input.keyId)) throw new Error('not an access key id');
  const { locale } = input;
  const text = pick(
    locale,
    `:key: You have a new access key (\`${input.keyId}\`). Press *Reveal once* when you are ready to store it: it is shown a single time.`,
    `:key: Vous avez une nouvelle clé d’accès (\`${input.keyId}\`). Appuyez sur *Afficher une fois* quand vous êtes prêt à la ranger : elle ne s’affiche qu’une seule fois.`,
  );
  return {
    text: fallback(pick(locale, 'You have a new access key', 'Vous avez une nouvelle clé d’accès')),
    blocks: [
      section(text),
      actions(BLOCKS.keyRevealActions, [button({ actionId: ACTIONS.revealKey, text: pick(locale, 'Reveal once', 'Afficher une fois'), value: input.keyId, style: 'primary' })]),
    ],
  };
}

/** The DM after the reveal (chat.update): the button is gone. */
export function keyRevealedMessage(input: { keyId: string; at: number; now: number; tz: string; locale: Locale }): SlackMessage {
  const { locale } = input;
  const at = formatWhen(input.at, input.now, input.tz, locale);
  const text = pick(
    locale,
    `:key: Access key \`${userText(input.keyId, 24)}\` was revealed at ${at}. If you lost it, ask for a new key with \`/access-key\`.`,
    `:key: La clé d’accès \`${userText(input.keyId, 24)}\` a été affichée à ${at}. Si vous l’avez perdue, demandez-en une nouvelle avec \`/access-key\`.`,
  );
  return { text: fallback(text), blocks: [section(text)] };
}

/** The modal with the key, once. */
export function keyRevealModal(input: { accessKey: string; locale: Locale }): ModalView {
  if (!ACCESS_KEY.test(input.accessKey)) throw new Error('not an access key');
  const { locale } = input;
  return modal({
    callbackId: VIEWS.keyReveal,
    title: pick(locale, 'Your access key', 'Votre clé d’accès'),
    close: pick(locale, 'I stored it', 'Je l’ai rangée'),
    blocks: [
      section(
        pick(
          locale,
          ':warning: *Copy this key now and store it in a password manager.* It will not be shown again: keydesk keeps only a hash of it.',
          ':warning: *Copiez cette clé maintenant et rangez-la dans un gestionnaire de mots de passe.* Elle ne sera plus affichée : keydesk n’en garde qu’une empreinte.',
        ),
      ),
      section(`\`\`\`${input.accessKey}\`\`\``, { blockId: BLOCKS.keyValue }),
      context([
        pick(
          locale,
          'Send it as `Authorization: Bearer &lt;key&gt;`. Never paste it in a chat or an email.',
          'Envoyez-la comme `Authorization: Bearer &lt;clé&gt;`. Ne la collez jamais dans une discussion ou un e-mail.',
        ),
      ]),
    ],
  });
}

/** The modal for a refused reveal (already revealed, revoked): the core's message, escaped. */
export function keyRevealRefusedModal(input: { message: string; locale: Locale }): ModalView {
  return modal({
    callbackId: VIEWS.keyReveal,
    title: pick(input.locale, 'Access key', 'Clé d’accès'),
    close: pick(input.locale, 'Close', 'Fermer'),
    blocks: [section(`:no_entry_sign: ${userText(input.message)}`)],
  });
}
