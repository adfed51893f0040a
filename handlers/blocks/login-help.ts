// `/login-help`: the real reason the caller can't sign in, which the public login form
// never tells — locked (until when, in their own time zone), disabled and why, not
// activated, must change password, MFA required but not enrolled — each with the button
// that helps; or, when nothing is wrong, the last failed attempts (time, place). When no
// button can help (fine, disabled), "Ask the helpdesk" opens a login_help ticket.
import type { AttemptLine, LoginHelpState } from '../../src/core/login-help.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, fallback, section, type Button, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTime, formatWhen, zoneName } from './format-time.js';
import { say, sayCode } from './words.js';
import type { Locale } from '../../src/core/types.js';

/** "because an administrator disabled it" — the reason in words. */
export function disabledWhy(reason: string | null, locale: Locale): string {
  return (reason ? sayCode(locale, 'loginHelp.disabledWhy', reason) : undefined) ?? say(locale, 'loginHelp.forAReasonNot');
}

export function attemptLine(attempt: AttemptLine, tz: string, locale: Locale): string {
  const place = attempt.client_address ? `\`${userText(attempt.client_address, 64)}\`` : say(locale, 'loginHelp.unknownPlace');
  const what = sayCode(locale, 'loginHelp.attempt', attempt.result) ?? userText(attempt.result, 40);
  return `• ${formatDateTime(attempt.at, tz, locale)} — ${place} — ${what}`;
}

/** "Ask the helpdesk": opens a login_help ticket, for the states no other button helps with. */
function askHelpdeskButton(state: 'fine' | 'disabled', locale: Locale): Button {
  return button({ actionId: ACTIONS.askHelpdesk, text: say(locale, 'loginHelp.askTheHelpdesk'), value: state });
}

/** The login_help ticket's detail (plain text, the helpdesk channel's words: the card escapes it). */
export function loginHelpTicketDetail(state: LoginHelpState): string {
  switch (state.reason) {
    case 'disabled':
      return `The owner asked for help from /login-help: their account is disabled (reason: ${state.disabledReason ?? 'not recorded'}).`;
    case 'fine': {
      const failed = state.attempts.filter((a) => a.result !== 'success').length;
      return `The owner asked for help from /login-help, but keydesk sees nothing wrong with the account (active, not locked; ${failed} failed attempt(s) recently).`;
    }
    default:
      return `The owner asked for help from /login-help (account state: ${state.reason}).`;
  }
}

/** The answer to "Ask the helpdesk": a new ticket, or the one already open. */
export function askHelpdeskAnswer(input: { created: boolean; locale: Locale }): SlackMessage {
  const text = say(input.locale, input.created ? 'loginHelp.askedTheHelpdesk' : 'loginHelp.alreadyWithTheHelpdesk');
  return { text: fallback(text), blocks: [section(text)] };
}

export function loginHelpMessage(state: LoginHelpState, options: { locale: Locale; tz: string; now: number }): SlackMessage {
  const { locale, tz, now } = options;
  const buttons: Button[] = [];
  const blocks: KnownBlock[] = [];
  let text: string;
  switch (state.reason) {
    case 'locked': {
      const until = `*${formatWhen(state.lockedUntil, now, tz, locale)}* (${zoneName(state.lockedUntil, tz, locale)})`;
      text = say(locale, 'loginHelp.yourAccountIsLocked', { until });
      buttons.push(button({ actionId: ACTIONS.requestUnlock, text: say(locale, 'loginHelp.requestUnlock'), value: 'login_help', style: 'primary' }));
      break;
    }
    case 'disabled':
      text = say(locale, 'loginHelp.yourAccountIsDisabled', { why: disabledWhy(state.disabledReason, locale) });
      buttons.push(askHelpdeskButton('disabled', locale));
      break;
    case 'not_activated':
      text = say(locale, 'loginHelp.yourAccountIsNot');
      buttons.push(button({ actionId: ACTIONS.resendActivation, text: say(locale, 'loginHelp.resendActivationEmail'), value: 'login_help' }));
      break;
    case 'must_change_password':
      text = say(locale, 'loginHelp.youMustChangeYour');
      buttons.push(button({ actionId: ACTIONS.passwordChange, text: say(locale, 'loginHelp.changeMyPassword'), value: 'login_help' }));
      break;
    case 'mfa_not_enrolled':
      text = say(locale, 'loginHelp.yourRoleNeedsAn');
      buttons.push(button({ actionId: ACTIONS.requestMfaReset, text: say(locale, 'loginHelp.askForAnEnrolment'), value: 'login_help' }));
      break;
    case 'fine': {
      const failed = state.attempts.filter((a) => a.result !== 'success').slice(0, 5);
      text = say(locale, 'loginHelp.yourAccountLooksFine');
      blocks.push(section(text));
      blocks.push(
        failed.length > 0
          ? section(`${say(locale, 'loginHelp.lastFailedAttempts')}\n${failed.map((a) => attemptLine(a, tz, locale)).join('\n')}`)
          : context([say(locale, 'loginHelp.noFailedAttemptRecently')]),
      );
      blocks.push(actions(BLOCKS.loginHelpActions, [askHelpdeskButton('fine', locale)]));
      return { text: fallback(text), blocks };
    }
  }
  blocks.push(section(text));
  if (buttons.length > 0) blocks.push(actions(BLOCKS.loginHelpActions, buttons));
  return { text: fallback(text), blocks };
}
