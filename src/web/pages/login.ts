// /login: a demo form over the core's login (no session is kept). Every failure shows the
// same generic text. On otp_required we never echo the password back into the page: the
// second step shows `login` (prefilled), an empty `password` (asked again) and `otp`.
// A temporary-password sign-in redirects (303) to its change-password link.
import { webActor, type CoreDeps } from '../../core/deps.js';
import { findAccountById } from '../../store/accounts.js';
import { login } from '../../core/login.js';
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
        const show = (status: number, opts: { login?: string; otp?: boolean; byCode?: boolean; error?: string } = {}): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'loginTitle'), (csrf) =>
            html`${opts.otp ? html`<p>${t(locale, opts.byCode ? 'otpCodeIntro' : 'otpIntro')}</p>` : ''}${form(
              actionOf(req),
              csrf,
              locale,
              [
                field({ name: 'login', label: t(locale, 'loginLabel'), autocomplete: 'username', value: opts.login ?? '' }),
                field({ name: 'password', label: t(locale, 'passwordOnlyLabel'), type: 'password', autocomplete: 'current-password' }),
                ...(opts.otp ? [field({ name: 'otp', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' })] : []),
              ],
              opts.error,
            )}<p><a href="${ctx.publicUrl}/forgot${langQuery(req)}">${t(locale, 'forgotLink')}</a></p>`,
          );
        if (req.method === 'GET') return show(200);
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const name = str(body, 'login', 320).trim();
        if (!(await limiter.hit(`login:${req.clientAddress}`))) return show(429, { login: name, error: t(locale, 'tooMany') });
        const otp = str(body, 'otp', 16).replace(/\s+/g, '');
        const outcome = await login(deps, webActor(req.clientAddress), { login: name, password: str(body, 'password'), otp: otp || undefined });
        if (!outcome.ok) {
          if (outcome.error === 'busy') return busyPage(ctx);
          return outcome.error === 'otp_required' ? show(401, { login: name, otp: true, byCode: !(outcome.methods ?? ['totp']).includes('totp') }) : show(401, { login: name, error: t(locale, 'loginFailed') });
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
