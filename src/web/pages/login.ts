// /login: a demo form over the core's login (no session is kept). Every failure shows the
// same generic text. On otp_required we never echo the password back into the page: the
// second step shows `login` (prefilled), an empty `password` (asked again) and `otp`.
// For an email or SMS account the second step also has "Send me a code": it posts the
// same fields with `send`, and the core sends a code as POST /api/v1/otp does (a password
// check that counts toward the lockout); the page then says the same words whatever
// happened, so it tells no more than the API's 202.
// A temporary-password sign-in redirects (303) to its change-password link.
import { webActor, type CoreDeps } from '../../core/deps.js';
import { findAccountById } from '../../store/accounts.js';
import { login } from '../../core/login.js';
import { requestLoginCode } from '../../core/login-code.js';
import { channelOf } from '../../core/second-factor.js';
import type { OtpChannel } from '../../core/types.js';
import type { Route, WebResponse } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { actionOf, busyPage, csrfOk, csrfRejected, ctxOf, FORM_MAX_BODY, formPage, langQuery, readForm, str } from './common.js';
import { t } from './i18n.js';
import { field, form, html, page, PAGE_HEADERS } from './layout.js';

export function loginRoutes(deps: CoreDeps, limiter: RateLimiter): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/login',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const ctx = ctxOf(deps, req);
        const { locale } = ctx;
        /** `byCode`: the account's code channel (its second step offers "Send me a code"); `sent`: one was just asked for. */
        const show = (status: number, opts: { login?: string; otp?: boolean; byCode?: OtpChannel; sent?: boolean; error?: string } = {}): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'loginTitle'), (csrf) =>
            html`${opts.otp ? html`<p>${intro(opts)}</p>` : ''}${form(
              actionOf(req),
              csrf,
              locale,
              [
                field({ name: 'login', label: t(locale, 'loginLabel'), autocomplete: 'username', value: opts.login ?? '' }),
                field({ name: 'password', label: t(locale, 'passwordOnlyLabel'), type: 'password', autocomplete: 'current-password' }),
                ...(opts.otp ? [field({ name: 'otp', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' })] : []),
                ...(opts.byCode ? [field({ name: 'method', label: '', type: 'hidden', value: opts.byCode })] : []),
              ],
              opts.error,
              undefined,
              opts.byCode ? { name: 'send', value: '1', label: t(locale, 'otpSendButton') } : undefined,
            )}<p><a href="${ctx.publicUrl}/forgot${langQuery(req)}">${t(locale, 'forgotLink')}</a></p>`,
          );
        const intro = (opts: { byCode?: OtpChannel; sent?: boolean }): string => {
          if (!opts.byCode) return t(locale, 'otpIntro');
          return t(locale, opts.sent ? (`otpSent.${opts.byCode}` as const) : (`otpSendIntro.${opts.byCode}` as const));
        };
        if (req.method === 'GET') return show(200);
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const name = str(body, 'login', 320).trim();
        if (!(await limiter.hit(`login:${req.clientAddress}`))) return show(429, { login: name, error: t(locale, 'tooMany') });
        const method = body.get('method');
        if (body.get('send') === '1' && (method === 'email' || method === 'sms')) {
          // The same page whatever happened (unknown login, wrong password, locked, limit):
          // only a full hashing line answers otherwise, as on the API.
          const result = await requestLoginCode(deps, webActor(req.clientAddress), { login: name, password: str(body, 'password'), method });
          if (result === 'busy') return busyPage(ctx);
          return show(200, { login: name, otp: true, byCode: method, sent: true });
        }
        const otp = str(body, 'otp', 16).replace(/\s+/g, '');
        const outcome = await login(deps, webActor(req.clientAddress), { login: name, password: str(body, 'password'), otp: otp || undefined });
        if (!outcome.ok) {
          if (outcome.error === 'busy') return busyPage(ctx);
          if (outcome.error !== 'otp_required') return show(401, { login: name, error: t(locale, 'loginFailed') });
          const channel = channelOf(outcome.methods?.[0] ?? 'totp');
          return show(401, { login: name, otp: true, ...(channel ? { byCode: channel } : {}) });
        }
        if (outcome.mustChangePassword && outcome.changePasswordLink) {
          return { status: 303, headers: { ...PAGE_HEADERS, location: outcome.changePasswordLink }, body: '' };
        }
        const account = await findAccountById(deps.db, outcome.accountId);
        const who = account ? `${account.display_name} (${account.email})` : outcome.accountId;
        return page(ctx, 200, t(locale, 'signedIn', { name: who }), html``);
      },
    },
  ];
}
