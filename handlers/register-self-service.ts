// Listeners of one area, wired here; each callback lives in its own file.
// Self-service: /password, /email, /mfa-reset, /access-key (and its list), "Reveal once", Rotate / Revoke, the Home tab, and the
// buttons on it and under /login-help that ask for the same things (and "Ask the helpdesk").
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { cantAnswerClick } from './actions/cant-answer.js';
import { homeLanguageClick } from './actions/home-language.js';
import { homeLoginHelpClick } from './actions/home-login-help.js';
import { homeRefreshClick } from './actions/home-refresh.js';
import { homeSignOutClick } from './actions/home-sign-out.js';
import { keyRequestClick } from './actions/key-request.js';
import { keyRevealClick } from './actions/key-reveal.js';
import { keyRevokeLeakedClick } from './actions/key-revoke-leaked.js';
import { keyRevokeClick } from './actions/key-revoke.js';
import { keyReplaceLostClick } from './actions/key-replace-lost.js';
import { keyRotateClick } from './actions/key-rotate.js';
import { loginHelpAskClick } from './actions/login-help-ask.js';
import { mfaRequestClick } from './actions/mfa-request.js';
import { passwordChoiceClick } from './actions/password-choice.js';
import { accessKeyCommand } from './commands/access-key.js';
import { emailCommand } from './commands/email.js';
import { mfaResetCommand } from './commands/mfa-reset.js';
import { passwordCommand } from './commands/password.js';
import type { HandlerContext } from './context.js';
import { appHomeOpened } from './events/app-home-opened.js';
import { forAdminActions } from './flows/admin-confirm.js';
import { ACTIONS, VIEWS } from './ids.js';
import { mfaClearConfirmed } from './views/mfa-clear-confirm.js';

export const SELF_SERVICE_COMMANDS: readonly string[] = ['/password', '/email', '/mfa-reset', '/access-key'];

type Click = BlockAction<ButtonAction>;

export function registerSelfService(app: App, ctx: HandlerContext): void {
  app.command('/password', (args) => passwordCommand(ctx, args));
  app.command('/email', (args) => emailCommand(ctx, args));
  app.command('/mfa-reset', (args) => mfaResetCommand(ctx, args));
  app.command('/access-key', (args) => accessKeyCommand(ctx, args));

  app.action<Click>(ACTIONS.passwordChange, (args) => passwordChoiceClick(ctx, args, 'change'));
  app.action<Click>(ACTIONS.passwordForgot, (args) => passwordChoiceClick(ctx, args, 'forgot'));
  app.action<Click>(ACTIONS.cantAnswer, (args) => cantAnswerClick(ctx, args));
  app.action<Click>(ACTIONS.emailChange, (args) => passwordChoiceClick(ctx, args, 'email'));
  app.action<Click>(ACTIONS.requestMfaReset, (args) => mfaRequestClick(ctx, args));
  app.action<Click>(ACTIONS.requestAccessKey, (args) => keyRequestClick(ctx, args));
  app.action<Click>(ACTIONS.revealKey, (args) => keyRevealClick(ctx, args));
  app.action<Click>(ACTIONS.rotateKey, (args) => keyRotateClick(ctx, args));
  app.action<Click>(ACTIONS.replaceLostKey, (args) => keyReplaceLostClick(ctx, args));
  app.action<Click>(ACTIONS.revokeKey, (args) => keyRevokeClick(ctx, args));
  app.action<Click>(ACTIONS.revokeKeyLeaked, (args) => keyRevokeLeakedClick(ctx, args));
  app.action<Click>(ACTIONS.loginHelp, (args) => homeLoginHelpClick(ctx, args));
  app.action<Click>(ACTIONS.askHelpdesk, (args) => loginHelpAskClick(ctx, args));
  app.action<Click>(ACTIONS.homeRefresh, (args) => homeRefreshClick(ctx, args));
  app.action<Click>(ACTIONS.homeSignOutEverywhere, (args) => homeSignOutClick(ctx, args));
  app.action<Click>(ACTIONS.homeEnglish, (args) => homeLanguageClick(ctx, args));
  app.action<Click>(ACTIONS.homeFrench, (args) => homeLanguageClick(ctx, args));

  // The confirm modal's callback_id is shared with the other areas' admin actions.
  app.view<ViewSubmitAction>({ callback_id: VIEWS.confirmAdminAction, type: 'view_submission' }, forAdminActions(['clear_mfa']), (args) =>
    mfaClearConfirmed(ctx, args),
  );

  app.event('app_home_opened', (args) => appHomeOpened(ctx, args));
}
