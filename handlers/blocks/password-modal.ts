// `/password`: a modal with two choices and no input at all — Block Kit has no masked
// field, so no password, PIN or answer is ever typed into Slack. "Change my password"
// DMs a single-use link to the change page (which asks the current password and the PIN);
// "I forgot my password" emails a reset link and Slack only says where it went.
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { actions, button, context, modal, section, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen } from './format-time.js';
import { say } from './words.js';

export function passwordModal(locale: Locale): ModalView {
  return modal({
    callbackId: VIEWS.password,
    title: say(locale, 'passwordModal.password'),
    close: say(locale, 'passwordModal.close'),
    blocks: [
      section(say(locale, 'passwordModal.whatDoYouNeed')),
      actions(BLOCKS.passwordChoices, [
        button({ actionId: ACTIONS.passwordChange, text: say(locale, 'passwordModal.changeMyPassword'), value: 'change', style: 'primary' }),
        button({ actionId: ACTIONS.passwordForgot, text: say(locale, 'passwordModal.iForgotMyPassword'), value: 'forgot' }),
      ]),
      // Neither the answer nor the PIN: a person verifies them (a manual_verification ticket).
      actions(BLOCKS.passwordCantAnswer, [button({ actionId: ACTIONS.cantAnswer, text: say(locale, 'passwordModal.cantAnswer'), value: 'cant_answer' })]),
      context([
        say(locale, 'passwordModal.neverTypeAPassword'),
      ]),
    ],
  });
}

/** Where the "My account" link opens: its password section, or (for /email) its email section. */
export type AccountSection = 'password' | 'email';

export type PasswordChoiceOutcome = { sent: 'dm'; section: AccountSection } | { sent: 'email'; maskedEmail: string } | { refused: string };

/** The modal once a choice is made (views.update): what happened, in a sentence. */
export function passwordModalDone(locale: Locale, outcome: PasswordChoiceOutcome): ModalView {
  const text = passwordOutcomeText(locale, outcome);
  return modal({
    callbackId: VIEWS.password,
    title: say(locale, 'passwordModal.password'),
    close: say(locale, 'passwordModal.done'),
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
    title: say(locale, 'passwordModal.password'),
    close: say(locale, 'passwordModal.close'),
    blocks: [section(say(locale, 'passwordModal.oneMoment'))],
  });
}

/** The outcome in a sentence (mrkdwn, user parts escaped), for the modal or an ephemeral reply. */
export function passwordOutcomeText(locale: Locale, outcome: PasswordChoiceOutcome): string {
  if ('refused' in outcome) return `:no_entry_sign: ${userText(outcome.refused)}`;
  if (outcome.sent === 'dm') return outcome.section === 'email' ? say(locale, 'email.linkSent') : changeLinkSentText(locale);
  return resetEmailedText(outcome.maskedEmail, locale);
}

/** What Slack says after "I forgot": only the masked address the link went to. */
export function resetEmailedText(maskedEmail: string, locale: Locale): string {
  const to = userText(maskedEmail, 300);
  return say(locale, 'passwordModal.weEmailedALink', { to });
}

/** Where the change link went, for the modal ("check your DMs"). */
export function changeLinkSentText(locale: Locale): string {
  return say(locale, 'passwordModal.iSentYouA');
}

const SAFE_LINK = /^https?:\/\/[^\s<>|]+$/;

/**
 * The DM to the link's owner — the one link Slack may carry, as the page it opens also
 * asks the current password and the PIN.
 */
export function changeLinkMessage(input: { link: string; expiresAt: number; now: number; tz: string; locale: Locale; section?: AccountSection }): SlackMessage {
  if (!SAFE_LINK.test(input.link)) throw new Error('change link is not a plain http(s) URL');
  const { locale } = input;
  const until = formatWhen(input.expiresAt, input.now, input.tz, locale);
  if (input.section === 'email') {
    // The same link, opened at the page's email section (a fragment never reaches the server).
    return {
      text: say(locale, 'email.yourLink'),
      blocks: [section(say(locale, 'email.theLinkWorksOnce', { link: `${input.link}#email`, until }))],
    };
  }
  const text = say(locale, 'passwordModal.theLinkWorksOnce', { link: input.link, until });
  return {
    text: say(locale, 'passwordModal.yourLinkToChange'),
    blocks: [section(text)],
  };
}
