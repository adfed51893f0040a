// Block Kit elements → HTML controls carrying the attributes the console's client script
// reads: data-action (and data-confirm) on interactive elements, data-input and name on
// input block controls. Every attribute value goes through escapeHtml, which covers both
// quote styles, so JSON with quotes in it stays inside its attribute.
import type { RenderContext } from './render-blocks.js';
import { escapeHtml, isSafeUrl } from './render-html.js';
import { plainText, renderTextObject } from './render-mrkdwn.js';

export type Obj = Record<string, unknown>;

export interface State {
  ctx: RenderContext;
  warnings: string[];
}

/** A known block or element whose shape is wrong: the whole block is then shown as JSON. */
export class Malformed extends Error {}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function attr(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeHtml(String(value))}"`;
}

function jsonAttr(name: string, value: unknown): string {
  return ` ${name}='${escapeHtml(JSON.stringify(value))}'`;
}

/** JSON for people to read; never throws, even on cycles or BigInt from a caller's object. */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    try {
      return String(v);
    } catch {
      return '[unprintable value]'; // e.g. a cycle through a null-prototype object
    }
  }
}

export function unknownElement(el: unknown, where: string, st: State): string {
  const type = isObj(el) && typeof el.type === 'string' ? el.type : typeof el;
  st.warnings.push(`Unsupported element "${type}" in ${where}: shown as JSON`);
  return `<div class="bk-unknown-element"><p class="bk-warning">${escapeHtml(`Unsupported element "${type}": shown as JSON`)}</p><pre>${escapeHtml(safeJson(el))}</pre></div>`;
}

function textObj(v: unknown, what: string): Obj {
  if (!isObj(v) || typeof v.text !== 'string') throw new Malformed(`${what} must be a text object`);
  return v;
}

const styleOf = (v: unknown): 'primary' | 'danger' | undefined => (v === 'primary' || v === 'danger' ? v : undefined);

function confirmAttr(c: unknown, st: State): string {
  if (c === undefined) return '';
  if (!isObj(c)) throw new Malformed('confirm must be an object');
  const style = styleOf(c.style);
  // Slack's own defaults for the parts a confirm dialog leaves out.
  return jsonAttr('data-confirm', {
    title: plainText(c.title) || 'Are you sure?',
    html: renderTextObject(c.text, st.ctx),
    confirm: plainText(c.confirm) || 'Yes',
    deny: plainText(c.deny) || 'Cancel',
    ...(style ? { style } : {}),
  });
}

interface Option {
  text: Obj;
  value: string;
  description?: unknown;
}

function optionList(v: unknown, what: string): Option[] {
  if (!Array.isArray(v)) throw new Malformed(`${what} must be an array`);
  return v.map((o, i) => {
    if (!isObj(o) || typeof o.value !== 'string') throw new Malformed(`${what}[${i}] must be an option with a value`);
    return { text: textObj(o.text, `${what}[${i}].text`), value: o.value, description: o.description };
  });
}

const optionTag = (o: { value: string; text: string }, selected: boolean): string =>
  `<option${attr('value', o.value)}${selected ? ' selected' : ''}>${escapeHtml(o.text)}</option>`;

/** The <option>s of a select, placeholder first; `chosen` holds the preselected values. */
function selectOptions(el: Obj, chosen: Set<string>, st: State): string {
  const placeholder = plainText(el.placeholder) || (el.type === 'users_select' ? 'Select a user' : 'Select an item');
  let out = `<option value=""${chosen.size ? '' : ' selected'}>${escapeHtml(placeholder)}</option>`;
  if (el.type === 'users_select') {
    for (const u of st.ctx.users) out += optionTag({ value: u.id, text: u.name }, chosen.has(u.id));
    return out;
  }
  if (el.option_groups !== undefined) {
    if (!Array.isArray(el.option_groups)) throw new Malformed('option_groups must be an array');
    el.option_groups.forEach((g: unknown, i) => {
      if (!isObj(g)) throw new Malformed(`option_groups[${i}] must be an object`);
      const opts = optionList(g.options, `option_groups[${i}].options`);
      out += `<optgroup${attr('label', plainText(g.label))}>`;
      out += opts.map((o) => optionTag({ value: o.value, text: plainText(o.text) }, chosen.has(o.value))).join('');
      out += '</optgroup>';
    });
    return out;
  }
  if (el.options === undefined) throw new Malformed('static_select needs options or option_groups');
  return out + optionList(el.options, 'options').map((o) => optionTag({ value: o.value, text: plainText(o.text) }, chosen.has(o.value))).join('');
}

function initialValues(el: Obj): Set<string> {
  const values = new Set<string>();
  if (typeof el.initial_user === 'string') values.add(el.initial_user);
  if (isObj(el.initial_option) && typeof el.initial_option.value === 'string') values.add(el.initial_option.value);
  if (Array.isArray(el.initial_options)) {
    for (const o of el.initial_options) if (isObj(o) && typeof o.value === 'string') values.add(o.value);
  }
  return values;
}

/** Slack generates random action_ids for elements that leave them out; ours are stable: a<index>. */
const actionIdOf = (el: Obj, index: number): string => str(el.action_id) ?? `a${index}`;

const INTERACTIVE = new Set(['button', 'overflow', 'static_select', 'users_select']);

/** A button, overflow or select in an actions block or a section accessory; anything else is shown as JSON. */
export function interactive(el: unknown, blockId: string, index: number, where: string, st: State): string {
  if (!isObj(el) || typeof el.type !== 'string' || !INTERACTIVE.has(el.type)) return unknownElement(el, where, st);
  const type = el.type;
  const base = { type, action_id: actionIdOf(el, index), block_id: blockId };
  const confirm = confirmAttr(el.confirm, st);
  if (type === 'button') {
    const label = plainText(textObj(el.text, 'button text'));
    const style = styleOf(el.style);
    const value = str(el.value);
    const action = { ...base, ...(value !== undefined ? { value } : {}), text: label, ...(style ? { style } : {}) };
    const cls = `bk-button${style ? ` bk-${style}` : ''}`;
    const attrs = `${jsonAttr('data-action', action)}${confirm}`;
    const url = str(el.url);
    if (url !== undefined && isSafeUrl(url)) {
      return `<a class="${cls}"${attr('href', url.trim())} target="_blank" rel="noopener"${attrs}>${escapeHtml(label)}</a>`;
    }
    return `<button type="button" class="${cls}"${attrs}>${escapeHtml(label)}</button>`;
  }
  if (type === 'overflow') {
    const opts = optionList(el.options, 'overflow options');
    const items = opts.map((o) => optionTag({ value: o.value, text: plainText(o.text) }, false)).join('');
    return `<select class="bk-overflow"${jsonAttr('data-action', base)}${confirm}><option value="" selected>⋯</option>${items}</select>`;
  }
  return `<select class="bk-select"${jsonAttr('data-action', base)}${confirm}>${selectOptions(el, initialValues(el), st)}</select>`;
}

function choices(el: Obj, kind: 'radio' | 'checkbox', name: string, data: string, st: State): string {
  const chosen = initialValues(el);
  const items = optionList(el.options, `${kind} options`).map((o) => {
    const desc = o.description === undefined ? '' : `<span class="bk-option-desc">${renderTextObject(o.description, st.ctx)}</span>`;
    const input = `<input type="${kind}"${attr('name', name)}${attr('value', o.value)}${chosen.has(o.value) ? ' checked' : ''}>`;
    return `<label class="bk-option">${input}<span class="bk-option-text">${renderTextObject(o.text, st.ctx)}</span>${desc}</label>`;
  });
  return `<fieldset class="bk-${kind}s"${data}>${items.join('')}</fieldset>`;
}

const TEXT_INPUT_TYPES: Record<string, string> = {
  plain_text_input: 'text',
  email_text_input: 'email',
  url_text_input: 'url',
  number_input: 'number',
};

/** The control of an input block, named `block_id.action_id` so a submit can build view.state. */
export function inputControl(el: unknown, blockId: string, st: State): string {
  if (!isObj(el) || typeof el.type !== 'string') throw new Malformed('input element must be an element with a type');
  const actionId = actionIdOf(el, 0);
  const name = `${blockId}.${actionId}`;
  const data = jsonAttr('data-input', { block_id: blockId, action_id: actionId, type: el.type });
  const named = `${attr('name', name)}${data}`;
  const placeholder = attr('placeholder', plainText(el.placeholder) || undefined);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const initial = str(el.initial_value) ?? (typeof el.initial_value === 'number' ? String(el.initial_value) : undefined);
  switch (el.type) {
    case 'static_select':
    case 'users_select':
      return `<select class="bk-select"${named}>${selectOptions(el, initialValues(el), st)}</select>`;
    case 'radio_buttons':
      return choices(el, 'radio', name, data, st);
    case 'checkboxes':
      return choices(el, 'checkbox', name, data, st);
    default:
      break;
  }
  const inputType = TEXT_INPUT_TYPES[el.type];
  if (inputType === undefined) return unknownElement(el, `input block "${blockId}"`, st);
  const lengths = `${attr('minlength', num(el.min_length))}${attr('maxlength', num(el.max_length))}`;
  if (el.type === 'plain_text_input' && el.multiline === true) {
    return `<textarea class="bk-text-input bk-multiline" rows="4"${named}${placeholder}${lengths}>${escapeHtml(initial ?? '')}</textarea>`;
  }
  const range = el.type === 'number_input' ? `${attr('min', num(Number(el.min_value)))}${attr('max', num(Number(el.max_value)))}` : lengths;
  return `<input type="${inputType}" class="bk-text-input"${named}${placeholder}${attr('value', initial)}${range}>`;
}
