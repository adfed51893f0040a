// What every page shares: reading the form, CSRF, the token gate and the friendly
// problem pages (a used/expired link → 410, an invalid one → 404, a bad form → 403).
import type { CoreDeps } from '../../core/deps.js';
import { findAccountById } from '../../core/identity.js';
import type { Locale, TokenPurpose } from '../../core/types.js';
import { inspectToken } from '../../core/tokens.js';
import type { AccountRow, TokenRow } from '../../store/schema.js';
import { expectMediaType, utf8Text, type WebRequest, type WebResponse } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { issueCsrf, verifyCsrf } from './csrf.js';
import { pickLocale, t } from './i18n.js';
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

export function ctxOf(deps: CoreDeps, locale: Locale): PageContext {
  return { locale, publicUrl: deps.policy.publicUrl };
}

/** Renders a page holding a form: a fresh CSRF nonce goes into the cookie and the field. */
export function formPage(deps: CoreDeps, req: WebRequest, ctx: PageContext, status: number, title: string, body: (csrf: string) => Html): WebResponse {
  const csrf = issueCsrf(deps.secrets, deps.policy.publicUrl, pathOf(req));
  return page(ctx, status, title, body(csrf.field), { 'set-cookie': csrf.cookie });
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

export function isTokenProblem(code: string): boolean {
  return code === 'token_invalid' || code === 'token_used' || code === 'token_expired';
}

export type Gate = { ok: true; token: TokenRow; account: AccountRow; ctx: PageContext } | { ok: false; response: WebResponse };

/** Looks up the link's token (without using it) and its account; a problem becomes its page. */
export async function tokenGate(deps: CoreDeps, req: WebRequest, purposes: readonly TokenPurpose[]): Promise<Gate> {
  const secret = req.params.token ?? '';
  const found = await inspectToken(deps, secret, purposes);
  const account = found.ok ? await findAccountById(deps.db, found.token.account_id) : undefined;
  if (!found.ok || !account) {
    const ctx = ctxOf(deps, pickLocale(null, req.headers['accept-language']));
    return { ok: false, response: linkProblem(ctx, found.ok ? 'token_invalid' : found.code) };
  }
  return { ok: true, token: found.token, account, ctx: ctxOf(deps, pickLocale(account.locale, req.headers['accept-language'])) };
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

/** Form posts on the pages that hash, counted in Redis per client address and per link. */
export interface PostLimits {
  perAddress: RateLimiter;
  perLink: RateLimiter;
}

/**
 * What a page that hashes checks before it reads a posted form: a full hashing line
 * answers 503 "busy" at once, and past the per-address or per-link budget a polite 429.
 * Links are counted by their stored hash, so Redis never holds one in clear.
 */
export async function postGuard(deps: CoreDeps, limits: PostLimits, req: WebRequest, token: TokenRow, ctx: PageContext): Promise<WebResponse | null> {
  if (deps.hasher.busy) return busyPage(ctx);
  const withinAddress = await limits.perAddress.hit(`page:${req.clientAddress}`);
  const withinLink = withinAddress && (await limits.perLink.hit(`link:${token.token_hash}`));
  if (withinAddress && withinLink) return null;
  const tooMany = page(ctx, 429, t(ctx.locale, 'tooManyTitle'), html`<p>${t(ctx.locale, 'tooManyNext')}</p>`);
  return { ...tooMany, headers: { ...tooMany.headers, 'retry-after': '600' } };
}

/** 503 "busy, try again in a moment": the hashing line is full, nothing was looked at. */
export function busyPage(ctx: PageContext): WebResponse {
  const busy = page(ctx, 503, t(ctx.locale, 'busyTitle'), html`<p>${t(ctx.locale, 'busyNext')}</p>`);
  return { ...busy, headers: { ...busy.headers, 'retry-after': '1' } };
}

/**
 * How a page answers a core refusal: a link problem gets its page, `busy` the busy page,
 * anything else the form again with the message.
 */
export function refusalPage(ctx: PageContext, code: string, showForm: () => WebResponse): WebResponse {
  if (isTokenProblem(code)) return linkProblem(ctx, code);
  if (code === 'busy') return busyPage(ctx);
  return showForm();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
