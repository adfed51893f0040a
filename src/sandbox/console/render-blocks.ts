// Block Kit blocks and views → HTML for the sandbox console, looking like Slack (bk-* classes).
// The input came over the wire, so nothing about its shape is trusted: a block we do not
// know, or a known one in a shape we cannot draw, is shown as JSON with a warning rather
// than dropped, so the console never hides what the app sent.
import { escapeHtml, isSafeUrl } from './render-html.js';
import { plainText, renderTextObject, type MrkdwnContext } from './render-mrkdwn.js';
import { Malformed, attr, inputControl, interactive, isObj, safeJson, str, unknownElement, type Obj, type State } from './render-elements.js';
import { richText } from './render-rich-text.js';

export interface RenderContext extends MrkdwnContext {
  /** Users a users_select offers: id + display name. */
  users: Array<{ id: string; name: string }>;
}

export interface Rendered {
  html: string;
  warnings: string[];
}

function text(v: unknown, what: string, st: State): string {
  if (!isObj(v) || typeof v.text !== 'string') throw new Malformed(`${what} must be a text object`);
  return renderTextObject(v, st.ctx);
}

function image(url: unknown, alt: unknown, cls: string): string {
  const altText = str(alt) ?? '';
  if (typeof url === 'string' && isSafeUrl(url)) {
    return `<img class="${cls}"${attr('src', url.trim())}${attr('alt', altText)} loading="lazy" referrerpolicy="no-referrer">`;
  }
  // Only http(s) images load: anything else (data:, javascript:, a slack_file) shows its alt text.
  return `<span class="${cls} bk-image-placeholder">${escapeHtml(altText || 'image')}</span>`;
}

function section(b: Obj, blockId: string, st: State): string {
  if (b.text === undefined && b.fields === undefined) throw new Malformed('section needs text or fields');
  let body = b.text === undefined ? '' : `<div class="bk-section-text">${text(b.text, 'section text', st)}</div>`;
  if (b.fields !== undefined) {
    if (!Array.isArray(b.fields)) throw new Malformed('section fields must be an array');
    const fields = b.fields.map((f, i) => `<div class="bk-field">${text(f, `field ${i}`, st)}</div>`);
    body += `<div class="bk-fields">${fields.join('')}</div>`;
  }
  let accessory = '';
  if (b.accessory !== undefined) {
    const a = b.accessory;
    accessory = isObj(a) && a.type === 'image' ? image(a.image_url, a.alt_text, 'bk-accessory-image') : interactive(a, blockId, 0, `section "${blockId}"`, st);
    accessory = `<div class="bk-accessory">${accessory}</div>`;
  }
  return `<div class="bk-section-body">${body}</div>${accessory}`;
}

function context(b: Obj, blockId: string, st: State): string {
  if (!Array.isArray(b.elements)) throw new Malformed('context needs elements');
  return b.elements
    .map((el: unknown) => {
      if (isObj(el) && el.type === 'image') return image(el.image_url, el.alt_text, 'bk-context-image');
      if (isObj(el) && (el.type === 'mrkdwn' || el.type === 'plain_text')) return `<span class="bk-context-text">${text(el, 'context element', st)}</span>`;
      return unknownElement(el, `context "${blockId}"`, st);
    })
    .join('');
}

function actions(b: Obj, blockId: string, st: State): string {
  if (!Array.isArray(b.elements)) throw new Malformed('actions needs elements');
  return b.elements.map((el: unknown, i) => interactive(el, blockId, i, `actions "${blockId}"`, st)).join('');
}

function input(b: Obj, blockId: string, st: State): string {
  const label = text(b.label, 'input label', st);
  const optional = b.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = b.hint === undefined ? '' : `<p class="bk-hint">${text(b.hint, 'input hint', st)}</p>`;
  const id = escapeHtml(blockId);
  return (
    `<div class="bk-input-block" data-block-id="${id}"><label class="bk-label">${label}${optional}</label>` +
    `${inputControl(b.element, blockId, st)}${hint}<p class="bk-input-error" data-error-for="${id}"></p></div>`
  );
}

function imageBlock(b: Obj): string {
  if (typeof b.alt_text !== 'string') throw new Malformed('image needs alt_text');
  const title = plainText(b.title);
  const caption = title ? `<figcaption class="bk-image-title">${escapeHtml(title)}</figcaption>` : '';
  return `<figure class="bk-figure">${caption}${image(b.image_url, b.alt_text, 'bk-image')}</figure>`;
}

function block(b: Obj, blockId: string, st: State): string | undefined {
  switch (b.type) {
    case 'section':
      return section(b, blockId, st);
    case 'header':
      if (!isObj(b.text) || typeof b.text.text !== 'string') throw new Malformed('header needs plain_text text');
      return `<h2 class="bk-header-text">${escapeHtml(b.text.text)}</h2>`;
    case 'divider':
      return '<hr class="bk-divider-line">';
    case 'context':
      return context(b, blockId, st);
    case 'actions':
      return actions(b, blockId, st);
    case 'input':
      return input(b, blockId, st);
    case 'image':
      return imageBlock(b);
    case 'rich_text':
      return richText(b, st);
    default:
      return undefined;
  }
}

function shownAsJson(b: unknown, message: string): string {
  return `<div class="bk-unknown"><p class="bk-warning">${escapeHtml(message)}: shown as JSON</p><pre>${escapeHtml(safeJson(b))}</pre></div>`;
}

function renderOne(b: unknown, index: number, st: State): string {
  const type = isObj(b) && typeof b.type === 'string' ? b.type : undefined;
  // Slack makes up a random block_id when a block has none; ours is stable (b<index>) so the
  // console's actions and tests can name the block.
  const blockId = (isObj(b) && str(b.block_id)) || `b${index}`;
  if (isObj(b) && type !== undefined) {
    const mark = st.warnings.length;
    try {
      const inner = block(b, blockId, st);
      if (inner !== undefined) {
        // An input block already carries data-block-id on its own wrapper.
        const idAttr = type === 'input' ? '' : attr('data-block-id', blockId);
        return `<div class="bk-block bk-${type}"${idAttr}>${inner}</div>`;
      }
    } catch (e) {
      // Malformed is the expected case; anything else (a throwing getter on a caller's object,
      // a bug here) is shown the same way, since the console must never go blank.
      const why = e instanceof Malformed ? e.message : `could not render: ${e instanceof Error ? e.message : safeJson(e)}`;
      st.warnings.length = mark; // the JSON shows the whole block, so its element warnings are moot
      st.warnings.push(`Malformed block "${type}" at ${index} (${why}): shown as JSON`);
      return shownAsJson(b, `Malformed block "${type}" (${why})`);
    }
  }
  const name = type ?? (isObj(b) ? 'untyped' : typeof b);
  st.warnings.push(`Unknown block "${name}" at ${index}: shown as JSON`);
  return shownAsJson(b, `Unknown block "${name}"`);
}

/** A message's or a view's `blocks` array (anything: it came over the wire). */
export function renderBlocks(blocks: unknown, ctx: RenderContext): Rendered {
  if (!Array.isArray(blocks)) return { html: '', warnings: [`blocks is not an array (got ${blocks === null ? 'null' : typeof blocks})`] };
  const st: State = { ctx, warnings: [] };
  const html = blocks.map((b, i) => renderOne(b, i, st)).join('');
  return { html, warnings: st.warnings };
}

/**
 * A whole modal or home view. `title`, `submit` and `close` are HTML (escaped plain text),
 * like `html`; a modal without a close label gets Slack's default "Cancel".
 */
export function renderView(view: unknown, ctx: RenderContext): Rendered & { title: string; submit?: string; close?: string } {
  if (!isObj(view)) return { html: '', title: '', warnings: [`view is not an object (got ${view === null ? 'null' : typeof view})`] };
  const { html, warnings } = renderBlocks(view.blocks, ctx);
  const label = (v: unknown): string | undefined => (isObj(v) && typeof v.text === 'string' ? escapeHtml(v.text) : undefined);
  const title = label(view.title) ?? '';
  if (view.type === 'modal' && title === '') warnings.push('modal has no title');
  const submit = label(view.submit);
  const close = label(view.close) ?? (view.type === 'modal' ? 'Cancel' : undefined);
  return { html, warnings, title, ...(submit !== undefined ? { submit } : {}), ...(close !== undefined ? { close } : {}) };
}
