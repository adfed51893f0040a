// What an admin's direct action says afterwards: to the admin (done, and whether the
// person was told), and to the person it was done to (a DM, so a rogue action is seen).
import { maskEmail } from '../../src/core/identity.js';
import type { Locale } from '../../src/core/types.js';
import type { AccountRow } from '../../src/store/schema.js';
import { fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { say } from './words.js';

export type DirectAction = 'clear_mfa' | 'issue_access_key';

/** To the admin, once the action is done. `told`: whether the person got a DM. */
export function adminActionDoneMessage(input: { action: DirectAction; target: Pick<AccountRow, 'display_name' | 'email'>; told: boolean; locale: Locale }): SlackMessage {
  const { locale } = input;
  const who = `*${userText(input.target.display_name, 200)}* (${userText(maskEmail(input.target.email), 200)})`;
  let text: string;
  if (input.action === 'clear_mfa') {
    text = say(locale, 'adminActionResult.clearedTheMfaDevice', { who });
  } else {
    text = input.told
      ? say(locale, 'adminActionResult.issuedAnAccessKey', { who })
      : say(locale, 'adminActionResult.issuedAnAccessKeyUntold', { who });
  }
  return { text: fallback(text), blocks: [section(text)] };
}

/** To the person whose MFA an admin cleared. */
export function mfaClearedNoticeMessage(input: { byName: string; locale: Locale }): SlackMessage {
  const by = userText(input.byName, 200);
  const text = say(input.locale, 'adminActionResult.yourMfaDeviceWasCleared', { by });
  return { text: fallback(text), blocks: [section(text)] };
}

/** When Slack itself failed us (a DM or a modal that would not open). */
export function slackTroubleText(locale: Locale): string {
  return say(locale, 'adminActionResult.slackWouldNotLet');
}
