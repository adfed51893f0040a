// /mfa/enroll/<token>: step 1 proves the owner (password + security answer) and offers a
// TOTP secret as a QR code (a data: image) and as text; step 2 takes a first code. The
// offered secret travels between the steps sealed in `proof` (bound to the link, expiring);
// confirmEnrolment re-derives it server-side and refuses any other.
import QRCode from 'qrcode';
import { webActor, type CoreDeps } from '../../core/deps.js';
import { beginEnrolment, confirmEnrolment } from '../../core/mfa.js';
import type { Route, WebResponse } from '../http.js';
import { csrfOk, csrfRejected, FORM_MAX_BODY, formPage, isTokenProblem, linkProblem, openProof, pathOf, postGuard, readForm, refusalPage, sealProof, str, tokenGate, type PostLimits } from './common.js';
import { t } from './i18n.js';
import { field, form, html, page } from './layout.js';

export function mfaEnrollRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/mfa/enroll/:token',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const gate = await tokenGate(deps, req, ['mfa_enrol']);
        if (!gate.ok) return gate.response;
        const { ctx, token } = gate;
        const { locale } = ctx;
        const path = pathOf(req);
        const secret = req.params.token ?? '';
        const step1 = (status: number, error?: string): WebResponse =>
          formPage(deps, req, ctx, status, t(locale, 'mfaTitle'), (csrf) =>
            html`<p>${t(locale, 'mfaIntro')}</p>${form(
              path,
              csrf,
              locale,
              [
                field({ name: 'password', label: t(locale, 'passwordOnlyLabel'), type: 'password', autocomplete: 'current-password' }),
                field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' }),
              ],
              error,
            )}`,
          );
        const step2 = async (status: number, offered: { totpSecret: string; uri: string }, error?: string): Promise<WebResponse> => {
          const qr = await QRCode.toDataURL(offered.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
          const proof = sealProof(deps, 'mfa', token.token_hash, offered);
          return formPage(deps, req, ctx, status, t(locale, 'mfaTitle'), (csrf) =>
            html`<p>${t(locale, 'mfaScan')}</p><p><img src="${qr}" alt="${t(locale, 'qrAlt')}" width="240" height="240"></p><p>${t(locale, 'mfaKey')}: <code class="totp-key">${offered.totpSecret}</code></p>${form(
              path,
              csrf,
              locale,
              [field({ name: 'proof', label: '', type: 'hidden', value: proof }), field({ name: 'code', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' })],
              error,
            )}`,
          );
        };

        if (req.method === 'GET') return step1(200);
        const guarded = await postGuard(deps, limits, req, token, ctx);
        if (guarded) return guarded;
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const actor = webActor(req.clientAddress);
        const proofText = str(body, 'proof', 4096);
        if (proofText) {
          const proof = openProof(deps, 'mfa', token.token_hash, proofText);
          if (!proof?.totpSecret || !proof.uri) return step1(400);
          const offered = { totpSecret: proof.totpSecret, uri: proof.uri };
          const done = await confirmEnrolment(deps, actor, secret, offered.totpSecret, str(body, 'code', 16).replace(/\s+/g, ''));
          if (!done.ok) return isTokenProblem(done.code) ? linkProblem(ctx, done.code) : step2(400, offered, done.message(locale));
          return page(ctx, 200, t(locale, 'mfaDone'), html`<p><a href="${ctx.publicUrl}/login">${t(locale, 'loginTitle')}</a></p>`);
        }
        const begun = await beginEnrolment(deps, secret, { password: str(body, 'password'), securityAnswer: str(body, 'answer') }, actor);
        if (!begun.ok) return refusalPage(ctx, begun.code, () => step1(400, begun.message(locale)));
        return step2(200, { totpSecret: begun.totpSecret, uri: begun.uri });
      },
    },
  ];
}
