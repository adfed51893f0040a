// What the requester is told in a DM: that their request reached the helpdesk (or that
// one is already waiting), and then how it was decided and what happens next.
import type { Locale, TicketKind } from '../../src/core/types.js';
import { context, fallback, pick, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime } from './format-time.js';
import { kindNoun } from './ticket-words.js';

export interface ApprovalResultInput {
  kind: TicketKind;
  status: 'approved' | 'denied' | 'expired';
  /** The deciding admin's name (not for an expiry). */
  byName?: string | null;
  locale: Locale;
}

/** What an approval leads to, told to the requester once it is done. */
const NEXT_STEP: Partial<Record<TicketKind, { en: string; fr: string }>> = {
  unlock: { en: 'Your account is unlocked: you can sign in again.', fr: 'Votre compte est déverrouillé : vous pouvez vous reconnecter.' },
  mfa_reset: {
    en: 'Your MFA device is cleared. We emailed you a link to enrol a new one.',
    fr: 'Votre appareil MFA est réinitialisé. Nous vous avons envoyé par e-mail un lien pour en enregistrer un nouveau.',
  },
  access_key: {
    en: 'Your key is ready: press “Reveal once” in the next message to see it.',
    fr: 'Votre clé est prête : appuyez sur « Afficher une fois » dans le message suivant pour la voir.',
  },
};

const ASK_AGAIN: Partial<Record<TicketKind, string>> = { unlock: '/unlock', mfa_reset: '/mfa-reset', access_key: '/access-key' };

export function approvalResultMessage(input: ApprovalResultInput): SlackMessage {
  const { locale, kind } = input;
  const noun = kindNoun(kind, locale);
  const by = input.byName ? userText(input.byName, 200) : pick(locale, 'an admin', 'un administrateur');
  const command = ASK_AGAIN[kind] ?? '/helpdesk';
  let text: string;
  switch (input.status) {
    case 'approved': {
      const next = NEXT_STEP[kind];
      text = pick(locale, `:white_check_mark: Your ${noun} was approved by ${by}.`, `:white_check_mark: Votre ${noun} a été approuvée par ${by}.`);
      if (next) text += ` ${next[locale]}`;
      break;
    }
    case 'denied':
      text = pick(
        locale,
        `:no_entry: Your ${noun} was denied by ${by}. If you think this is a mistake, reply here or ask the helpdesk.`,
        `:no_entry: Votre ${noun} a été refusée par ${by}. Si vous pensez que c’est une erreur, répondez ici ou contactez le support.`,
      );
      break;
    case 'expired':
      text = pick(
        locale,
        `:hourglass: Your ${noun} expired: nobody decided it in time. You can ask again with \`${command}\`.`,
        `:hourglass: Votre ${noun} a expiré : personne ne l’a tranchée à temps. Vous pouvez la refaire avec \`${command}\`.`,
      );
      break;
  }
  return { text: fallback(text), blocks: [section(text)] };
}

/**
 * The answer to a request: it went to the helpdesk, or (created = false) the same
 * request is already waiting since `openedAt`.
 */
export function requestReceivedMessage(input: { kind: TicketKind; created: boolean; openedAt: number; tz: string; locale: Locale; ticketId?: string }): SlackMessage {
  const { locale } = input;
  const noun = kindNoun(input.kind, locale);
  const text = input.created
    ? pick(
        locale,
        `:inbox_tray: Your ${noun} is with the helpdesk. An admin will approve or deny it; I’ll message you here when they do.`,
        `:inbox_tray: Votre ${noun} a été transmise au support. Un administrateur va l’approuver ou la refuser ; je vous préviendrai ici.`,
      )
    : pick(
        locale,
        `:hourglass_flowing_sand: You already asked: your ${noun} has been waiting since ${formatDateTime(input.openedAt, input.tz, locale)}. I’ll message you here when it is decided.`,
        `:hourglass_flowing_sand: Vous avez déjà demandé : votre ${noun} attend depuis le ${formatDateTime(input.openedAt, input.tz, locale)}. Je vous préviendrai ici dès qu’elle sera tranchée.`,
      );
  // The ticket id lets the helpdesk find the request when the person asks about it.
  const ticket = input.ticketId ? [context([`Ticket \`${userText(input.ticketId, 64)}\``])] : [];
  return { text: fallback(text), blocks: [section(text), ...ticket] };
}
