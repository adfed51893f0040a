// The Block Kit limits of src/sandbox/block-kit-limits.ts applied to one recorded call:
// what the console's Web API pane shows in red, and what the browser tests assert is empty.
import { checkMessageBlocks, checkView, type RecordedCall } from '../slack-emulator.js';

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'response_url']);
const VIEW_METHODS: Record<string, 'modal' | 'home' | undefined> = { 'views.open': 'modal', 'views.push': 'modal', 'views.update': undefined, 'views.publish': 'home' };

/** A limit the call broke, or null. (The emulator refuses most of these too; response_url posts it only records.) */
export function blockKitViolation(call: Pick<RecordedCall, 'method' | 'args'>): string | null {
  if (MESSAGE_METHODS.has(call.method)) {
    return call.args.blocks === undefined ? null : checkMessageBlocks(call.args.blocks);
  }
  if (call.method in VIEW_METHODS) return checkView(call.args.view, VIEW_METHODS[call.method]);
  return null;
}
