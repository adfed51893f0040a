// A compact Block Kit checker: the limits Slack enforces, so an app bug shows as an error
// here rather than in production. Each function returns the first problem found as
// Slack words it ("must be less than 3001 characters [json-pointer:/blocks/0/text/text]"),
// or null when the value is acceptable.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const BLOCK_TYPES = new Set([
  'section', 'actions', 'context', 'divider', 'header', 'image', 'input', 'rich_text', 'file', 'video', 'markdown',
]);

class Problem extends Error {}

function fail(path: string, what: string): never {
  throw new Problem(`${what} [json-pointer:${path}]`);
}

function maxLen(o: Obj, key: string, max: number, path: string, required = false): void {
  const v = o[key];
  if (v === undefined) {
    if (required) fail(`${path}/${key}`, 'missing required field');
    return;
  }
  if (typeof v !== 'string') fail(`${path}/${key}`, 'must be a string');
  if (v.length > max) fail(`${path}/${key}`, `must be less than ${max + 1} characters`);
}

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`, 1..max characters. */
function textObject(v: unknown, path: string, max: number, plainOnly = false): void {
  if (!isObj(v)) fail(path, 'must be a text object');
  if (v.type !== 'plain_text' && (plainOnly || v.type !== 'mrkdwn')) {
    fail(`${path}/type`, plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
  }
  if (typeof v.text !== 'string' || v.text.length === 0) fail(`${path}/text`, 'must be more than 0 characters');
  if (v.text.length > max) fail(`${path}/text`, `must be less than ${max + 1} characters`);
}

function list(v: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  if (v.length < min) fail(path, `must provide at least ${min} items`);
  if (v.length > max) fail(path, `must provide no more than ${max} items`);
  return v;
}

function confirmDialog(v: unknown, path: string): void {
  if (!isObj(v)) fail(path, 'must be a confirmation dialog object');
  textObject(v.title, `${path}/title`, 100, true);
  textObject(v.text, `${path}/text`, 300);
  textObject(v.confirm, `${path}/confirm`, 30, true);
  textObject(v.deny, `${path}/deny`, 30, true);
}

function options(v: unknown, path: string, min: number, max: number): void {
  list(v, path, min, max).forEach((o, i) => {
    const p = `${path}/${i}`;
    if (!isObj(o)) fail(p, 'must be an option object');
    textObject(o.text, `${p}/text`, 75);
    maxLen(o, 'value', 150, p, true);
    if (o.description !== undefined) textObject(o.description, `${p}/description`, 75);
  });
}

/** An interactive element (button, select, input, ...) or an image/text element. */
function element(v: unknown, path: string, actionIds: Set<string>): void {
  if (!isObj(v) || typeof v.type !== 'string') fail(path, 'must be an element with a type');
  if (v.type === 'plain_text' || v.type === 'mrkdwn') return textObject(v, path, 3000);
  if (v.type === 'image') {
    maxLen(v, 'alt_text', 2000, path, true);
    return maxLen(v, 'image_url', 3000, path);
  }
  if (v.action_id !== undefined) {
    maxLen(v, 'action_id', 255, path);
    const id = v.action_id as string;
    if (actionIds.has(id)) fail(`${path}/action_id`, `duplicate action_id "${id}"`);
    actionIds.add(id);
  }
  if (v.confirm !== undefined) confirmDialog(v.confirm, `${path}/confirm`);
  if (v.placeholder !== undefined) textObject(v.placeholder, `${path}/placeholder`, 150, true);
  switch (v.type) {
    case 'button':
      textObject(v.text, `${path}/text`, 75, true);
      maxLen(v, 'value', 2000, path);
      maxLen(v, 'url', 3000, path);
      if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') {
        fail(`${path}/style`, 'must be primary or danger');
      }
      return;
    case 'static_select':
    case 'multi_static_select':
      if (v.options !== undefined) options(v.options, `${path}/options`, 1, 100);
      return;
    case 'overflow':
      return options(v.options, `${path}/options`, 1, 5);
    case 'radio_buttons':
    case 'checkboxes':
      return options(v.options, `${path}/options`, 1, 10);
    case 'plain_text_input':
      if (typeof v.max_length === 'number' && v.max_length > 3000) fail(`${path}/max_length`, 'must be at most 3000');
      return;
    default:
      return;
  }
}

function block(b: unknown, path: string, blockIds: Set<string>): void {
  if (!isObj(b) || typeof b.type !== 'string') fail(path, 'must be a block with a type');
  if (!BLOCK_TYPES.has(b.type)) fail(`${path}/type`, `unknown block type "${b.type}"`);
  if (b.block_id !== undefined) {
    maxLen(b, 'block_id', 255, path);
    const id = b.block_id as string;
    if (blockIds.has(id)) fail(`${path}/block_id`, `duplicate block_id "${id}"`);
    blockIds.add(id);
  }
  const actionIds = new Set<string>();
  switch (b.type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) fail(path, 'must provide text or fields');
      if (b.text !== undefined) textObject(b.text, `${path}/text`, 3000);
      if (b.fields !== undefined) {
        list(b.fields, `${path}/fields`, 1, 10).forEach((f, i) => textObject(f, `${path}/fields/${i}`, 2000));
      }
      if (b.accessory !== undefined) element(b.accessory, `${path}/accessory`, actionIds);
      return;
    case 'header':
      return textObject(b.text, `${path}/text`, 150, true);
    case 'context':
      list(b.elements, `${path}/elements`, 1, 10).forEach((e, i) => element(e, `${path}/elements/${i}`, actionIds));
      return;
    case 'actions':
      list(b.elements, `${path}/elements`, 1, 25).forEach((e, i) => element(e, `${path}/elements/${i}`, actionIds));
      return;
    case 'input':
      textObject(b.label, `${path}/label`, 2000, true);
      if (b.hint !== undefined) textObject(b.hint, `${path}/hint`, 2000, true);
      return element(b.element, `${path}/element`, actionIds);
    case 'image':
      maxLen(b, 'alt_text', 2000, path, true);
      maxLen(b, 'image_url', 3000, path);
      if (b.title !== undefined) textObject(b.title, `${path}/title`, 2000, true);
      return;
    case 'markdown':
      return maxLen(b, 'text', 12000, path, true);
    default:
      return;
  }
}

function run(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (e) {
    if (e instanceof Problem) return e.message;
    throw e;
  }
}

function blockList(blocks: unknown, path: string, max: number): void {
  const ids = new Set<string>();
  list(blocks, path, 0, max).forEach((b, i) => block(b, `${path}/${i}`, ids));
}

/** Blocks of a message: at most 50. */
export function checkMessageBlocks(blocks: unknown): string | null {
  return run(() => blockList(blocks, '/blocks', 50));
}

/** Attachments of a message: at most 100, each with its own blocks checked. */
export function checkAttachments(attachments: unknown): string | null {
  return run(() =>
    list(attachments, '/attachments', 0, 100).forEach((a, i) => {
      if (!isObj(a)) fail(`/attachments/${i}`, 'must be an attachment object');
      if (a.blocks !== undefined) blockList(a.blocks, `/attachments/${i}/blocks`, 50);
    }),
  );
}

/** A modal or Home tab view: at most 100 blocks, a modal has a title and a submit when it has inputs. */
export function checkView(view: unknown, expected?: 'modal' | 'home'): string | null {
  return run(() => {
    if (!isObj(view)) fail('/view', 'must be a view object');
    if (view.type !== 'modal' && view.type !== 'home') fail('/view/type', 'must be modal or home');
    if (expected && view.type !== expected) fail('/view/type', `must be ${expected}`);
    if (view.type === 'modal') {
      textObject(view.title, '/view/title', 24, true);
      if (view.submit !== undefined) textObject(view.submit, '/view/submit', 24, true);
      if (view.close !== undefined) textObject(view.close, '/view/close', 24, true);
      const blocks = Array.isArray(view.blocks) ? view.blocks : [];
      if (view.submit === undefined && blocks.some((b) => isObj(b) && b.type === 'input')) {
        fail('/view/submit', 'submit is required when an input block is within the blocks');
      }
    }
    maxLen(view, 'callback_id', 255, '/view');
    maxLen(view, 'private_metadata', 3000, '/view');
    maxLen(view, 'external_id', 255, '/view');
    blockList(view.blocks, '/view/blocks', 100);
  });
}
