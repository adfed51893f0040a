// /activate/<token>: the first password, a PIN and a security question, through activateAccount.
import { activateAccount } from '../../core/accounts.js';
import type { CoreDeps } from '../../core/deps.js';
import type { Route } from '../http.js';
import { str } from './common.js';
import { t } from './i18n.js';
import { field } from './layout.js';
import { newPasswordFields, postedNewPassword } from './new-password.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export function activateRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/activate/:token',
      purposes: ['activation'],
      open(page) {
        const { locale } = page;
        const show = (status: number, error?: string) =>
          page.fields(status, t(locale, 'activateTitle'), [
            ...newPasswordFields(deps, locale),
            field({ name: 'pin', label: t(locale, 'pinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric', hint: t(locale, 'pinHint') }),
            field({ name: 'question', label: t(locale, 'questionLabel'), autocomplete: 'off' }),
            field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' }),
          ], error);
        return {
          show: () => show(200),
          async act(body, actor) {
            const posted = postedNewPassword(body);
            if (!posted.ok) return show(400, posted.message(locale));
            const done = await activateAccount(deps, actor, page.secret, {
              password: posted.password,
              pin: str(body, 'pin', 64),
              securityQuestion: str(body, 'question', 400),
              securityAnswer: str(body, 'answer', 400),
            });
            if (done.ok) return page.done(t(locale, 'activated'));
            // Activated already (a second tab, a double click): nothing to fix in the form.
            if (done.code === 'already_active') return page.done(done.message(locale), 410);
            return page.refused(done, (message) => show(400, message));
          },
        };
      },
    }),
  ];
}
