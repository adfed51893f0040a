// rich_text blocks → HTML. Unlike mrkdwn, rich text arrives as structure with raw
// (unescaped) text, so each text run is escaped directly and never decoded.
import { renderDate } from './render-date.js';
import { emojify } from './emoji.js';
import { escapeHtml, isSafeUrl, link } from './render-html.js';
import { mention } from './render-mrkdwn.js';
import { Malformed, isObj, safeJson, str, type Obj, type State } from './render-elements.js';

const text = (s: string): string => escapeHtml(s).replace(/\r?\n/g, '<br>');

function styled(html: string, style: unknown): string {
  if (!isObj(style)) return html;
  let out = html;
  if (style.code === true) out = `<code class="bk-code">${out}</code>`;
  if (style.strike === true) out = `<s>${out}</s>`;
  if (style.italic === true) out = `<i>${out}</i>`;
  if (style.bold === true) out = `<b>${out}</b>`;
  return out;
}

function inlineElement(el: unknown, st: State): string {
  if (!isObj(el)) throw new Malformed('rich text element must be an object');
  const { ctx } = st;
  switch (el.type) {
    case 'text':
      if (typeof el.text !== 'string') throw new Malformed('rich text "text" needs text');
      return styled(text(el.text), el.style);
    case 'link': {
      const url = str(el.url);
      if (url === undefined) throw new Malformed('rich text link needs a url');
      const label = text(str(el.text) || url);
      return styled(isSafeUrl(url) ? link(url, label) : label, el.style);
    }
    case 'user': {
      const id = str(el.user_id) ?? '';
      return styled(mention(`@${ctx.userName(id) ?? id}`), el.style);
    }
    case 'channel': {
      const id = str(el.channel_id) ?? '';
      return styled(mention(`#${ctx.channelName(id) ?? id}`), el.style);
    }
    case 'usergroup':
      return styled(mention(`@${str(el.usergroup_id) ?? ''}`), el.style);
    case 'broadcast':
      return mention(`@${str(el.range) ?? 'here'}`);
    case 'emoji':
      return styled(emojify(text(`:${str(el.name) ?? ''}:`)), el.style);
    case 'date': {
      const ts = typeof el.timestamp === 'number' ? String(Math.trunc(el.timestamp)) : (str(el.timestamp) ?? '');
      return styled(renderDate(ts, str(el.format) ?? '{date_short} {time}', str(el.url), str(el.fallback), ctx), el.style);
    }
    default: {
      const type = typeof el.type === 'string' ? el.type : 'untyped';
      st.warnings.push(`Unsupported rich text element "${type}": shown as JSON`);
      return `<code class="bk-unknown-inline">${escapeHtml(safeJson(el))}</code>`;
    }
  }
}

function inlines(v: unknown, st: State): string {
  if (!Array.isArray(v)) throw new Malformed('rich text elements must be an array');
  return v.map((el) => inlineElement(el, st)).join('');
}

function list(el: Obj, st: State): string {
  const tag = el.style === 'ordered' ? 'ol' : 'ul';
  const indent = typeof el.indent === 'number' && Number.isInteger(el.indent) ? Math.max(0, Math.min(el.indent, 8)) : 0;
  if (!Array.isArray(el.elements)) throw new Malformed('rich_text_list needs elements');
  const items = el.elements.map((item: unknown) => {
    if (!isObj(item)) throw new Malformed('rich_text_list items must be sections');
    return `<li>${inlines(item.elements, st)}</li>`;
  });
  return `<${tag} class="bk-rt-list bk-indent-${indent}">${items.join('')}</${tag}>`;
}

function part(el: unknown, st: State): string {
  if (!isObj(el)) throw new Malformed('rich_text part must be an object');
  switch (el.type) {
    case 'rich_text_section':
      return `<div class="bk-rt-section">${inlines(el.elements, st)}</div>`;
    case 'rich_text_list':
      return list(el, st);
    case 'rich_text_preformatted':
      return `<pre class="bk-pre">${inlines(el.elements, st)}</pre>`;
    case 'rich_text_quote':
      return `<blockquote class="bk-quote">${inlines(el.elements, st)}</blockquote>`;
    default:
      throw new Malformed(`unknown rich_text part "${typeof el.type === 'string' ? el.type : 'untyped'}"`);
  }
}

/** The inside of a rich_text block; a Malformed throw makes the caller show the block as JSON. */
export function richText(block: Obj, st: State): string {
  if (!Array.isArray(block.elements)) throw new Malformed('rich_text needs elements');
  return block.elements.map((el) => part(el, st)).join('');
}
