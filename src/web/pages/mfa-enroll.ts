// /mfa/enroll/<token>: step 1 proves the owner (password + security answer) and takes the
// method: an authenticator app gets a TOTP secret as a QR code (a data: image) and as
// text; email or SMS (to the phone on file) gets a first code sent; step 2 takes that code
// (or sends a new one, "Send a new code", within the 3 sends per 10 minutes). The
// offered secret travels between the steps sealed in `proof` (bound to the link, expiring);
// confirmEnrolment re-derives it server-side and refuses any other.
import type { CoreDeps } from '../../core/deps.js';
import { beginCodeEnrolment, beginEnrolment, confirmCodeEnrolment, confirmEnrolment, resendEnrolmentCode } from '../../core/mfa.js';
import type { OtpChannel } from '../../core/types.js';
import type { Route, WebResponse } from '../http.js';
import { openProof, sealProof, str } from './common.js';
import { t } from './i18n.js';
import { choice, field, form, html } from './layout.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

interface Offered {
  totpSecret: string;
  uri: string;
}

export function mfaEnrollRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/mfa/enroll/:token',
      purposes: ['mfa_enrol'],
      cantVerify: 'mfa_page',
      open(page) {
        const { token, locale, path } = page;
        const step1 = (status: number, error?: string) =>
          page.form(status, t(locale, 'mfaTitle'), (csrf) =>
            html`<p>${t(locale, 'mfaIntro')}</p>${form(
              path,
              csrf,
              locale,
              [
                field({ name: 'password', label: t(locale, 'passwordOnlyLabel'), type: 'password', autocomplete: 'current-password' }),
                field({ name: 'answer', label: t(locale, 'answerLabel'), autocomplete: 'off' }),
                choice('method', t(locale, 'mfaMethodLabel'), [
                  { value: 'totp', label: t(locale, 'mfaMethod.totp') },
                  { value: 'email', label: t(locale, 'mfaMethod.email') },
                  // SMS only to a phone on file: the owner's own link, so saying so reveals nothing.
                  ...(page.account.phone ? [{ value: 'sms', label: t(locale, 'mfaMethod.sms') }] : []),
                ]),
              ],
              error,
            )}${page.cantVerifyForm(csrf)}`,
          );
        const step2 = async (status: number, offered: Offered, error?: string): Promise<WebResponse> => {
          // Loaded on the first enrolment page, not at start: 0.8 MB of heap few requests need.
          const { default: QRCode } = await import('qrcode');
          const qr = await QRCode.toDataURL(offered.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
          const proof = sealProof(deps, 'mfa', token.token_hash, { ...offered });
          return page.form(status, t(locale, 'mfaTitle'), (csrf) =>
            html`<p>${t(locale, 'mfaScan')}</p><p><img src="${qr}" alt="${t(locale, 'qrAlt')}" width="240" height="240"></p><p>${t(locale, 'mfaKey')}: <code class="totp-key">${offered.totpSecret}</code></p>${form(
              path,
              csrf,
              locale,
              [field({ name: 'proof', label: '', type: 'hidden', value: proof }), field({ name: 'code', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' })],
              error,
            )}`,
          );
        };
        // Step 2 of a code method: the first code sent to the channel, which travels sealed,
        // with "Send a new code" beside the confirm button for a code that never came.
        const codeStep = (status: number, channel: OtpChannel, sentTo: string, opts: { error?: string; resent?: boolean } = {}): WebResponse =>
          page.fields(
            status,
            t(locale, 'mfaTitle'),
            [
              html`<p>${t(locale, opts.resent ? 'mfaCodeResent' : 'mfaCodeSent', { to: sentTo })}</p>`,
              field({ name: 'proof', label: '', type: 'hidden', value: sealProof(deps, 'mfa', token.token_hash, { channel, sentTo }) }),
              field({ name: 'code', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' }),
            ],
            opts.error,
            { name: 'resend', value: '1', label: t(locale, 'mfaResendCode') },
          );
        return {
          show: () => step1(200),
          async act(body, actor) {
            const proofText = str(body, 'proof', 4096);
            const sealedChannel = proofText ? openProof(deps, 'mfa', token.token_hash, proofText) : null;
            if (sealedChannel?.channel === 'email' || sealedChannel?.channel === 'sms') {
              const channel: OtpChannel = sealedChannel.channel;
              const sentTo = sealedChannel.sentTo ?? '';
              if (body.get('resend') === '1') {
                const resent = await resendEnrolmentCode(deps, page.secret, channel, actor);
                if (!resent.ok) return page.refused(resent, (message) => codeStep(400, channel, sentTo, { error: message }));
                return codeStep(200, channel, resent.sentTo, { resent: true });
              }
              const done = await confirmCodeEnrolment(deps, actor, page.secret, channel, str(body, 'code', 16));
              if (!done.ok) return page.refused(done, (message) => codeStep(400, channel, sentTo, { error: message }));
              return page.notice(t(locale, 'mfaDone'), t(locale, 'mfaCodeDone', { to: done.sentTo }));
            }
            if (proofText) {
              const proof = openProof(deps, 'mfa', token.token_hash, proofText);
              if (!proof?.totpSecret || !proof.uri) return step1(400);
              const offered = { totpSecret: proof.totpSecret, uri: proof.uri };
              const done = await confirmEnrolment(deps, actor, page.secret, offered.totpSecret, str(body, 'code', 16).replace(/\s+/g, ''));
              if (!done.ok) return page.refused(done, (message) => step2(400, offered, message));
              return page.done(t(locale, 'mfaDone'));
            }
            const ownerProof = { password: str(body, 'password'), securityAnswer: str(body, 'answer') };
            const method = body.get('method');
            if (method === 'email' || method === 'sms') {
              const sent = await beginCodeEnrolment(deps, page.secret, ownerProof, method, actor);
              if (!sent.ok) return page.refused(sent, (message) => step1(400, message));
              return codeStep(200, method, sent.sentTo);
            }
            const begun = await beginEnrolment(deps, page.secret, ownerProof, actor);
            if (!begun.ok) return page.refused(begun, (message) => step1(400, message));
            return step2(200, { totpSecret: begun.totpSecret, uri: begun.uri });
          },
        };
      },
    }),
  ];
}
