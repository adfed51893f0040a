// `/password`: a modal with two choices and no input at all — Block Kit has no masked
// field, so no password, PIN or answer is ever typed into Slack. "Change my password"
// DMs a single-use link to the change page (which asks the current password and the PIN);
// "I forgot my password" emails a reset link and Slack only says where it went.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { actions, button, context, modal, pick, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen } from './format-time.js';

export function passwordModal(locale: Locale): ModalView {
  return modal({
    callbackId: VIEWS.password,
    title: pick(locale, 'Password', 'Mot de passe'),
    close: pick(locale, 'Close', 'Fermer'),
    blocks: [
      section(pick(locale, 'What do you need?', 'De quoi avez-vous besoin ?')),
      actions(BLOCKS.passwordChoices, [
        button({ actionId: ACTIONS.passwordChange, text: pick(locale, 'Change my password', 'Changer mon mot de passe'), value: 'change', style: 'primary' }),
        button({ actionId: ACTIONS.passwordForgot, text: pick(locale, 'I forgot my password', 'J’ai oublié mon mot de passe'), value: 'forgot' }),
      ]),
      context([
        pick(
          locale,
          ':lock: Never type a password, PIN or security answer in Slack. You set them on keydesk’s own pages.',
          ':lock: Ne tapez jamais de mot de passe, de code PIN ou de réponse secrète dans Slack. Vous les saisissez sur les pages de keydesk.',
        ),
      ]),
    ],
  });
}

export type PasswordChoiceOutcome = { sent: 'dm' } | { sent: 'email'; maskedEmail: string } | { refused: string };

/** The modal once a choice is made (views.update): what happened, in a sentence. */
export function passwordModalDone(locale: Locale, outcome: PasswordChoiceOutcome): ModalView {
  const text = passwordOutcomeText(locale, outcome);
  return modal({
    callbackId: VIEWS.password,
    title: pick(locale, 'Password', 'Mot de passe'),
    close: pick(locale, 'Done', 'Terminé'),
    blocks: [section(text)],
  });
}

/**
 * The modal while a choice is being carried out. Moving the modal here first (with the
 * hash Slack gave) is what makes a double click act once: the second click's hash is stale.
 */
export function passwordModalWorking(locale: Locale): ModalView {
  return modal({
    callbackId: VIEWS.password,
    title: pick(locale, 'Password', 'Mot de passe'),
    close: pick(locale, 'Close', 'Fermer'),
    blocks: [section(pick(locale, ':hourglass_flowing_sand: One moment…', ':hourglass_flowing_sand: Un instant…'))],
  });
}

/** The outcome in a sentence (mrkdwn, user parts escaped), for the modal or an ephemeral reply. */
export function passwordOutcomeText(locale: Locale, outcome: PasswordChoiceOutcome): string {
  if ('refused' in outcome) return `:no_entry_sign: ${userText(outcome.refused)}`;
  return outcome.sent === 'dm' ? changeLinkSentText(locale) : resetEmailedText(outcome.maskedEmail, locale);
}

/** What Slack says after "I forgot": only the masked address the link went to. */
export function resetEmailedText(maskedEmail: string, locale: Locale): string {
  const to = userText(maskedEmail, 300);
  return pick(
    locale,
    `:email: We emailed ${to} a link to reset your password. Open it on this device; it will ask your security question.`,
    `:email: Nous avons envoyé à ${to} un lien pour réinitialiser votre mot de passe. Ouvrez-le ; il vous posera votre question de sécurité.`,
  );
}

/** Where the change link went, for the modal ("check your DMs"). */
export function changeLinkSentText(locale: Locale): string {
  return pick(locale, ':incoming_envelope: I sent you a direct message with your link.', ':incoming_envelope: Je vous ai envoyé le lien en message direct.');
}

const SAFE_LINK = /^https?:\/\/[^\s<>|]+$/;

/**
 * The DM to the link's owner — the one link Slack may carry, as the page it opens also
 * asks the current password and the PIN.
 */
export function changeLinkMessage(input: { link: string; expiresAt: number; now: number; tz: string; locale: Locale }): SlackMessage {
  if (!SAFE_LINK.test(input.link)) throw new Error('change link is not a plain http(s) URL');
  const { locale } = input;
  const until = formatWhen(input.expiresAt, input.now, input.tz, locale);
  const text = pick(
    locale,
    `:key: <${input.link}|Change your password>. The link works once, until ${until}; the page asks your current password and your PIN. Didn’t ask for it? Ignore it.`,
    `:key: <${input.link}|Changer votre mot de passe>. Le lien ne sert qu’une fois, jusqu’à ${until} ; la page demande votre mot de passe actuel et votre code PIN. Vous n’avez rien demandé ? Ignorez-le.`,
  );
  return {
    text: pick(locale, 'Your link to change your password', 'Votre lien pour changer de mot de passe'),
    blocks: [section(text)],
  };
}
