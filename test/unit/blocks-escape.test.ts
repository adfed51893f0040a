// User text in Block Kit: escaped so it can't ping or pose as a link, and cut to Slack's limits.
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate, userText } from '../../handlers/blocks/escape.js';
import { limitProblems } from '../../handlers/blocks/limits.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<#C123|general>', '&lt;#C123|general&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<https://evil.example|click me>', '&lt;https://evil.example|click me&gt;'],
    ['&lt; already', '&amp;lt; already'],
    ['plain words', 'plain words'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeMrkdwn(raw)).toBe(escaped);
  });

  it('neutralises bare @channel, @here and @everyone, and drops control characters', () => {
    const out = escapeMrkdwn('hey @channel @Here @everyone mail@heresy.com\u0000\u0007!');
    expect(out).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(out).toContain('@\u2060channel');
    expect(out).toContain('mail@heresy.com');
    expect(out.endsWith('!')).toBe(true);
    expect(out.includes('\u0000') || out.includes('\u0007')).toBe(false);
  });
});

describe('truncate and userText', () => {
  it('leaves short text alone and cuts long text to the limit with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('x'.repeat(5000), 3000);
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair or an entity', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    for (let max = 2; max < 30; max += 1) {
      const out = userText('a<b&c>d'.repeat(10), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/&[a-z]*…$/);
    }
  });

  it('keeps a 5,000-character hostile text within 3,000 characters and harmless', () => {
    const hostile = '<!channel> <@U123> & <script>x</script> @here '.repeat(120);
    expect(hostile.length).toBeGreaterThan(5000);
    const out = userText(hostile);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).not.toMatch(/<[!@#]/);
    expect(out).not.toContain('<script>');
    expect(limitProblems([{ type: 'section', text: { type: 'mrkdwn', text: out } }])).toEqual([]);
  });
});

describe('limitProblems', () => {
  it('reports what breaks Slack limits', () => {
    const problems = limitProblems(
      [
        ...Array.from({ length: 51 }, () => ({ type: 'divider' })),
        { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
        { type: 'actions', elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'ok' }, value: 'v'.repeat(2001) }] },
      ],
      50,
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/53 blocks > 50/);
  });
});
