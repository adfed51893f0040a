// Reading what the app sent Slack by what a person sees — the texts, a block, a button —
// instead of regex-matching JSON.stringify of a call, which also matches ids, keys and
// escapes, and lets one pattern check several facts at once without saying which failed.
import type { RecordedCall, SlackEmulator } from '../../src/sandbox/slack-emulator.js';

/** A recorded call, its arguments, a view, a block list or a block: anything the finders walk. */
export type Sent = unknown;

/** A button as Slack receives it (only the fields the tests read). */
export interface SentButton {
  type: 'button';
  action_id: string;
  text: { text: string };
  value?: string;
  url?: string;
  style?: string;
}

/** A top-level block of a message or view. */
export type SentBlock = Record<string, unknown> & { type: string; block_id?: string };

type Pattern = RegExp | string;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata is for the app, not for people: the finders do not look inside it. */
const HIDDEN = new Set(['private_metadata', 'metadata']);

/** A recorded call stands for its arguments (not Slack's response); everything else for itself. */
const unwrap = (sent: Sent): unknown => (isRecord(sent) && 'method' in sent && 'args' in sent ? sent.args : sent);

/** Visits every object in what was sent, depth first in order, metadata left out unless asked. */
function visit(sent: Sent, onObject: (o: Record<string, unknown>) => void, opts: { metadata?: boolean; onString?: (s: string, key: string | undefined) => void } = {}): void {
  const walk = (raw: unknown, key: string | undefined): void => {
    const v = unwrap(raw);
    if (typeof v === 'string') opts.onString?.(v, key);
    else if (Array.isArray(v)) for (const item of v) walk(item, undefined);
    else if (isRecord(v)) {
      onObject(v);
      for (const [k, value] of Object.entries(v)) if (opts.metadata || !HIDDEN.has(k)) walk(value, k);
    }
  };
  walk(sent, undefined);
}

const matches = (text: string, pattern: Pattern): boolean => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));

/**
 * Every text a person could read in what was sent, in order: a message's fallback `text`,
 * each block's text, fields and context elements, button labels, confirm dialogs, a
 * view's title, submit and close.
 */
export function textsOf(sent: Sent): string[] {
  const out: string[] = [];
  visit(sent, () => undefined, { onString: (text, key) => key === 'text' && out.push(text) });
  return out;
}

/** All the texts, one a line: for a pattern that spans a whole message. */
export const textOf = (sent: Sent): string => textsOf(sent).join('\n');

/** Whether one of the texts matches (a string is looked for as it is). */
export const hasText = (sent: Sent, pattern: Pattern): boolean => textsOf(sent).some((t) => matches(t, pattern));

/** The first match of a pattern in the texts (for reading a value, such as a link, out of a message). */
export function matchText(sent: Sent, pattern: RegExp): RegExpExecArray | undefined {
  for (const t of textsOf(sent)) {
    const m = pattern.exec(t);
    if (m) return m;
  }
  return undefined;
}

/** The top-level blocks of a message or a view (of a call, its args, or the view itself). */
export function blocksOf(sent: Sent): SentBlock[] {
  const v = unwrap(sent);
  if (Array.isArray(v)) return v as SentBlock[];
  if (!isRecord(v)) return [];
  if (Array.isArray(v.blocks)) return v.blocks as SentBlock[];
  if (isRecord(v.view)) return blocksOf(v.view);
  return [];
}

/** The first top-level block one of whose texts matches. */
export const blockWithText = (sent: Sent, pattern: Pattern): SentBlock | undefined => blocksOf(sent).find((b) => hasText(b, pattern));

/** The top-level block with this block_id. */
export const blockWithId = (sent: Sent, blockId: string): SentBlock | undefined => blocksOf(sent).find((b) => b.block_id === blockId);

/** Every button in what was sent (accessories and actions blocks alike), in order. */
export function buttonsOf(sent: Sent): SentButton[] {
  const out: SentButton[] = [];
  visit(sent, (o) => o.type === 'button' && typeof o.action_id === 'string' && out.push(o as unknown as SentButton));
  return out;
}

/** The button with this action id, if one was sent. */
export const findButton = (sent: Sent, actionId: string): SentButton | undefined => buttonsOf(sent).find((b) => b.action_id === actionId);

/** The action ids of every interactive element sent (buttons, selects, inputs), in order. */
export function actionIdsOf(sent: Sent): string[] {
  const out: string[] = [];
  visit(sent, (o) => typeof o.action_id === 'string' && out.push(o.action_id));
  return out;
}

/**
 * Every string anywhere in what was sent, keys, metadata and ids included: for checks
 * that a secret went nowhere, where "not in the texts" would be too weak.
 */
export function stringsOf(sent: Sent): string[] {
  const out: string[] = [];
  visit(sent, (o) => out.push(...Object.keys(o)), { metadata: true, onString: (text) => out.push(text) });
  return out;
}

/** Whether any string anywhere in what was sent matches (see stringsOf). */
export const sentAnywhere = (sent: Sent, pattern: Pattern): boolean => stringsOf(sent).some((s) => matches(s, pattern));

/** The input blocks and text inputs sent (a modal that asks nothing has none). */
export function inputTypesOf(sent: Sent): string[] {
  const out: string[] = [];
  visit(sent, (o) => (o.type === 'input' || o.type === 'plain_text_input') && out.push(o.type));
  return out;
}

/** Calls to a method since the last clear, optionally only those whose texts match. */
export function callsTo(slack: SlackEmulator, method: string, pattern?: Pattern): RecordedCall[] {
  const calls = slack.callsTo(method);
  return pattern === undefined ? calls : calls.filter((c) => hasText(c, pattern));
}

/** Waits for the first call to a method one of whose texts matches (and that passes `also`). */
export function waitForText(slack: SlackEmulator, method: string, pattern: Pattern, also: (call: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
  return slack.waitForCall(method, (c) => also(c) && hasText(c, pattern));
}
