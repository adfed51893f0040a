// /reset/<token>: a forgot-password link (purpose `reset`) asks the security question
// first; a right answer leads to the new-password form, carrying a sealed, expiring proof
// {tokenHash, exp} (never the answer). An admin's set-password link skips the question.
// Wrong answers count on the link: five void it.
import { webActor, type CoreDeps } from '../../core/deps.js';
import { resetPasswordByToken, verifyResetAnswer } from '../../core/passwords.js';
import { refuse } from '../../core/refusal.js';
import type { Locale } from '../../core/types.js';
import type { Route, WebResponse } from '../http.js';
import { csrfOk, csrfRejected, FORM_MAX_BODY, formPage, openProof, pathOf, postGuard, readForm, refusalPage, sealProof, str, tokenGate, type PostLimits } from './common.js';
import { t } from './i18n.js';
import { field, form, html, page, type Html, type PageContext } from './layout.js';

export function newPasswordFields(deps: CoreDeps, locale: Locale): Html[] {
  return [
    field({ name: 'password', label: t(locale, 'passwordLabel'), type: 'password', autocomplete: 'new-password', hint: t(locale, 'policy', { min: deps.policy.password.minLength }) }),
    field({ name: 'password2', label: t(locale, 'password2Label'), type: 'password', autocomplete: 'new-password' }),
  ];
}

export function passwordChangedPage(ctx: PageContext): WebResponse {
  return page(ctx, 200, t(ctx.locale, 'passwordChanged'), html`<p><a href="${ctx.publicUrl}/login">${t(ctx.locale, 'loginTitle')}</a></p>`);
}

export function resetRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/reset/:token',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const gate = await tokenGate(deps, req, ['reset', 'set_password']);
        if (!gate.ok) return gate.response;
        const { token, account, ctx } = gate;
        const { locale } = ctx;
        const path = pathOf(req);
        const secret = req.params.token ?? '';
        const question = token.purpose === 'reset' && account.security_answer_hash ? account.security_question : null;
        const askQuestion = (status: number, error?: string): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'resetTitle'), (csrf) =>
            html`<p>${t(locale, 'questionIntro')}</p><p class="question"><strong>${question ?? ''}</strong></p>${form(path, csrf, locale, [field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' })], error)}`,
          );
        const askPassword = (status: number, error?: string): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'resetTitle'), (csrf) => {
            const proof = question === null ? [] : [field({ name: 'proof', label: '', type: 'hidden', value: sealProof(deps, 'reset', token.token_hash, {}) })];
            return form(path, csrf, locale, [...proof, ...newPasswordFields(deps, locale)], error);
          });

        if (req.method === 'GET') return question === null ? askPassword(200) : askQuestion(200);
        const guarded = await postGuard(deps, limits, req, token, ctx);
        if (guarded) return guarded;

        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const actor = webActor(req.clientAddress);
        let answerVerified = false;
        if (question !== null) {
          if (openProof(deps, 'reset', token.token_hash, str(body, 'proof', 4096))) {
            answerVerified = true;
          } else {
            if (!body.has('answer')) return askQuestion(400);
            const checked = await verifyResetAnswer(deps, secret, str(body, 'answer'), actor);
            if (!checked.ok) return refusalPage(ctx, checked.code, () => askQuestion(400, checked.message(locale)));
            return askPassword(200);
          }
        }
        const password = str(body, 'password');
        if (password !== str(body, 'password2')) return askPassword(400, refuse('password_mismatch').message(locale));
        const done = await resetPasswordByToken(deps, actor, secret, { newPassword: password, answerVerified });
        if (!done.ok) return refusalPage(ctx, done.code, () => askPassword(400, done.message(locale)));
        return passwordChangedPage(ctx);
      },
    },
  ];
}
