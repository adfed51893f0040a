// /change-password/<token>: the Slack DM's link (or a temporary-password sign-in's):
// current password, PIN and the new one, through changeOwnPassword.
import type { CoreDeps } from '../../core/deps.js';
import { changeOwnPassword } from '../../core/passwords.js';
import type { Route } from '../http.js';
import { str } from './common.js';
import { t } from './i18n.js';
import { field } from './layout.js';
import { newPasswordFields, postedNewPassword } from './new-password.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export function changePasswordRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/change-password/:token',
      purposes: ['change_password'],
      open(page) {
        const { locale } = page;
        const show = (status: number, error?: string) =>
          page.fields(status, t(locale, 'changeTitle'), [
            field({ name: 'current', label: t(locale, 'currentLabel'), type: 'password', autocomplete: 'current-password' }),
            ...newPasswordFields(deps, locale),
            field({ name: 'pin', label: t(locale, 'pinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric' }),
          ], error);
        return {
          show: () => show(200),
          async act(body, actor) {
            const posted = postedNewPassword(body);
            if (!posted.ok) return show(400, posted.message(locale));
            const done = await changeOwnPassword(deps, actor, page.secret, {
              currentPassword: str(body, 'current'),
              newPassword: posted.password,
              pin: str(body, 'pin', 64),
            });
            if (!done.ok) return page.refused(done, (message) => show(400, message));
            return page.done(t(locale, 'passwordChanged'));
          },
        };
      },
    }),
  ];
}
