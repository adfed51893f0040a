// Every Slack listener, wired in one place (by area); the callbacks live one per file.
import type { App } from '@slack/bolt';
import { loginHelpCommand } from './commands/login-help.js';
import type { HandlerContext } from './context.js';
import { HELPDESK_COMMANDS, registerHelpdesk } from './register-helpdesk.js';
import { registerNotices } from './register-notices.js';
import { SELF_SERVICE_COMMANDS, registerSelfService } from './register-self-service.js';

/** Every slash command the app answers (manifest.yml must list exactly these). */
export const COMMANDS: readonly string[] = ['/login-help', ...HELPDESK_COMMANDS, ...SELF_SERVICE_COMMANDS];

export function registerListeners(app: App, ctx: HandlerContext): void {
  app.command('/login-help', (args) => loginHelpCommand(ctx, args));
  registerHelpdesk(app, ctx);
  registerSelfService(app, ctx);
  registerNotices(app, ctx);
}
