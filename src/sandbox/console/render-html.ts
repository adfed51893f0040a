// The escaping and URL rules every console renderer shares.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in single- or double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Slack senders escape exactly these three; decoding once turns `&amp;lt;` into the text `&lt;`. */
export function decodeSlackEntities(s: string): string {
  return s.replace(/&(amp|lt|gt);/g, (_m, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Only these schemes become links: `javascript:` and friends stay inert text. */
export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.trim());
}

export function link(url: string, labelHtml: string): string {
  return `<a href="${escapeHtml(url.trim())}" target="_blank" rel="noopener">${labelHtml}</a>`;
}
