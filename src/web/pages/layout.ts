// The pages' frame: security headers, HTML escaping and a small form builder.
// No inline script or style: the CSS is a served file (/assets/keydesk.css).
import type { Locale } from '../../core/types.js';
import type { WebResponse } from '../http.js';
import { t } from './i18n.js';

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Already-escaped HTML, so builders can nest without escaping twice. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v));
}

export interface PageContext {
  locale: Locale;
  publicUrl: string;
  /**
   * Where the language switch points: the page's own path. `store: true` on a token page
   * (the owner followed their own link): the switch posts, with the page's CSRF field, and
   * the choice is stored on the account. Otherwise it is two links, `?lang=en` / `?lang=fr`.
   */
  switcher?: { path: string; store: boolean };
}

const LANGUAGES: readonly { locale: Locale; name: string }[] = [
  { locale: 'en', name: 'English' },
  { locale: 'fr', name: 'Français' },
];

/**
 * "English · Français" at the foot of every page (no script: the CSP forbids it). A GET
 * never changes anything (a mail scanner prefetching a link must not choose a language),
 * so where the choice is stored it is a POST form per language, with the CSRF field; a
 * page without a form to carry one (and every page without a token) uses links.
 */
function languageSwitch(ctx: PageContext, csrf: string | undefined): Html {
  const sw = ctx.switcher;
  if (!sw) return html``;
  const label = t(ctx.locale, 'languageSwitch');
  const items = LANGUAGES.map(({ locale, name }) => {
    if (locale === ctx.locale) return html`<strong lang="${locale}" aria-current="true">${name}</strong>`;
    const target = `${sw.path}?lang=${locale}`;
    if (sw.store && csrf) {
      return html`<form method="post" action="${target}" class="lang-choice"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" lang="${locale}" hreflang="${locale}">${name}</button></form>`;
    }
    return html`<a href="${target}" lang="${locale}" hreflang="${locale}">${name}</a>`;
  });
  return html`<nav class="lang" aria-label="${label}">${items.flatMap((item, i) => (i === 0 ? [item] : [html` · `, item]))}</nav>`;
}

/** A whole page; `csrf` is the field of the page's form, when it has one (the switch may then post). */
export function page(ctx: PageContext, status: number, title: string, body: Html, headers: Record<string, string> = {}, csrf?: string): WebResponse {
  const doc = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · keydesk</title>
<link rel="stylesheet" href="/assets/keydesk.css">
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>${languageSwitch(ctx, csrf)}<p class="browsers">${t(ctx.locale, 'browsers')}</p></footer>
</body>
</html>
`;
  return { status, headers: { ...PAGE_HEADERS, ...headers }, body: doc.value };
}

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'hidden';
  /** Only ever for non-secret values (a login name, never a password, PIN or answer). */
  value?: string;
  autocomplete?: string;
  hint?: string;
  inputmode?: 'numeric';
  /** The field may be left empty (every field is required otherwise). */
  optional?: boolean;
  /** Keeps ids unique when one page holds several forms with the same field names. */
  scope?: string;
}

export function field(f: Field): Html {
  const id = f.scope ? `f-${f.scope}-${f.name}` : `f-${f.name}`;
  if (f.type === 'hidden') return html`<input type="hidden" name="${f.name}" value="${f.value ?? ''}">`;
  return html`<p><label for="${id}">${f.label}</label>
<input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${f.value ?? ''}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.optional ? '' : ' required'}>${f.hint ? html`<br><small>${f.hint}</small>` : ''}</p>
`;
}

/** A group of radio buttons (the first checked unless `checked` names another): a choice among a few options. */
export function choice(name: string, legend: string, options: { value: string; label: string }[], checked?: string): Html {
  const selected = checked ?? options[0]?.value;
  return html`<fieldset><legend>${legend}</legend>
${options.map((o) => html`<p><label><input type="radio" id="f-${name}-${o.value}" name="${name}" value="${o.value}"${o.value === selected ? ' checked' : ''}> ${o.label}</label></p>
`)}</fieldset>
`;
}

/**
 * A second submit button, after the form's own: it posts `name=value` with the other
 * fields, unchecked by the browser (formnovalidate), since it asks for something the
 * fields are not all needed for (a code sent, before the code can be typed).
 */
export interface SecondButton {
  name: string;
  value: string;
  label: string;
}

/** A form posting back to its own path, with its CSRF field first. */
export function form(path: string, csrf: string, locale: Locale, fields: Html[], error?: string | null, submitLabel?: string, second?: SecondButton): Html {
  // The form's own button comes first, so Enter in a field submits it, not the second one.
  const other = second ? html` <button type="submit" name="${second.name}" value="${second.value}" formnovalidate class="secondary">${second.label}</button>` : '';
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}<form method="post" action="${path}">
<input type="hidden" name="csrf" value="${csrf}">
${fields}<p><button type="submit">${submitLabel ?? t(locale, 'submit')}</button>${other}</p>
</form>
`;
}
