// Listeners of one area, wired here; each callback lives in its own file. The lock
// notice's "Request unlock" is the unlock flow's own listener (register-helpdesk.ts).
import type { App, BlockButtonAction } from '@slack/bolt';
import type { HandlerContext } from './context.js';
import { ACTIONS } from './ids.js';
import { reportLockAction } from './actions/report-lock.js';

export function registerNotices(app: App, ctx: HandlerContext): void {
  app.action<BlockButtonAction>(ACTIONS.reportLock, (args) => reportLockAction(ctx, args));
}
