// Listeners of one area, wired here; each callback lives in its own file.
import type { App } from '@slack/bolt';
import type { HandlerContext } from './context.js';

export const HELPDESK_COMMANDS: readonly string[] = [];

export function registerHelpdesk(_app: App, _ctx: HandlerContext): void {
  // filled in by the area's listeners
}
