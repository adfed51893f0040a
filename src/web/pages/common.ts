// What every page shares: reading the form, CSRF, sealed proofs and the friendly problem
// pages (a used/expired link → 410, an invalid one → 404, a bad form → 403, busy → 503).
// The token pages' skeleton (gate, post limits, refusals) is in token-form-route.ts.
import type { CoreDeps } from '../../core/deps.js';
import type { Locale } from '../../core/types.js';
import type { WebRequest, WebResponse } from '../http.js';
import { expectMediaType, utf8Text } from '../request-body.js';
import { issueCsrf, verifyCsrf } from './csrf.js';
import { langOf, pickLocale, t } from './i18n.js';
import { html, page, type Html, type PageContext } from './layout.js';

export const FORM_MAX_BODY = 16 * 1024;

export function pathOf(req: WebRequest): string {
  return req.path.replace(/\/+$/, '') || '/';
}

/** A form post's fields. Another Content-Type throws HttpError(415), before the body is read. */
export async function readForm(req: WebRequest): Promise<URLSearchParams> {
  expectMediaType(req, 'application/x-www-form-urlencoded');
  const raw = await req.body(); // an oversized body throws HttpError(413)
  return new URLSearchParams(utf8Text(raw)); // bytes that are not UTF-8 throw HttpError(400)
}

export const str = (form: URLSearchParams, name: string, max = 1024): string => (form.get(name) ?? '').slice(0, max);

/**
 * A page's context: its language (`?lang=` first, then `accountLocale` when a token names an
 * account, then Accept-Language) and its language switch, which stores the choice only
 * where `store` is set (a token page, the owner's own link).
 */
export function ctxOf(deps: CoreDeps, req: WebRequest, accountLocale: Locale | null = null, store = false): PageContext {
  const locale = pickLocale(accountLocale, req.headers['accept-language'], langOf(req.query));
  return { locale, publicUrl: deps.policy.publicUrl, switcher: { path: pathOf(req), store } };
}

/** `?lang=xx` when the page was asked in a language, for its links to the other pages; else ''. */
export function langQuery(req: WebRequest): string {
  const lang = langOf(req.query);
  return lang ? `?lang=${lang}` : '';
}

/** A form's action on a page without a token: its path, keeping a `?lang=` chosen by the switch. */
export function actionOf(req: WebRequest): string {
  const lang = langOf(req.query);
  return lang ? `${pathOf(req)}?lang=${lang}` : pathOf(req);
}

/** Renders a page holding a form: a fresh CSRF nonce goes into the cookie and the field. */
export function formPage(deps: CoreDeps, req: WebRequest, ctx: PageContext, status: number, title: string, body: (csrf: string) => Html): WebResponse {
  const csrf = issueCsrf(deps.secrets, deps.policy.publicUrl, pathOf(req));
  return page(ctx, status, title, body(csrf.field), { 'set-cookie': csrf.cookie }, csrf.field);
}

export function csrfOk(deps: CoreDeps, req: WebRequest, form: URLSearchParams): boolean {
  return verifyCsrf(deps.secrets, req, form.get('csrf'));
}

export function csrfRejected(ctx: PageContext): WebResponse {
  return page(ctx, 403, t(ctx.locale, 'csrfTitle'), html`<p>${t(ctx.locale, 'csrfNext')}</p>`);
}

export function linkProblem(ctx: PageContext, code: string): WebResponse {
  const { locale, publicUrl } = ctx;
  const title = code === 'token_used' ? t(locale, 'linkUsedTitle') : code === 'token_expired' ? t(locale, 'linkExpiredTitle') : t(locale, 'linkInvalidTitle');
  const status = code === 'token_used' || code === 'token_expired' ? 410 : 404;
  const [before = '', after = ''] = t(locale, 'linkNext').split('{forgot}');
  return page(ctx, status, title, html`<p>${before}<a href="${publicUrl}/forgot">${publicUrl}/forgot</a>${after}</p>`);
}

/** A proof sealed for one link, carried between a page's steps in a hidden field. */
export function sealProof(deps: CoreDeps, kind: string, tokenHash: string, data: Record<string, string>, ttlMs = 10 * 60_000): string {
  return deps.secrets.seal(JSON.stringify({ ...data, tokenHash, exp: deps.clock.now() + ttlMs }), `web-proof:${kind}`);
}

export function openProof(deps: CoreDeps, kind: string, tokenHash: string, sealed: string): Record<string, string> | null {
  if (!sealed || sealed.length > 4096) return null;
  try {
    const value = JSON.parse(deps.secrets.open(sealed, `web-proof:${kind}`)) as Record<string, unknown>;
    if (value.tokenHash !== tokenHash || typeof value.exp !== 'number' || value.exp <= deps.clock.now()) return null;
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return null;
  }
}

/** 503 "busy, try again in a moment": the hashing line is full, nothing was looked at. */
export function busyPage(ctx: PageContext): WebResponse {
  const busy = page(ctx, 503, t(ctx.locale, 'busyTitle'), html`<p>${t(ctx.locale, 'busyNext')}</p>`);
  return { ...busy, headers: { ...busy.headers, 'retry-after': '1' } };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
