// Listeners of one area, wired here; each callback lives in its own file.
import type { App } from '@slack/bolt';
import type { HandlerContext } from './context.js';

export const SELF_SERVICE_COMMANDS: readonly string[] = [];

export function registerSelfService(_app: App, _ctx: HandlerContext): void {
  // filled in by the area's listeners
}
