// /validate: an account disabled for `validation` validates itself with a code sent to the
// email or phone on file. Step 1 asks a login and a channel; step 2 (the same page for any
// login) takes the code, with the login carried sealed between the steps. Every answer is
// the same whether or not an account matches, padded to a time floor like /forgot; sends
// are limited per client address here and per account in the core (3 in 10 minutes),
// tries per code in the core (5).
import { webActor, type CoreDeps } from '../../core/deps.js';
import { requestValidationCode, revalidateWithCode } from '../../core/revalidation.js';
import type { Route, WebRequest, WebResponse } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { actionOf, csrfOk, csrfRejected, ctxOf, FORM_MAX_BODY, formPage, langQuery, openProof, readForm, sealProof, sleep, str } from './common.js';
import { t } from './i18n.js';
import { choice, field, form, html, page, type PageContext } from './layout.js';

const FLOOR_MS = 400;
const JITTER_MS = 100;
/** What the sealed proof is bound to: this page (there is no link to bind it to). */
const BINDING = 'validate-page';

export function validateRoutes(deps: CoreDeps, limiter: RateLimiter): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/validate',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const started = Date.now();
        const ctx = ctxOf(deps, req);
        if (req.method === 'GET') return askLogin(deps, req, ctx);
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const actor = webActor(req.clientAddress);
        try {
          const sealed = str(body, 'proof', 4096);
          if (sealed) {
            const login = openProof(deps, 'validate', BINDING, sealed)?.login;
            if (!login) return askLogin(deps, req, ctx, 400);
            const within = await limiter.hit(`validate:${req.clientAddress}`);
            const done = within ? await revalidateWithCode(deps, actor, login, str(body, 'code', 16)) : null;
            if (done?.ok) return page(ctx, 200, t(ctx.locale, 'validateDone'), html`<p><a href="${ctx.publicUrl}/login${langQuery(req)}">${t(ctx.locale, 'loginTitle')}</a></p>`);
            return askCode(deps, req, ctx, login, 400, t(ctx.locale, within ? 'validateFailed' : 'tooMany'));
          }
          const login = str(body, 'login', 320).trim();
          if (!login) return askLogin(deps, req, ctx, 400);
          const channel = body.get('channel') === 'sms' ? 'sms' : 'email';
          if (await limiter.hit(`validate:${req.clientAddress}`)) await requestValidationCode(deps, actor, login, channel);
          return askCode(deps, req, ctx, login, 200);
        } finally {
          await sleep(FLOOR_MS + Math.random() * JITTER_MS - (Date.now() - started));
        }
      },
    },
  ];
}

function askLogin(deps: CoreDeps, req: WebRequest, ctx: PageContext, status = 200): WebResponse {
  const { locale } = ctx;
  return formPage(deps, req, ctx, status, t(locale, 'validateTitle'), (csrf) =>
    html`<p>${t(locale, 'validateIntro')}</p>${form(actionOf(req), csrf, locale, [
      field({ name: 'login', label: t(locale, 'loginLabel'), autocomplete: 'username' }),
      choice('channel', t(locale, 'validateChannelLabel'), [
        { value: 'email', label: t(locale, 'validateChannel.email') },
        { value: 'sms', label: t(locale, 'validateChannel.sms') },
      ]),
    ])}`,
  );
}

function askCode(deps: CoreDeps, req: WebRequest, ctx: PageContext, login: string, status: number, error?: string): WebResponse {
  const { locale } = ctx;
  const proof = sealProof(deps, 'validate', BINDING, { login });
  return formPage(deps, req, ctx, status, t(locale, 'validateTitle'), (csrf) =>
    html`<p>${t(locale, 'validateSent')}</p>${form(
      actionOf(req),
      csrf,
      locale,
      [field({ name: 'proof', label: '', type: 'hidden', value: proof }), field({ name: 'code', label: t(locale, 'codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric' })],
      error,
    )}<p><a href="${ctx.publicUrl}/validate${langQuery(req)}">${t(locale, 'validateAgain')}</a></p>`,
  );
}
