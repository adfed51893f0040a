// Slack mrkdwn → HTML for the sandbox console. Pure string building: everything that came
// from a message is escaped, and the only tags in the output are the ones built here
// (b i s code pre br blockquote a span time), so a hostile message cannot inject markup.
import { renderDate } from './render-date.js';
import { emojify } from './emoji.js';
import { decodeSlackEntities, escapeHtml, isSafeUrl, link } from './render-html.js';

export { escapeHtml };

export interface MrkdwnContext {
  /** The viewer's IANA time zone, for <!date^…>. */
  timeZone: string;
  /** BCP 47 locale for dates, e.g. 'en-US' or 'fr-FR'. */
  locale: string;
  userName(id: string): string | undefined; // U…/W… → display name
  channelName(id: string): string | undefined; // C…/G…/D… → name without '#'
  /** Milliseconds since the epoch, for {ago} and {date_pretty}; tests pin it. Defaults to Date.now. */
  now?: () => number;
}

export function mention(text: string): string {
  return `<span class="bk-mention">${escapeHtml(text)}</span>`;
}

// Placeholders stand in for already-rendered HTML (links, mentions, code) while the
// formatting markers are matched, so a `*` or `_` inside a URL can never start bold.
// Input private-use characters of the same values are replaced first so they cannot forge one.
const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PH_RE = /\uE000(\d+)\uE001/g;

function angleToken(inner: string, ctx: MrkdwnContext): string {
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : decodeSlackEntities(inner.slice(bar + 1));
  if (head.startsWith('@')) {
    const id = head.slice(1);
    return mention(`@${ctx.userName(id) ?? label ?? id}`);
  }
  if (head.startsWith('#')) {
    const id = head.slice(1);
    return mention(`#${ctx.channelName(id) ?? label ?? id}`);
  }
  if (head.startsWith('!')) return special(head.slice(1), label, ctx);
  const url = decodeSlackEntities(head);
  if (isSafeUrl(url)) return link(url, escapeHtml(label !== undefined && label !== '' ? label : url));
  // Not a link we would open: its label, or else the whole token, as inert text.
  return escapeHtml(label !== undefined && label !== '' ? label : `<${url}>`);
}

function special(head: string, label: string | undefined, ctx: MrkdwnContext): string {
  if (head === 'here' || head === 'channel' || head === 'everyone') return mention(`@${head}`);
  if (head.startsWith('subteam^')) return mention(label ?? `@${head.slice('subteam^'.length)}`);
  if (head.startsWith('date^')) {
    const [ts = '', format = '', url] = head.slice('date^'.length).split('^');
    return renderDate(ts, decodeSlackEntities(format), url === undefined ? undefined : decodeSlackEntities(url), label, ctx);
  }
  return escapeHtml(label ?? `<!${decodeSlackEntities(head)}>`);
}

type Marker = { ch: string; tag: string };
const MARKERS: Marker[] = [
  { ch: '*', tag: 'b' },
  { ch: '_', tag: 'i' },
  { ch: '~', tag: 's' },
];

// Slack only honours a marker at a word edge (snake_case_name stays as is) and never with
// whitespace just inside it (`* not bold *`).
const markerRes = new Map(
  MARKERS.map((m) => {
    const c = m.ch === '*' ? '\\*' : m.ch; // the u flag rejects needless escapes like \_
    return [m.ch, new RegExp(`(?<![\\p{L}\\p{N}])${c}(?!\\s)([^${c}\\n]+?)(?<!\\s)${c}(?![\\p{L}\\p{N}])`, 'gu')];
  }),
);

// Each marker splits the text into a tree: inside and outside are formatted with the
// markers that remain, so the tags always nest properly.
function format(s: string, markers: Marker[]): string {
  const [m, ...rest] = markers;
  if (m === undefined) return s;
  const re = markerRes.get(m.ch)!;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (const match of s.matchAll(re)) {
    out += format(s.slice(last, match.index), rest);
    out += `<${m.tag}>${format(match[1] ?? '', rest)}</${m.tag}>`;
    last = match.index + match[0].length;
  }
  return out + format(s.slice(last), rest);
}

/** Tokens (links, mentions, dates) are live inside code, as in Slack, but markers are not. */
function codeText(s: string, ctx: MrkdwnContext): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(/<([^<>\n]*)>/g)) {
    out += escapeHtml(decodeSlackEntities(s.slice(last, m.index)));
    out += angleToken(m[1] ?? '', ctx);
    last = m.index + m[0].length;
  }
  return out + escapeHtml(decodeSlackEntities(s.slice(last)));
}

function inline(line: string, ctx: MrkdwnContext): string {
  const held: string[] = [];
  const hold = (html: string): string => `${PH_OPEN}${held.push(html) - 1}${PH_CLOSE}`;
  let text = '';
  let last = 0;
  for (const m of line.matchAll(/<([^<>\n]*)>|`([^`\n]+)`/g)) {
    text += emojify(escapeHtml(decodeSlackEntities(line.slice(last, m.index))));
    text += m[1] !== undefined ? hold(angleToken(m[1], ctx)) : hold(`<code class="bk-code">${codeText(m[2] ?? '', ctx)}</code>`);
    last = m.index + m[0].length;
  }
  text += emojify(escapeHtml(decodeSlackEntities(line.slice(last))));
  return format(text, MARKERS).replace(PH_RE, (_m, i: string) => held[Number(i)] ?? '');
}

const QUOTE = /^(?:>|&gt;) ?/;

function prose(s: string, ctx: MrkdwnContext): string {
  const parts: string[] = [];
  let quote: string[] = [];
  let plain: string[] = [];
  const flushQuote = (): void => {
    if (quote.length) parts.push(`<blockquote class="bk-quote">${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  const flushPlain = (): void => {
    if (plain.length) parts.push(plain.join('<br>'));
    plain = [];
  };
  for (const line of s.split('\n')) {
    if (QUOTE.test(line)) {
      flushPlain();
      quote.push(inline(line.replace(QUOTE, ''), ctx));
    } else {
      flushQuote();
      plain.push(inline(line, ctx));
    }
  }
  flushQuote();
  flushPlain();
  return parts.join('');
}

/** mrkdwn text (as Slack stores it: &amp; &lt; &gt; already escaped by the sender) → HTML. */
export function renderMrkdwn(text: string, ctx: MrkdwnContext): string {
  const s = String(text).replace(/[\uE000\uE001]/g, '\uFFFD').replace(/\r\n?/g, '\n');
  const chunks: Array<{ pre: boolean; text: string }> = [];
  let last = 0;
  for (const m of s.matchAll(/```([\s\S]*?)```/g)) {
    chunks.push({ pre: false, text: s.slice(last, m.index) }, { pre: true, text: (m[1] ?? '').replace(/^\n/, '') });
    last = m.index + m[0].length;
  }
  chunks.push({ pre: false, text: s.slice(last) });
  // A pre block is a block of its own: the newline on either side of it is not an extra line.
  return chunks
    .map((c, i) => {
      if (c.pre) return `<pre class="bk-pre">${codeText(c.text, ctx)}</pre>`;
      let t = c.text;
      if (i > 0) t = t.replace(/^\n/, '');
      if (i < chunks.length - 1) t = t.replace(/\n$/, '');
      return t === '' && chunks.length > 1 ? '' : prose(t, ctx);
    })
    .join('');
}

/** A text object {type:'plain_text'|'mrkdwn', text, emoji?} → HTML (plain_text is only escaped, newlines → <br>). */
export function renderTextObject(obj: unknown, ctx: MrkdwnContext): string {
  if (typeof obj !== 'object' || obj === null) return '';
  const { type, text } = obj as { type?: unknown; text?: unknown };
  if (typeof text !== 'string') return '';
  if (type === 'mrkdwn') return renderMrkdwn(text, ctx);
  const escaped = escapeHtml(text).replace(/\r?\n/g, '<br>');
  return (obj as { emoji?: unknown }).emoji === false ? escaped : emojify(escaped);
}

/** The text of a plain_text object as a string (not HTML), or '' when it is not one. */
export function plainText(obj: unknown): string {
  if (typeof obj !== 'object' || obj === null) return '';
  const text = (obj as { text?: unknown }).text;
  return typeof text === 'string' ? text : '';
}
