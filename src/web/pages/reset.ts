// /reset/<token>: a forgot-password link (purpose `reset`) asks the security question
// first; a right answer leads to the new-password form, carrying a sealed, expiring proof
// {tokenHash, exp} (never the answer). An admin's set-password link skips the question.
// Wrong answers count on the link: five void it. After a right answer the form also
// offers a new PIN, so someone who forgot only the PIN recovers alone.
import type { CoreDeps } from '../../core/deps.js';
import { resetPasswordByToken, verifyResetAnswer } from '../../core/passwords.js';
import { refuse } from '../../core/refusal.js';
import type { Route } from '../http.js';
import { openProof, sealProof, str } from './common.js';
import { t } from './i18n.js';
import { field, form, html } from './layout.js';
import { newPasswordFields, postedNewPassword } from './new-password.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export function resetRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/reset/:token',
      purposes: ['reset', 'set_password'],
      cantVerify: 'reset_page',
      open(page) {
        const { token, account, locale, path } = page;
        const question = token.purpose === 'reset' && account.security_answer_hash ? account.security_question : null;
        const askQuestion = (status: number, error?: string) =>
          page.form(status, t(locale, 'resetTitle'), (csrf) =>
            html`<p>${t(locale, 'questionIntro')}</p><p class="question"><strong>${question ?? ''}</strong></p>${form(path, csrf, locale, [field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' })], error)}${page.cantVerifyForm(csrf)}`,
          );
        const askPassword = (status: number, error?: string) =>
          page.form(status, t(locale, 'resetTitle'), (csrf) => {
            // After a right answer the forgot link also stands in for a forgotten PIN.
            const afterAnswer =
              question === null
                ? []
                : [
                    field({ name: 'proof', label: '', type: 'hidden', value: sealProof(deps, 'reset', token.token_hash, {}) }),
                    field({ name: 'newpin', label: t(locale, 'resetPinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric', hint: t(locale, 'resetPinHint'), optional: true }),
                    field({ name: 'newpin2', label: t(locale, 'newPin2Label'), type: 'password', autocomplete: 'off', inputmode: 'numeric', optional: true }),
                  ];
            return form(path, csrf, locale, [...newPasswordFields(deps, locale), ...afterAnswer], error);
          });
        return {
          show: () => (question === null ? askPassword(200) : askQuestion(200)),
          async act(body, actor) {
            let answerVerified = false;
            if (question !== null) {
              if (openProof(deps, 'reset', token.token_hash, str(body, 'proof', 4096))) {
                answerVerified = true;
              } else {
                if (!body.has('answer')) return askQuestion(400);
                const checked = await verifyResetAnswer(deps, page.secret, str(body, 'answer'), actor);
                if (!checked.ok) return page.refused(checked, (message) => askQuestion(400, message));
                return askPassword(200);
              }
            }
            const posted = postedNewPassword(body);
            if (!posted.ok) return askPassword(400, posted.message(locale));
            const newPin = answerVerified ? str(body, 'newpin', 64) : '';
            if (answerVerified && newPin !== str(body, 'newpin2', 64)) return askPassword(400, refuse('pin_mismatch').message(locale));
            const done = await resetPasswordByToken(deps, actor, page.secret, { newPassword: posted.password, answerVerified, ...(newPin ? { newPin } : {}) });
            if (!done.ok) return page.refused(done, (message) => askPassword(400, message));
            return page.done(t(locale, 'passwordChanged'));
          },
        };
      },
    }),
  ];
}
