// /activate/<token>: the first password, a PIN and a security question, through activateAccount.
import { activateAccount } from '../../core/accounts.js';
import { webActor, type CoreDeps } from '../../core/deps.js';
import { refuse } from '../../core/refusal.js';
import type { Route, WebResponse } from '../http.js';
import { csrfOk, csrfRejected, FORM_MAX_BODY, formPage, pathOf, postGuard, readForm, refusalPage, str, tokenGate, type PostLimits } from './common.js';
import { t } from './i18n.js';
import { field, form, html, page } from './layout.js';
import { newPasswordFields } from './reset.js';

export function activateRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/activate/:token',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const gate = await tokenGate(deps, req, ['activation']);
        if (!gate.ok) return gate.response;
        const { ctx, token } = gate;
        const { locale } = ctx;
        const show = (status: number, error?: string): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'activateTitle'), (csrf) =>
            form(
              pathOf(req),
              csrf,
              locale,
              [
                ...newPasswordFields(deps, locale),
                field({ name: 'pin', label: t(locale, 'pinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric', hint: t(locale, 'pinHint') }),
                field({ name: 'question', label: t(locale, 'questionLabel'), autocomplete: 'off' }),
                field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' }),
              ],
              error,
            ),
          );
        if (req.method === 'GET') return show(200);
        const guarded = await postGuard(deps, limits, req, token, ctx);
        if (guarded) return guarded;
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const password = str(body, 'password');
        if (password !== str(body, 'password2')) return show(400, refuse('password_mismatch').message(locale));
        const done = await activateAccount(deps, webActor(req.clientAddress), req.params.token ?? '', {
          password,
          pin: str(body, 'pin', 64),
          securityQuestion: str(body, 'question', 400),
          securityAnswer: str(body, 'answer', 400),
        });
        if (!done.ok) {
          if (done.code === 'already_active') return page(ctx, 410, done.message(locale), html`<p><a href="${ctx.publicUrl}/login">${t(locale, 'loginTitle')}</a></p>`);
          return refusalPage(ctx, done.code, () => show(400, done.message(locale)));
        }
        return page(ctx, 200, t(locale, 'activated'), html`<p><a href="${ctx.publicUrl}/login">${t(locale, 'loginTitle')}</a></p>`);
      },
    },
  ];
}
