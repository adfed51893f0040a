// What every Slack listener is given besides Bolt's own arguments.
import type { CoreDeps } from '../src/core/deps.js';
import type { Locale } from '../src/core/types.js';
import type { Logger } from '../src/logger.js';
import type { WorkspaceSource } from '../src/slack/workspace.js';

export interface HandlerContext {
  deps: CoreDeps;
  /** Channel id where tickets are posted. */
  helpdeskChannel: string;
  /** The language of that channel's cards and thread lines (HELPDESK_LOCALE); en when absent. */
  helpdeskLocale?: Locale;
  logger: Logger;
  /**
   * The installed Slack workspace (auth.test at start-up), to link people by email only
   * when they belong to it. Absent (notices, tests of one flow): nobody is linked by email.
   */
  slackWorkspace?: WorkspaceSource;
}
