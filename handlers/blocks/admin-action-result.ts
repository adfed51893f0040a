// What an admin's direct action says afterwards: to the admin (done, and whether the
// person was told), and to the person it was done to (a DM, so a rogue action is seen).
import { maskEmail } from '../../src/core/identity.js';
import type { Locale } from '../../src/core/types.js';
import type { AccountRow } from '../../src/store/schema.js';
import { fallback, pick, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';

export type DirectAction = 'clear_mfa' | 'issue_access_key';

/** To the admin, once the action is done. `told`: whether the person got a DM. */
export function adminActionDoneMessage(input: { action: DirectAction; target: Pick<AccountRow, 'display_name' | 'email'>; told: boolean; locale: Locale }): SlackMessage {
  const { locale } = input;
  const who = `*${userText(input.target.display_name, 200)}* (${userText(maskEmail(input.target.email), 200)})`;
  let text: string;
  if (input.action === 'clear_mfa') {
    text = pick(
      locale,
      `:white_check_mark: Cleared the MFA device of ${who}. They got an email with a link to enrol a new one.`,
      `:white_check_mark: Appareil MFA de ${who} réinitialisé. La personne a reçu un e-mail avec un lien pour en enregistrer un nouveau.`,
    );
  } else {
    text = input.told
      ? pick(
          locale,
          `:white_check_mark: Issued an access key for ${who}. I sent them a “Reveal once” button; only they can see the key.`,
          `:white_check_mark: Clé d’accès émise pour ${who}. Je lui ai envoyé un bouton « Afficher une fois » ; elle seule peut voir la clé.`,
        )
      : pick(
          locale,
          `:warning: Issued an access key for ${who}, but I could not message them in Slack: ask them to open a DM with keydesk.`,
          `:warning: Clé d’accès émise pour ${who}, mais je n’ai pas pu lui écrire dans Slack : demandez-lui d’ouvrir une conversation avec keydesk.`,
        );
  }
  return { text: fallback(text), blocks: [section(text)] };
}

/** To the person whose MFA an admin cleared. */
export function mfaClearedNoticeMessage(input: { byName: string; locale: Locale }): SlackMessage {
  const by = userText(input.byName, 200);
  const text = pick(
    input.locale,
    `:iphone: *${by}* cleared the MFA device on your keydesk account. We emailed you a link to enrol a new one; its page asks your password and your security answer. Not expected? Tell the helpdesk at once.`,
    `:iphone: *${by}* a réinitialisé l’appareil MFA de votre compte keydesk. Nous vous avons envoyé par e-mail un lien pour en enregistrer un nouveau ; la page demande votre mot de passe et votre réponse secrète. Inattendu ? Prévenez le support tout de suite.`,
  );
  return { text: fallback(text), blocks: [section(text)] };
}

/** When Slack itself failed us (a DM or a modal that would not open). */
export function slackTroubleText(locale: Locale): string {
  return pick(
    locale,
    'Slack would not let me send that just now. Please try again in a minute.',
    'Slack ne m’a pas laissé l’envoyer pour l’instant. Réessayez dans une minute.',
  );
}
