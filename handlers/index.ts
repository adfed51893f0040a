// Every Slack listener, wired in one place (by area); the callbacks live one per file.
import type { App } from '@slack/bolt';
import { loginHelpCommand } from './commands/login-help.js';
import type { SlackListeners } from '../src/slack/slack-app.js';
import type { HandlerContext } from './context.js';
import { HELPDESK_COMMANDS, registerHelpdesk } from './register-helpdesk.js';
import { registerNotices } from './register-notices.js';
import { SELF_SERVICE_COMMANDS, registerSelfService } from './register-self-service.js';
import { reportFailure } from './reply.js';

/** Every slash command the app answers (manifest.yml must list exactly these). */
export const COMMANDS: readonly string[] = ['/login-help', ...HELPDESK_COMMANDS, ...SELF_SERVICE_COMMANDS];

export function registerListeners(app: App, ctx: HandlerContext): void {
  app.command('/login-help', (args) => loginHelpCommand(ctx, args));
  registerHelpdesk(app, ctx);
  registerSelfService(app, ctx);
  registerNotices(app, ctx);
}

/** The Slack app's listeners, for src/app.ts to hand to createSlackApp. */
export function slackListeners(ctx: Omit<HandlerContext, 'slackWorkspace'>): SlackListeners {
  return {
    register: (app, workspace) => registerListeners(app, { ...ctx, slackWorkspace: workspace }),
    reportFailure: (client, body, reference) => reportFailure(ctx, client, body, reference),
  };
}
