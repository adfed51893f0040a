// The one skeleton of the pages behind an emailed or DMed link (/activate, /change-password,
// /reset, /mfa/enroll): gate (the link's token and account, or a problem page) → show the
// form on GET → on POST, the busy page and the per-link/per-address limits, then read the
// form, check CSRF, and act. Each page brings only its own views and its own call to core.
// The link is its owner's own (a signed-in flow), so its language switch stores the choice:
// a POST to `<path>?lang=xx` with the page's CSRF field sets the account's locale (chosen)
// and redirects (303) to the page, shown in it. Never on a GET: a mail scanner that
// prefetches `?lang=` links must change nothing (a GET with `?lang=` only shows the page in it).
import { actorFromAccount } from '../../core/authority.js';
import { webActor, type Actor, type CoreDeps } from '../../core/deps.js';
import { setLocale } from '../../core/locale.js';
import { findAccountById } from '../../store/accounts.js';
import type { Refusal } from '../../core/refusal.js';
import type { Locale } from '../../core/types.js';
import { requestManualVerification, type VerificationVia } from '../../core/identity-verification.js';
import { inspectToken } from '../../core/tokens.js';
import type { TokenPurpose } from '../../core/types.js';
import type { AccountRow, TokenRow } from '../../store/schema.js';
import type { Route, WebRequest, WebResponse } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { busyPage, csrfOk, csrfRejected, ctxOf, FORM_MAX_BODY, formPage, linkProblem, pathOf, readForm } from './common.js';
import { langOf, t } from './i18n.js';
import { form, html, page, PAGE_HEADERS, type Html, type PageContext, type SecondButton } from './layout.js';

/** Form posts on the pages that hash, counted in Redis per client address and per link. */
export interface PostLimits {
  perAddress: RateLimiter;
  perLink: RateLimiter;
}

type Answer = WebResponse | Promise<WebResponse>;

/** What a token page knows once its link passed the gate. */
export interface TokenPage {
  deps: CoreDeps;
  req: WebRequest;
  token: TokenRow;
  account: AccountRow;
  ctx: PageContext;
  locale: Locale;
  /** The page's own path (the form posts back to it). */
  path: string;
  /** The link's secret, as the core's token functions take it. */
  secret: string;
  /** A page holding a form, with a fresh CSRF nonce in the cookie and the field. */
  form(status: number, title: string, body: (csrf: string) => Html): WebResponse;
  /** The usual case of `form`: one form of `fields` posting back to the page, with `error` above it (and a `second` button). */
  fields(status: number, title: string, fields: Html[], error?: string, second?: SecondButton): WebResponse;
  /** A core refusal: a link problem or `busy` gets its page, anything else `showForm(message)`. */
  refused(refusal: Refusal, showForm: (message: string) => Answer): Answer;
  /** A closing page with a link to sign in. */
  done(title: string, status?: number): WebResponse;
  /** The "I can't answer" form (a person verifies instead), for a page whose spec has `cantVerify`. */
  cantVerifyForm(csrf: string): Html;
  /** A closing page that says what happens next, in a sentence. */
  notice(title: string, text: string, status?: number): WebResponse;
}

/** A page's own part: what GET shows, and what a checked POST does with the form. */
export interface TokenForm {
  show(): Answer;
  act(body: URLSearchParams, actor: Actor): Answer;
}

export interface TokenFormSpec {
  path: `/${string}/:token`;
  purposes: readonly TokenPurpose[];
  /**
   * The page asks a security answer or PIN: it may offer "I can't answer", which opens a
   * manual_verification ticket (a person verifies) instead of another guess.
   */
  cantVerify?: VerificationVia;
  /** Called once the gate passed, on GET and POST alike: the page's views and action. */
  open(page: TokenPage): TokenForm;
}

export function tokenFormRoute(deps: CoreDeps, limits: PostLimits, spec: TokenFormSpec): Route {
  return {
    method: ['GET', 'POST'],
    path: spec.path,
    maxBody: FORM_MAX_BODY,
    async handle(req) {
      const gate = await tokenGate(deps, req, spec.purposes);
      if (!gate.ok) return gate.response;
      const { ctx, token, account } = gate;
      const { locale } = ctx;
      const own = spec.open({
        deps,
        req,
        token,
        account,
        ctx,
        locale,
        path: pathOf(req),
        secret: req.params.token ?? '',
        form: (status, title, body) => formPage(deps, req, ctx, status, title, body),
        fields: (status, title, fields, error, second) => formPage(deps, req, ctx, status, title, (csrf) => form(pathOf(req), csrf, locale, fields, error, undefined, second)),
        refused: (refusal, showForm) => refusalPage(ctx, refusal.code, () => showForm(refusal.message(locale))),
        done: (title, status = 200) => page(ctx, status, title, html`<p><a href="${ctx.publicUrl}/login">${t(locale, 'loginTitle')}</a></p>`),
        notice: (title, text, status = 200) => page(ctx, status, title, html`<p>${text}</p>`),
        cantVerifyForm: (csrf) =>
          html`<section id="cant-answer"><p><small>${t(locale, 'cantAnswerIntro')}</small></p><form method="post" action="${pathOf(req)}">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="cant_verify" value="1">
<p><button type="submit">${t(locale, 'cantAnswerButton')}</button></p>
</form></section>`,
      });
      if (req.method === 'GET') return own.show();
      const lang = langOf(req.query);
      if (lang) return switchLanguage(deps, req, account, lang, ctx);
      const guarded = await postGuard(deps, limits, req, token, ctx);
      if (guarded) return guarded;
      const body = await readForm(req);
      if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
      if (spec.cantVerify && body.get('cant_verify') === '1') {
        const asked = await requestManualVerification(deps, webActor(req.clientAddress), account.id, spec.cantVerify);
        if (!asked.ok) return linkProblem(ctx, 'token_invalid');
        return page(ctx, 200, t(locale, 'cantAnswerButton'), html`<p>${t(locale, 'cantAnswerDone')}</p>`);
      }
      return own.act(body, webActor(req.clientAddress));
    },
  };
}

/** The switch's POST: CSRF, then the owner's choice stored (audited), then the page again in it. */
async function switchLanguage(deps: CoreDeps, req: WebRequest, account: AccountRow, lang: Locale, ctx: PageContext): Promise<WebResponse> {
  const body = await readForm(req);
  if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
  const set = await setLocale(deps, actorFromAccount(account, req.clientAddress), account.id, lang, { chosen: true });
  if (!set.ok) return page(ctx, 400, set.message(ctx.locale), html``);
  // A relative Location: the same page on whatever host served it.
  return { status: 303, headers: { ...PAGE_HEADERS, location: pathOf(req) }, body: '' };
}

function isTokenProblem(code: string): boolean {
  return code === 'token_invalid' || code === 'token_used' || code === 'token_expired';
}

type Gate = { ok: true; token: TokenRow; account: AccountRow; ctx: PageContext } | { ok: false; response: WebResponse };

/** Looks up the link's token (without using it) and its account; a problem becomes its page. */
async function tokenGate(deps: CoreDeps, req: WebRequest, purposes: readonly TokenPurpose[]): Promise<Gate> {
  const secret = req.params.token ?? '';
  const found = await inspectToken(deps, secret, purposes);
  const account = found.ok ? await findAccountById(deps.db, found.token.account_id) : undefined;
  if (!found.ok || !account) {
    const ctx = ctxOf(deps, req);
    return { ok: false, response: linkProblem(ctx, found.ok ? 'token_invalid' : found.code) };
  }
  return { ok: true, token: found.token, account, ctx: ctxOf(deps, req, account.locale, true) };
}

/**
 * What a page that hashes checks before it reads a posted form: a full hashing line
 * answers 503 "busy" at once, and past the per-address or per-link budget a polite 429.
 * Links are counted by their stored hash, so Redis never holds one in clear.
 */
async function postGuard(deps: CoreDeps, limits: PostLimits, req: WebRequest, token: TokenRow, ctx: PageContext): Promise<WebResponse | null> {
  if (deps.hasher.busy) return busyPage(ctx);
  const withinAddress = await limits.perAddress.hit(`page:${req.clientAddress}`);
  const withinLink = withinAddress && (await limits.perLink.hit(`link:${token.token_hash}`));
  if (withinAddress && withinLink) return null;
  const tooMany = page(ctx, 429, t(ctx.locale, 'tooManyTitle'), html`<p>${t(ctx.locale, 'tooManyNext')}</p>`);
  return { ...tooMany, headers: { ...tooMany.headers, 'retry-after': '600' } };
}

/**
 * How a page answers a core refusal: a link problem gets its page, `busy` the busy page,
 * anything else the form again with the message.
 */
function refusalPage(ctx: PageContext, code: string, showForm: () => Answer): Answer {
  if (isTokenProblem(code)) return linkProblem(ctx, code);
  if (code === 'busy') return busyPage(ctx);
  return showForm();
}
