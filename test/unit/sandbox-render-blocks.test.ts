// Block Kit → HTML for the sandbox console: each block and element, the attributes the
// console's client script reads, and how unknown or hostile input is shown.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderBlocks, renderView, type RenderContext } from '../../src/sandbox/console/render-blocks.js';

const ctx: RenderContext = {
  timeZone: 'UTC',
  locale: 'en-US',
  userName: (id) => ({ U1: 'Ann', U2: 'Bo' })[id],
  channelName: (id) => ({ C1: 'general' })[id],
  now: () => 1_700_000_000_000,
  users: [
    { id: 'U1', name: 'Ann' },
    { id: 'U2', name: 'Bo "the boss"' },
  ],
};

const html = (blocks: unknown): string => renderBlocks(blocks, ctx).html;
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const md = (text: string) => ({ type: 'mrkdwn', text });
const opt = (text: string, value: string) => ({ text: plain(text), value });

const unescape = (s: string): string =>
  s.replace(/&(quot|#39|lt|gt|amp);/g, (_m, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e] ?? '');

/** Every value of a single-quoted attribute, JSON-parsed after unescaping. */
function attrs(out: string, name: string): unknown[] {
  return [...out.matchAll(new RegExp(`${name}='([^']*)'`, 'g'))].map((m) => JSON.parse(unescape(m[1] ?? '')) as unknown);
}

describe('renderBlocks: layout blocks', () => {
  it.each([
    ['header', [{ type: 'header', text: plain('Reset <now>') }], '<div class="bk-block bk-header" data-block-id="b0"><h2 class="bk-header-text">Reset &lt;now&gt;</h2></div>'],
    ['divider', [{ type: 'divider', block_id: 'd' }], '<div class="bk-block bk-divider" data-block-id="d"><hr class="bk-divider-line"></div>'],
    [
      'section text',
      [{ type: 'section', text: md('*Hi* <@U1>') }],
      '<div class="bk-block bk-section" data-block-id="b0"><div class="bk-section-body"><div class="bk-section-text"><b>Hi</b> <span class="bk-mention">@Ann</span></div></div></div>',
    ],
    [
      'section fields',
      [{ type: 'section', fields: [md('*User*\nann'), plain('b & c')] }],
      '<div class="bk-block bk-section" data-block-id="b0"><div class="bk-section-body"><div class="bk-fields"><div class="bk-field"><b>User</b><br>ann</div><div class="bk-field">b &amp; c</div></div></div></div>',
    ],
    [
      'context',
      [{ type: 'context', elements: [md('_small_'), plain('grey'), { type: 'image', image_url: 'https://i.example/a.png', alt_text: 'a' }] }],
      '<div class="bk-block bk-context" data-block-id="b0"><span class="bk-context-text"><i>small</i></span><span class="bk-context-text">grey</span><img class="bk-context-image" src="https://i.example/a.png" alt="a" loading="lazy" referrerpolicy="no-referrer"></div>',
    ],
    [
      'image',
      [{ type: 'image', image_url: 'https://i.example/x.png', alt_text: 'chart "Q1"', title: plain('Q1') }],
      '<div class="bk-block bk-image" data-block-id="b0"><figure class="bk-figure"><figcaption class="bk-image-title">Q1</figcaption><img class="bk-image" src="https://i.example/x.png" alt="chart &quot;Q1&quot;" loading="lazy" referrerpolicy="no-referrer"></figure></div>',
    ],
    [
      'image with an unsafe url',
      [{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'nope' }],
      '<div class="bk-block bk-image" data-block-id="b0"><figure class="bk-figure"><span class="bk-image bk-image-placeholder">nope</span></figure></div>',
    ],
  ])('%s', (_name, blocks, expected) => {
    const out = renderBlocks(blocks, ctx);
    expect(out.html).toBe(expected);
    expect(out.warnings).toEqual([]);
  });

  it('a section image accessory', () => {
    const out = html([{ type: 'section', text: plain('x'), accessory: { type: 'image', image_url: 'http://i.example/p.png', alt_text: 'p' } }]);
    expect(out).toContain('<div class="bk-accessory"><img class="bk-accessory-image" src="http://i.example/p.png" alt="p" loading="lazy" referrerpolicy="no-referrer"></div>');
  });
});

describe('renderBlocks: rich_text', () => {
  const rt = (elements: unknown[]) => [{ type: 'rich_text', block_id: 'r', elements }];
  it.each([
    [
      'styles',
      [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'b', style: { bold: true } }, { type: 'text', text: 'i', style: { italic: true } }, { type: 'text', text: 's', style: { strike: true } }, { type: 'text', text: '<c>', style: { code: true } }] }],
      '<div class="bk-rt-section"><b>b</b><i>i</i><s>s</s><code class="bk-code">&lt;c&gt;</code></div>',
    ],
    [
      'link, user, channel, emoji, broadcast',
      [{ type: 'rich_text_section', elements: [{ type: 'link', url: 'https://x.example', text: 'x' }, { type: 'link', url: 'javascript:1', text: 'bad' }, { type: 'user', user_id: 'U1' }, { type: 'channel', channel_id: 'C1' }, { type: 'emoji', name: 'tada' }, { type: 'broadcast', range: 'here' }] }],
      '<div class="bk-rt-section"><a href="https://x.example" target="_blank" rel="noopener">x</a>bad<span class="bk-mention">@Ann</span><span class="bk-mention">#general</span>🎉<span class="bk-mention">@here</span></div>',
    ],
    [
      'date',
      [{ type: 'rich_text_section', elements: [{ type: 'date', timestamp: 1700000000, format: '{date_num}', fallback: 'then' }] }],
      '<div class="bk-rt-section"><time datetime="2023-11-14T22:13:20.000Z" class="bk-date">2023-11-14</time></div>',
    ],
    [
      'lists',
      [
        { type: 'rich_text_list', style: 'bullet', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }] },
        { type: 'rich_text_list', style: 'ordered', indent: 1, elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'two' }] }] },
      ],
      '<ul class="bk-rt-list bk-indent-0"><li>one</li></ul><ol class="bk-rt-list bk-indent-1"><li>two</li></ol>',
    ],
    [
      'preformatted and quote',
      [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'a *b*' }] }, { type: 'rich_text_quote', elements: [{ type: 'text', text: 'q' }] }],
      '<pre class="bk-pre">a *b*</pre><blockquote class="bk-quote">q</blockquote>',
    ],
  ])('%s', (_name, elements, inner) => {
    const out = renderBlocks(rt(elements), ctx);
    expect(out.html).toBe(`<div class="bk-block bk-rich_text" data-block-id="r">${inner}</div>`);
    expect(out.warnings).toEqual([]);
  });
});

describe('renderBlocks: interactive elements', () => {
  it('buttons carry data-action, styles and a url as a link', () => {
    const out = html([
      {
        type: 'actions',
        block_id: 'act',
        elements: [
          { type: 'button', action_id: 'go', text: plain("Go <'now'>"), value: 'v"1', style: 'primary' },
          { type: 'button', action_id: 'stop', text: plain('Stop'), style: 'danger' },
          { type: 'button', action_id: 'plain', text: plain('Plain'), style: 'weird' },
          { type: 'button', action_id: 'open', text: plain('Open'), url: 'https://x.example/?a=1&b=2' },
          { type: 'button', action_id: 'js', text: plain('JS'), url: 'javascript:alert(1)' },
        ],
      },
    ]);
    expect(out).toContain(`<button type="button" class="bk-button bk-primary" data-action='`);
    expect(out).toContain('>Go &lt;&#39;now&#39;&gt;</button>');
    expect(out).toContain('class="bk-button bk-danger"');
    expect(out).toContain('<a class="bk-button" href="https://x.example/?a=1&amp;b=2" target="_blank" rel="noopener" data-action=');
    expect(out).not.toContain('javascript:');
    expect(attrs(out, 'data-action')).toEqual([
      { type: 'button', action_id: 'go', block_id: 'act', value: 'v"1', text: "Go <'now'>", style: 'primary' },
      { type: 'button', action_id: 'stop', block_id: 'act', text: 'Stop', style: 'danger' },
      { type: 'button', action_id: 'plain', block_id: 'act', text: 'Plain' },
      { type: 'button', action_id: 'open', block_id: 'act', text: 'Open' },
      { type: 'button', action_id: 'js', block_id: 'act', text: 'JS' },
    ]);
  });

  it('overflow, static_select (with groups) and users_select', () => {
    const out = html([
      {
        type: 'actions',
        elements: [
          { type: 'overflow', action_id: 'more', options: [opt('Edit', 'edit'), opt('<Delete>', 'del')] },
          { type: 'static_select', action_id: 'pick', placeholder: plain('Choose'), options: [opt('A', 'a'), opt('B', 'b')], initial_option: opt('B', 'b') },
          { type: 'static_select', action_id: 'grp', option_groups: [{ label: plain('G1'), options: [opt('X', 'x')] }] },
          { type: 'users_select', action_id: 'who', initial_user: 'U2' },
        ],
      },
    ]);
    expect(out).toContain(`<select class="bk-overflow" data-action='`);
    expect(out).toContain('><option value="" selected>⋯</option><option value="edit">Edit</option><option value="del">&lt;Delete&gt;</option></select>');
    expect(out).toContain('><option value="">Choose</option><option value="a">A</option><option value="b" selected>B</option></select>');
    expect(out).toContain('<optgroup label="G1"><option value="x">X</option></optgroup>');
    expect(out).toContain('<option value="U1">Ann</option><option value="U2" selected>Bo &quot;the boss&quot;</option>');
    expect(attrs(out, 'data-action')).toEqual([
      { type: 'overflow', action_id: 'more', block_id: 'b0' },
      { type: 'static_select', action_id: 'pick', block_id: 'b0' },
      { type: 'static_select', action_id: 'grp', block_id: 'b0' },
      { type: 'users_select', action_id: 'who', block_id: 'b0' },
    ]);
  });

  it('a section accessory button and confirm defaults', () => {
    const out = html([{ type: 'section', block_id: 's"1', text: plain('x'), accessory: { type: 'button', action_id: 'a', text: plain('Do'), confirm: { text: md('*Sure?*') } } }]);
    expect(out).toContain('data-block-id="s&quot;1"');
    expect(attrs(out, 'data-action')).toEqual([{ type: 'button', action_id: 'a', block_id: 's"1', text: 'Do' }]);
    expect(attrs(out, 'data-confirm')).toEqual([{ title: 'Are you sure?', html: '<b>Sure?</b>', confirm: 'Yes', deny: 'Cancel' }]);
  });

  it('unsupported elements are shown as JSON with a warning', () => {
    const out = renderBlocks([{ type: 'actions', elements: [{ type: 'external_select', action_id: 'ext' }, { type: 'button', action_id: 'ok', text: plain('OK') }] }], ctx);
    expect(out.html).toContain('<div class="bk-unknown-element"><p class="bk-warning">Unsupported element &quot;external_select&quot;: shown as JSON</p><pre>');
    expect(out.html).toContain('&quot;action_id&quot;: &quot;ext&quot;');
    expect(out.html).toContain('>OK</button>');
    expect(out.warnings).toEqual(['Unsupported element "external_select" in actions "b0": shown as JSON']);
  });
});

describe('renderBlocks: a keydesk approval card', () => {
  const confirm = (title: string, text: string, ok: string, style?: string) => ({ title: plain(title), text: md(text), confirm: plain(ok), deny: plain('Back'), ...(style ? { style } : {}) });
  const card = [
    { type: 'header', text: plain('Approval needed') },
    { type: 'section', block_id: 'req', text: md('*<@U1>* asks to reset MFA for *ann &amp; co*'), fields: [md('*Ticket*\nKD-42'), md('*Requested*\n<!date^1700000000^{date_short} {time}|then>')] },
    {
      type: 'actions',
      block_id: 'approval:KD-42',
      elements: [
        { type: 'button', action_id: 'approve', text: plain('Approve'), value: 'KD-42', style: 'primary', confirm: confirm('Approve?', 'Reset MFA for *ann*?', 'Approve', 'primary') },
        { type: 'button', action_id: 'deny', text: plain('Deny'), value: 'KD-42', style: 'danger', confirm: confirm('Deny?', 'Deny &lt;KD-42&gt;?', 'Deny', 'danger') },
      ],
    },
    { type: 'context', elements: [md('Sent by keydesk')] },
  ];

  it('renders both buttons with data-confirm', () => {
    const out = renderBlocks(card, ctx);
    expect(out.warnings).toEqual([]);
    expect(out.html).toContain('<b><span class="bk-mention">@Ann</span></b> asks to reset MFA for <b>ann &amp; co</b>');
    expect(out.html).toContain('<div class="bk-field"><b>Requested</b><br><time datetime="2023-11-14T22:13:20.000Z" class="bk-date">');
    expect(attrs(out.html, 'data-action')).toEqual([
      { type: 'button', action_id: 'approve', block_id: 'approval:KD-42', value: 'KD-42', text: 'Approve', style: 'primary' },
      { type: 'button', action_id: 'deny', block_id: 'approval:KD-42', value: 'KD-42', text: 'Deny', style: 'danger' },
    ]);
    expect(attrs(out.html, 'data-confirm')).toEqual([
      { title: 'Approve?', html: 'Reset MFA for <b>ann</b>?', confirm: 'Approve', deny: 'Back', style: 'primary' },
      { title: 'Deny?', html: 'Deny &lt;KD-42&gt;?', confirm: 'Deny', deny: 'Back', style: 'danger' },
    ]);
    expect(out.html.match(/<button /g)).toHaveLength(2);
  });
});

describe('renderBlocks: input blocks', () => {
  const inputBlock = (element: unknown, extra: Record<string, unknown> = {}) => [{ type: 'input', block_id: 'in', label: plain('Reason'), element, ...extra }];

  it('wraps the control with label, optional, hint and an error slot', () => {
    const out = html(inputBlock({ type: 'plain_text_input', action_id: 'why', placeholder: plain('Say "why"'), initial_value: "it's <late>", min_length: 2, max_length: 50 }, { optional: true, hint: plain('Be brief') }));
    expect(out).toBe(
      '<div class="bk-block bk-input"><div class="bk-input-block" data-block-id="in"><label class="bk-label">Reason <span class="bk-optional">(optional)</span></label>' +
        `<input type="text" class="bk-text-input" name="in.why" data-input='{&quot;block_id&quot;:&quot;in&quot;,&quot;action_id&quot;:&quot;why&quot;,&quot;type&quot;:&quot;plain_text_input&quot;}' placeholder="Say &quot;why&quot;" value="it&#39;s &lt;late&gt;" minlength="2" maxlength="50">` +
        '<p class="bk-hint">Be brief</p><p class="bk-input-error" data-error-for="in"></p></div></div>',
    );
    expect(attrs(out, 'data-input')).toEqual([{ block_id: 'in', action_id: 'why', type: 'plain_text_input' }]);
  });

  it.each([
    ['multiline', { type: 'plain_text_input', action_id: 't', multiline: true, initial_value: '</textarea><script>' }, '<textarea class="bk-text-input bk-multiline" rows="4" name="in.t"', '>&lt;/textarea&gt;&lt;script&gt;</textarea>'],
    ['static_select', { type: 'static_select', action_id: 's', options: [opt('A', 'a'), opt('B', 'b')], initial_option: opt('A', 'a') }, '<select class="bk-select" name="in.s"', '<option value="a" selected>A</option><option value="b">B</option></select>'],
    ['users_select', { type: 'users_select', action_id: 'u', initial_user: 'U1' }, '<select class="bk-select" name="in.u"', '<option value="">Select a user</option><option value="U1" selected>Ann</option>'],
    ['radio_buttons', { type: 'radio_buttons', action_id: 'r', options: [opt('One', '1'), opt('Two', '2')], initial_option: opt('Two', '2') }, '<fieldset class="bk-radios" data-input=', '<input type="radio" name="in.r" value="2" checked>'],
    ['checkboxes', { type: 'checkboxes', action_id: 'c', options: [opt('One', '1'), { text: md('*Two*'), value: '2', description: md('_more_') }], initial_options: [opt('One', '1')] }, '<fieldset class="bk-checkboxs" data-input=', '<input type="checkbox" name="in.c" value="2"><span class="bk-option-text"><b>Two</b></span><span class="bk-option-desc"><i>more</i></span>'],
  ])('%s', (_name, element, start, has) => {
    const out = renderBlocks(inputBlock(element), ctx);
    expect(out.warnings).toEqual([]);
    expect(out.html).toContain(start);
    expect(out.html).toContain(has);
    const type = (element as { type: string }).type;
    const actionId = (element as { action_id: string }).action_id;
    expect(attrs(out.html, 'data-input')).toEqual([{ block_id: 'in', action_id: actionId, type }]);
  });

  it('an unsupported input element is shown as JSON inside the block', () => {
    const out = renderBlocks(inputBlock({ type: 'datepicker', action_id: 'd' }), ctx);
    expect(out.html).toContain('bk-unknown-element');
    expect(out.html).toContain('bk-input-error');
    expect(out.warnings).toEqual(['Unsupported element "datepicker" in input block "in": shown as JSON']);
  });
});

describe('renderBlocks: unknown, malformed and hostile input', () => {
  it('an unknown block is shown as escaped JSON with a warning', () => {
    const out = renderBlocks([{ type: 'video', title: '<script>alert(1)</script>' }, { type: 'divider' }], ctx);
    expect(out.html).toMatch(/^<div class="bk-unknown"><p class="bk-warning">Unknown block &quot;video&quot;: shown as JSON<\/p><pre>\{\n {2}&quot;type&quot;: &quot;video&quot;,/);
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html).not.toContain('<script');
    expect(out.html).toContain('bk-divider');
    expect(out.warnings).toEqual(['Unknown block "video" at 0: shown as JSON']);
  });

  it.each([
    ['a section without text or fields', { type: 'section' }],
    ['a section with a string as text', { type: 'section', text: 'hi' }],
    ['a button without text', { type: 'actions', elements: [{ type: 'button', action_id: 'x' }] }],
    ['an overflow without options', { type: 'actions', elements: [{ type: 'overflow', action_id: 'x' }] }],
    ['a header without text', { type: 'header' }],
    ['an input without a label', { type: 'input', element: { type: 'plain_text_input' } }],
    ['rich_text with an unknown part', { type: 'rich_text', elements: [{ type: 'rich_text_table' }] }],
  ])('%s is shown as JSON', (_name, block) => {
    const out = renderBlocks([block], ctx);
    expect(out.html).toMatch(/^<div class="bk-unknown"><p class="bk-warning">Malformed block &quot;/);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/^Malformed block "\w+" at 0 \(.+\): shown as JSON$/);
  });

  it.each([[null], ['blocks'], [{ type: 'section' }], [42]])('non-array blocks %j: a warning and nothing else', (blocks) => {
    const out = renderBlocks(blocks, ctx);
    expect(out.html).toBe('');
    expect(out.warnings).toHaveLength(1);
  });

  it('a block that throws while rendering is shown as JSON, not thrown', () => {
    const out = renderBlocks([{ type: 'section', text: md('<@U1>') }, { type: 'divider' }], { ...ctx, userName: () => { throw new Error('directory down'); } });
    expect(out.html).toContain('Malformed block &quot;section&quot; (could not render: directory down): shown as JSON');
    expect(out.html).toContain('bk-divider');
    expect(out.warnings).toEqual(['Malformed block "section" at 0 (could not render: directory down): shown as JSON']);
  });

  it('non-object and untyped entries are shown too', () => {
    const out = renderBlocks([null, 'x', { text: 'no type' }], ctx);
    expect(out.warnings).toEqual(['Unknown block "object" at 0: shown as JSON', 'Unknown block "string" at 1: shown as JSON', 'Unknown block "untyped" at 2: shown as JSON']);
    expect(out.html.match(/bk-unknown"/g)).toHaveLength(3);
  });

  const TAGS = new Set('div p pre h2 hr span img figure figcaption button a select option optgroup input textarea fieldset label ul ol li code b i s br blockquote time'.split(' '));

  it('never throws on arbitrary JSON and emits only its own tags', () => {
    const block = fc.record(
      {
        type: fc.constantFrom('section', 'actions', 'context', 'input', 'image', 'rich_text', 'header', 'divider', 'nope'),
        block_id: fc.string(),
        text: fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('mrkdwn', 'plain_text'), text: fc.string() })),
        fields: fc.jsonValue(),
        elements: fc.array(fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('button', 'overflow', 'static_select', 'users_select', 'text', 'rich_text_section', 'rich_text_list'), text: fc.jsonValue(), options: fc.jsonValue(), elements: fc.jsonValue(), confirm: fc.jsonValue() }, { requiredKeys: ['type'] }))),
        accessory: fc.jsonValue(),
        element: fc.jsonValue(),
        label: fc.jsonValue(),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(block)), (blocks) => {
        const out = renderBlocks(blocks, ctx);
        expect(out.html.toLowerCase()).not.toContain('<script');
        for (const m of out.html.matchAll(/<\/?([^\s>/]*)/g)) expect(TAGS).toContain(m[1]);
        renderView({ type: 'modal', title: blocks, blocks }, ctx);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('renderView', () => {
  it('a modal: escaped title, submit, close and its blocks', () => {
    const out = renderView({ type: 'modal', title: plain('Reset <MFA>'), submit: plain('Send'), close: plain('Back'), blocks: [{ type: 'divider' }] }, ctx);
    expect(out).toEqual({ html: '<div class="bk-block bk-divider" data-block-id="b0"><hr class="bk-divider-line"></div>', warnings: [], title: 'Reset &lt;MFA&gt;', submit: 'Send', close: 'Back' });
  });

  it('a modal without close gets Slack\'s "Cancel"; a home view has no title', () => {
    expect(renderView({ type: 'modal', title: plain('T'), blocks: [] }, ctx).close).toBe('Cancel');
    const home = renderView({ type: 'home', blocks: [{ type: 'header', text: plain('Home') }] }, ctx);
    expect(home.title).toBe('');
    expect(home.submit).toBeUndefined();
    expect(home.warnings).toEqual([]);
    expect(home.html).toContain('Home');
  });

  it.each([[null], ['view'], [[]]])('a non-object view %j warns', (view) => {
    const out = renderView(view, ctx);
    expect(out.html).toBe('');
    expect(out.warnings).toHaveLength(1);
  });
});
