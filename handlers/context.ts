// What every Slack listener is given besides Bolt's own arguments.
import type { CoreDeps } from '../src/core/deps.js';
import type { Logger } from '../src/logger.js';

export interface HandlerContext {
  deps: CoreDeps;
  /** Channel id where tickets are posted. */
  helpdeskChannel: string;
  logger: Logger;
}
