// /change-password/<token>: the Slack DM's link (or a temporary-password sign-in's):
// current password, PIN and the new one, through changeOwnPassword.
import { webActor, type CoreDeps } from '../../core/deps.js';
import { changeOwnPassword } from '../../core/passwords.js';
import { refuse } from '../../core/refusal.js';
import type { Route, WebResponse } from '../http.js';
import { csrfOk, csrfRejected, FORM_MAX_BODY, formPage, pathOf, postGuard, readForm, refusalPage, str, tokenGate, type PostLimits } from './common.js';
import { t } from './i18n.js';
import { field, form } from './layout.js';
import { newPasswordFields, passwordChangedPage } from './reset.js';

export function changePasswordRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/change-password/:token',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const gate = await tokenGate(deps, req, ['change_password']);
        if (!gate.ok) return gate.response;
        const { ctx, token } = gate;
        const { locale } = ctx;
        const show = (status: number, error?: string): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'changeTitle'), (csrf) =>
            form(
              pathOf(req),
              csrf,
              locale,
              [
                field({ name: 'current', label: t(locale, 'currentLabel'), type: 'password', autocomplete: 'current-password' }),
                ...newPasswordFields(deps, locale),
                field({ name: 'pin', label: t(locale, 'pinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric' }),
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
        const done = await changeOwnPassword(deps, webActor(req.clientAddress), req.params.token ?? '', {
          currentPassword: str(body, 'current'),
          newPassword: password,
          pin: str(body, 'pin', 64),
        });
        if (!done.ok) return refusalPage(ctx, done.code, () => show(400, done.message(locale)));
        return passwordChangedPage(ctx);
      },
    },
  ];
}
