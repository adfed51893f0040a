// Short answers of the helpdesk flows: "your account isn't locked", what an admin's
// confirmed action did ("Unlocked Casey", "we emailed c***@example.com"), and the answer
// to "Resend activation email". Names and addresses are user text, so escaped here.
import type { Locale, ResetPolicy } from '../../src/core/types.js';
import type { AdminAction } from './confirm-admin-action.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { disabledWhy } from './login-help.js';
import { say } from './words.js';

const one = (text: string): SlackMessage => ({ text: fallback(text), blocks: [section(text)] });

/** `/unlock` from someone whose account is not locked: nothing to ask for. */
export function notLockedMessage(locale: Locale): SlackMessage {
  return one(
    say(locale, 'helpdeskAnswers.yourAccountIsntLocked'),
  );
}

/** An admin asked to unlock someone who is not locked. */
export function targetNotLockedMessage(name: string, locale: Locale): SlackMessage {
  const who = `*${userText(name, 200)}*`;
  return one(say(locale, 'helpdeskAnswers.isntLockedNothingTo', { who }));
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
          ? say(locale, 'helpdeskAnswers.wasNoLongerLocked', { who })
          : say(locale, 'helpdeskAnswers.unlockedTheyCanSign', { who }),
      );
    case 'reset_password':
      return one(
        input.policy === 'admin-set'
          ? say(locale, 'helpdeskAnswers.passwordResetLinkToYou', { who, to })
          : input.policy === 'random'
            ? say(locale, 'helpdeskAnswers.passwordResetTemporary', { who, to })
            : say(locale, 'helpdeskAnswers.passwordResetLink', { who, to }),
      );
    case 'disable':
      return one(say(locale, 'helpdeskAnswers.disabled', { who, why: disabledWhy(input.reason ?? null, locale) }));
    case 'enable':
      return one(say(locale, 'helpdeskAnswers.enabledAgain', { who }));
    default:
      return one(say(locale, 'helpdeskAnswers.doneFor', { who }));
  }
}

/** "Resend activation email": where the new link went, masked. */
export function activationResentMessage(maskedEmail: string, locale: Locale): SlackMessage {
  const to = userText(maskedEmail, 320);
  return one(
    say(locale, 'helpdeskAnswers.weEmailedANew', { to }),
  );
}

/** The confirm modal could not be opened (Slack's trigger expired or failed): nothing was done. */
export function confirmFailedMessage(locale: Locale): SlackMessage {
  return one(
    say(locale, 'helpdeskAnswers.iCouldntOpenThe'),
  );
}
