// A tiny typed HTML renderer for emails. Every value is escaped; a link is allowed only
// when it points under PUBLIC_URL or to http(s); no external resource, no script, no
// style sheet: the document is self-contained and shows the same lines as the text part.

/** One block of an email's body. */
export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string }
  /** Something to copy exactly (the temporary password). */
  | { kind: 'code'; text: string };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The link as it may appear in an email, or an error: under PUBLIC_URL or http(s) only. */
export function checkedHref(href: string, publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const underPublic = base !== '' && (href === base || href.startsWith(`${base}/`));
  if (!underPublic && !/^https?:\/\/[^\s]+$/i.test(href)) throw new Error('an email link must point to PUBLIC_URL or http(s)');
  if ([...href].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new Error('an email link may not contain whitespace or control characters');
  }
  return href;
}

export interface HtmlEmail {
  lang: string;
  title: string;
  blocks: readonly Block[];
  /** Small print below the body (signature, "sent automatically"). */
  footer: readonly string[];
  publicUrl: string;
}

const P = 'margin:0 0 16px 0;';

function block(b: Block, publicUrl: string): string {
  switch (b.kind) {
    case 'text':
      return `<p style="${P}">${escapeHtml(b.text)}</p>`;
    case 'link': {
      const href = escapeHtml(checkedHref(b.href, publicUrl));
      return `<p style="${P}"><a href="${href}" style="color:#1a56db;word-break:break-all;">${href}</a></p>`;
    }
    case 'code':
      return `<p style="${P}"><code style="font-family:monospace;font-size:16px;padding:4px 8px;background:#f2f2f2;">${escapeHtml(b.text)}</code></p>`;
  }
}

export function renderHtmlEmail(email: HtmlEmail): string {
  const body = email.blocks.map((b) => block(b, email.publicUrl)).join('\n');
  const footer = email.footer.map((line) => escapeHtml(line)).join('<br>\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(email.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(email.title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2328;background:#ffffff;">',
    '<div style="max-width:600px;">',
    body,
    `<p style="margin:24px 0 0 0;font-size:13px;color:#57606a;">${footer}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
