// /set-security/<token>: the link a person's verification earned (a manual_verification
// ticket marked verified). No current answer or PIN is asked — the helpdesk vouched for
// them — only the new question, answer and PIN, and optionally a new address, which starts
// the usual email change (the new inbox confirms it).
import type { CoreDeps } from '../../core/deps.js';
import { completeSecurityReset } from '../../core/identity-verification.js';
import { refuse } from '../../core/refusal.js';
import type { Route } from '../http.js';
import { str } from './common.js';
import { t } from './i18n.js';
import { field, form, html } from './layout.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export function setSecurityRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/set-security/:token',
      purposes: ['security_reset'],
      open(page) {
        const { locale, path } = page;
        const show = (status: number, error?: string) =>
          page.form(status, t(locale, 'setSecurityTitle'), (csrf) =>
            html`<p>${t(locale, 'setSecurityIntro')}</p>${form(
              path,
              csrf,
              locale,
              [
                field({ name: 'question', label: t(locale, 'newQuestionLabel'), autocomplete: 'off' }),
                field({ name: 'answer', label: t(locale, 'newAnswerLabel'), autocomplete: 'off' }),
                field({ name: 'newpin', label: t(locale, 'newPinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric', hint: t(locale, 'pinHint') }),
                field({ name: 'newpin2', label: t(locale, 'newPin2Label'), type: 'password', autocomplete: 'off', inputmode: 'numeric' }),
                field({ name: 'email', label: t(locale, 'optionalEmailLabel'), type: 'email', autocomplete: 'email', optional: true }),
              ],
              error,
            )}`,
          );
        return {
          show: () => show(200),
          async act(body, actor) {
            const newPin = str(body, 'newpin', 64);
            if (newPin !== str(body, 'newpin2', 64)) return show(400, refuse('pin_mismatch').message(locale));
            const done = await completeSecurityReset(deps, actor, page.secret, {
              newQuestion: str(body, 'question', 400),
              newAnswer: str(body, 'answer', 400),
              newPin,
              newEmail: str(body, 'email', 320),
            });
            if (!done.ok) return page.refused(done, (message) => show(400, message));
            const text = done.emailChange ? `${t(locale, 'setSecurityDone')} ${t(locale, 'setSecurityEmail', { email: done.emailChange })}` : t(locale, 'setSecurityDone');
            return page.notice(t(locale, 'setSecurityTitle'), text);
          },
        };
      },
    }),
  ];
}
