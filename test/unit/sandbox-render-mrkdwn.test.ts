// Slack mrkdwn → HTML for the sandbox console: each construct, hostile input, and dates
// in the viewer's time zone and locale.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, renderMrkdwn, renderTextObject, type MrkdwnContext } from '../../src/sandbox/console/render-mrkdwn.js';

const NOW = 1_700_000_000_000; // 2023-11-14T22:13:20Z

function ctx(over: Partial<MrkdwnContext> = {}): MrkdwnContext {
  return {
    timeZone: 'UTC',
    locale: 'en-US',
    userName: (id) => ({ U1: 'Ann', W2: 'Bo <b>' })[id],
    channelName: (id) => ({ C1: 'general', G2: 'secret' })[id],
    now: () => NOW,
    ...over,
  };
}

const r = (text: string, over: Partial<MrkdwnContext> = {}): string => renderMrkdwn(text, ctx(over));
const link = (href: string, label: string): string => `<a href="${href}" target="_blank" rel="noopener">${label}</a>`;
const mention = (t: string): string => `<span class="bk-mention">${t}</span>`;

describe('renderMrkdwn: formatting', () => {
  it.each([
    ['plain words', 'plain words'],
    ['*bold*', '<b>bold</b>'],
    ['_italic_', '<i>italic</i>'],
    ['~strike~', '<s>strike</s>'],
    ['`code`', '<code class="bk-code">code</code>'],
    ['*bold _and italic_*', '<b>bold <i>and italic</i></b>'],
    ['a *b* c', 'a <b>b</b> c'],
    ['(*b*)', '(<b>b</b>)'],
    ['snake_case_name', 'snake_case_name'],
    ['2*3*4', '2*3*4'],
    ['* not bold *', '* not bold *'],
    ['*unclosed', '*unclosed'],
    ['*a _b* c_', '<b>a _b</b> c_'],
    ['`*not bold* _nor italic_`', '<code class="bk-code">*not bold* _nor italic_</code>'],
    ['one\ntwo', 'one<br>two'],
    ['```pre *x*\nline 2```', '<pre class="bk-pre">pre *x*\nline 2</pre>'],
    ['before\n```\ncode\n```\nafter', 'before<pre class="bk-pre">code\n</pre>after'],
    ['> quoted\n> twice\nnot', '<blockquote class="bk-quote">quoted<br>twice</blockquote>not'],
    ['&gt; quoted as Slack stores it', '<blockquote class="bk-quote">quoted as Slack stores it</blockquote>'],
    ['> *bold* quote', '<blockquote class="bk-quote"><b>bold</b> quote</blockquote>'],
  ])('%j', (input, html) => {
    expect(r(input)).toBe(html);
  });
});

describe('renderMrkdwn: links and mentions', () => {
  it.each([
    ['<https://x.example|label>', link('https://x.example', 'label')],
    ['<https://x.example>', link('https://x.example', 'https://x.example')],
    ['<http://x.example/a?b=1&amp;c=2|q>', link('http://x.example/a?b=1&amp;c=2', 'q')],
    ['<mailto:a@b.example|mail me>', link('mailto:a@b.example', 'mail me')],
    ['<https://x.example/a_b_c*d*|the _label_>', link('https://x.example/a_b_c*d*', 'the _label_')],
    ['*see <https://x.example|here>*', `<b>see ${link('https://x.example', 'here')}</b>`],
    ['<javascript:alert(1)|click>', 'click'],
    ['<javascript:alert(1)>', '&lt;javascript:alert(1)&gt;'],
    ['<data:text/html,hi|x>', 'x'],
    ['<@U1>', mention('@Ann')],
    ['<@W2>', mention('@Bo &lt;b&gt;')],
    ['<@U404>', mention('@U404')],
    ['<@U404|carol>', mention('@carol')],
    ['<#C1>', mention('#general')],
    ['<#C404|random>', mention('#random')],
    ['<#C404>', mention('#C404')],
    ['<!here>', mention('@here')],
    ['<!channel>', mention('@channel')],
    ['<!everyone>', mention('@everyone')],
    ['<!subteam^S1|@team>', mention('@team')],
    ['<!subteam^S1>', mention('@S1')],
    ['`<@U1>`', `<code class="bk-code">${mention('@Ann')}</code>`],
  ])('%j', (input, html) => {
    expect(r(input)).toBe(html);
  });
});

describe('renderMrkdwn: escaping', () => {
  it.each([
    ['&lt;b&gt;bold?&lt;/b&gt;', '&lt;b&gt;bold?&lt;/b&gt;'],
    ['Tom &amp; Jerry', 'Tom &amp; Jerry'],
    ['&amp;lt; stays visible as &amp;lt;', '&amp;lt; stays visible as &amp;lt;'],
    ['"quotes" and \'single\'', '&quot;quotes&quot; and &#39;single&#39;'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<https://x.example/"onmouseover="alert(1)|x>', link('https://x.example/&quot;onmouseover=&quot;alert(1)', 'x')],
    ['a < b > c', 'a &lt; b &gt; c'],
    ['\uE0000\uE001 forged placeholder', '\uFFFD0\uFFFD forged placeholder'],
  ])('%j', (input, html) => {
    expect(r(input)).toBe(html);
  });

  it('escapeHtml covers both quote styles', () => {
    expect(escapeHtml(`<a href='x' title="y">&</a>`)).toBe('&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;');
  });

  const TAGS = new Set(['b', 'i', 's', 'code', 'pre', 'br', 'blockquote', 'a', 'span', 'time']);

  it('for any string: never throws, never <script, only its own tags', () => {
    const pieces = fc.constantFrom('<', '>', '&lt;', '&amp;', '*', '_', '~', '`', '```', '\n', '> ', '|', '@U1', '#C1', '!date^1^{time}', 'https://x', 'javascript:', 'script', '"', "'", '\uE000', '\uE001');
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(fc.oneof(pieces, fc.string({ maxLength: 3 }))).map((a) => a.join('')));
    fc.assert(
      fc.property(text, (s) => {
        const html = r(s);
        expect(html.toLowerCase()).not.toContain('<script');
        for (const m of html.matchAll(/<\/?([^\s>/]*)/g)) expect(TAGS).toContain(m[1]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('renderMrkdwn: dates', () => {
  const token = '<!date^1700000000^{date_short_pretty} at {time}|fallback>';

  it('formats in the viewer time zone, wrapped in <time>', () => {
    const paris = r(token, { timeZone: 'Europe/Paris', now: () => NOW - 10 * 86_400_000 });
    const la = r(token, { timeZone: 'America/Los_Angeles', now: () => NOW - 10 * 86_400_000 });
    expect(paris).toMatch(/^<time datetime="2023-11-14T22:13:20.000Z" class="bk-date">Nov 14, 2023 at 11:13\sPM<\/time>$/u);
    expect(la).toMatch(/>Nov 14, 2023 at 2:13\sPM</u);
  });

  it('uses the locale', () => {
    const fr = r('<!date^1700000000^{date_long} {time}|x>', { timeZone: 'Europe/Paris', locale: 'fr-FR' });
    expect(fr).toContain('mardi 14 novembre 2023 23:13');
    expect(r('<!date^1700000000^{date_pretty}|x>', { locale: 'fr-FR' })).toContain('>aujourd’hui<');
  });

  it.each([
    ['{date_num}', '2023-11-14'],
    ['{date}', 'November 14, 2023'],
    ['{date_short}', 'Nov 14, 2023'],
    ['{date_long}', 'Tuesday, November 14, 2023'],
    ['{date_pretty}', 'today'],
    ['{date_long_pretty}', 'today'],
    ['{time_secs}', /10:13:20\sPM/u],
    ['on {date_num}, {nope}', 'on 2023-11-14, {nope}'],
  ])('%s', (format, expected) => {
    const html = r(`<!date^1700000000^${format}|fb>`);
    if (typeof expected === 'string') expect(html).toContain(`>${expected}<`);
    else expect(html).toMatch(expected);
  });

  it('pretty dates say yesterday and tomorrow, {ago} is relative to now', () => {
    expect(r('<!date^1700000000^{date_pretty}|x>', { now: () => NOW + 86_400_000 })).toContain('>yesterday<');
    expect(r('<!date^1700000000^{date_pretty}|x>', { now: () => NOW - 86_400_000 })).toContain('>tomorrow<');
    expect(r('<!date^1700000000^{date_short_pretty}|x>', { now: () => NOW + 5 * 86_400_000 })).toContain('>Nov 14, 2023<');
    expect(r('<!date^1700000000^{ago}|x>', { now: () => NOW + 3 * 60_000 })).toContain('>3 minutes ago<');
    expect(r('<!date^1700000000^{ago}|x>', { now: () => NOW + 2 * 3_600_000 })).toContain('>2 hours ago<');
    expect(r('<!date^1700000000^{ago}|x>', { now: () => NOW - 3 * 86_400_000 })).toContain('>in 3 days<');
  });

  it('links a date with a safe ^link only', () => {
    expect(r('<!date^1700000000^{date_num}^https://x.example/e|fb>')).toBe(
      link('https://x.example/e', '<time datetime="2023-11-14T22:13:20.000Z" class="bk-date">2023-11-14</time>'),
    );
    expect(r('<!date^1700000000^{date_num}^javascript:alert(1)|fb>')).not.toContain('<a');
  });

  it.each([
    ['<!date^soon^{date}|next week>', 'next week'],
    ['<!date^99999999999999^{date}|far &lt;future&gt;>', 'far &lt;future&gt;'],
    ['<!date^^{date}|empty>', 'empty'],
  ])('shows the fallback for %j', (input, html) => {
    expect(r(input)).toBe(html);
  });

  it('shows the fallback for a bad time zone', () => {
    expect(r('<!date^1700000000^{date}|fb>', { timeZone: 'Not/AZone' })).toBe('fb');
  });
});

describe('renderTextObject', () => {
  it.each([
    [{ type: 'plain_text', text: '*not bold* <b>&amp;\nline' }, '*not bold* &lt;b&gt;&amp;amp;<br>line'],
    [{ type: 'plain_text', text: ':smile:', emoji: true }, ':smile:'],
    [{ type: 'mrkdwn', text: '*bold* &lt;x&gt;' }, '<b>bold</b> &lt;x&gt;'],
    [{ type: 'mrkdwn', text: 42 }, ''],
    [null, ''],
    ['text', ''],
  ])('%j', (obj, html) => {
    expect(renderTextObject(obj, ctx())).toBe(html);
  });
});

describe('emoji shortcodes', () => {
  const ctx2 = { timeZone: 'UTC', locale: 'en-US', userName: () => undefined, channelName: () => undefined };
  it.each([
    [':unlock: Unlocked', '🔓 Unlocked'],
    [':large_blue_circle: Open', '🔵 Open'],
    [':not_a_known_one: stays', ':not_a_known_one: stays'],
    ['`:lock:` in code', '<code class="bk-code">:lock:</code> in code'],
  ])('%s', (input, html) => {
    expect(renderMrkdwn(input, ctx2)).toBe(html);
  });
});
