// Short answers of the helpdesk flows: "your account isn't locked", what an admin's
// confirmed action did ("Unlocked Casey", "we emailed c***@example.com"), and the answer
// to "Resend activation email". Names and addresses are user text, so escaped here.
import type { Locale, ResetPolicy } from '../../src/core/types.js';
import type { AdminAction } from './confirm-admin-action.js';
import { fallback, pick, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { disabledWhy } from './login-help.js';

const one = (text: string): SlackMessage => ({ text: fallback(text), blocks: [section(text)] });

/** `/unlock` from someone whose account is not locked: nothing to ask for. */
export function notLockedMessage(locale: Locale): SlackMessage {
  return one(
    pick(
      locale,
      ':unlock: Your account isn’t locked, so there is nothing to unlock. If you still can’t sign in, `/login-help` tells you why.',
      ':unlock: Votre compte n’est pas verrouillé : il n’y a rien à déverrouiller. Si vous ne pouvez toujours pas vous connecter, `/login-help` vous dit pourquoi.',
    ),
  );
}

/** An admin asked to unlock someone who is not locked. */
export function targetNotLockedMessage(name: string, locale: Locale): SlackMessage {
  const who = `*${userText(name, 200)}*`;
  return one(pick(locale, `:unlock: ${who} isn’t locked: nothing to do.`, `:unlock: ${who} n’est pas verrouillé : rien à faire.`));
}

export interface HelpdeskActionDoneInput {
  action: AdminAction;
  targetName: string;
  locale: Locale;
  /** unlock: whether a lock was really ended (it may have ended by itself meanwhile). */
  wasLocked?: boolean;
  /** reset_password: the policy used and where the email went (already masked when it should be). */
  policy?: ResetPolicy;
  sentTo?: string;
  /** disable: the reason code. */
  reason?: string | null;
}

/** What a confirmed admin action did, told to the admin alone. */
export function helpdeskActionDoneMessage(input: HelpdeskActionDoneInput): SlackMessage {
  const { locale } = input;
  const who = `*${userText(input.targetName, 200)}*`;
  const to = userText(input.sentTo ?? '', 320);
  switch (input.action) {
    case 'unlock':
      return one(
        input.wasLocked === false
          ? pick(locale, `:unlock: ${who} was no longer locked: the lock had already ended.`, `:unlock: ${who} n’était plus verrouillé : le verrouillage avait déjà pris fin.`)
          : pick(locale, `:unlock: Unlocked ${who}. They can sign in again, and they are told.`, `:unlock: ${who} est déverrouillé. La personne peut se reconnecter, et elle en est prévenue.`),
      );
    case 'reset_password':
      return one(
        input.policy === 'admin-set'
          ? pick(locale, `:email: Password reset for ${who}: we emailed you (${to}) a single-use link to set it.`, `:email: Mot de passe de ${who} réinitialisé : nous vous avons envoyé (${to}) un lien à usage unique pour le définir.`)
          : input.policy === 'random'
            ? pick(locale, `:email: Password reset for ${who}: we emailed ${to} a temporary password, which must be changed at first sign-in.`, `:email: Mot de passe de ${who} réinitialisé : nous avons envoyé à ${to} un mot de passe temporaire, à changer à la première connexion.`)
            : pick(locale, `:email: Password reset for ${who}: we emailed ${to} a single-use link to set a new one.`, `:email: Mot de passe de ${who} réinitialisé : nous avons envoyé à ${to} un lien à usage unique pour en choisir un nouveau.`),
      );
    case 'disable':
      return one(pick(locale, `:no_entry: Disabled ${who} (${disabledWhy(input.reason ?? null, locale)}).`, `:no_entry: ${who} est désactivé (${disabledWhy(input.reason ?? null, locale)}).`));
    case 'enable':
      return one(pick(locale, `:large_green_circle: Enabled ${who} again.`, `:large_green_circle: ${who} est réactivé.`));
    default:
      return one(pick(locale, `Done for ${who}.`, `Fait pour ${who}.`));
  }
}

/** "Resend activation email": where the new link went, masked. */
export function activationResentMessage(maskedEmail: string, locale: Locale): SlackMessage {
  const to = userText(maskedEmail, 320);
  return one(
    pick(
      locale,
      `:email: We emailed ${to} a new activation link. It replaces the old one; open it to set your password.`,
      `:email: Nous avons envoyé à ${to} un nouveau lien d’activation. Il remplace l’ancien ; ouvrez-le pour choisir votre mot de passe.`,
    ),
  );
}

/** The confirm modal could not be opened (Slack's trigger expired or failed): nothing was done. */
export function confirmFailedMessage(locale: Locale): SlackMessage {
  return one(
    pick(
      locale,
      ':warning: I couldn’t open the confirmation, so nothing was done. Please try the command again.',
      ':warning: Je n’ai pas pu ouvrir la confirmation : rien n’a été fait. Réessayez la commande.',
    ),
  );
}
