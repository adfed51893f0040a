// User text in Block Kit: Slack reads `&`, `<` and `>` as markup (links, `<!channel>`,
// `<@U123>` mentions), so a display name or a note could otherwise ping a whole channel
// or pose as a link. Everything a person typed goes through escapeMrkdwn before it is
// put in a mrkdwn text; truncate keeps any text inside Slack's limits.

/** Slack's cap on a section's or a context element's text. */
export const MAX_TEXT = 3000;

// A word joiner after the `@` keeps "@here" readable while Slack no longer sees a keyword.
const WORD_JOINER = '\u2060';
// Control characters other than tab and newline have no business in a message.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function escapeMrkdwn(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, `@${WORD_JOINER}$1`);
}

/**
 * At most `max` characters, ending in "…" when cut. Never splits a surrogate pair or an
 * entity that escapeMrkdwn made (a dangling `&am` would show as text).
 */
export function truncate(text: string, max: number = MAX_TEXT): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

/** User text ready for mrkdwn: escaped, then cut to `max`. */
export function userText(text: string, max: number = MAX_TEXT): string {
  return truncate(escapeMrkdwn(text), max);
}
