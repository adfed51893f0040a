// /forgot: asks for a login and always answers the same page, with the same status and
// body whether or not an account matches, padded to a time floor from the request's
// start. At most 5 POSTs per 10 minutes per client address (silently: same page, no email).
// The page says how long the link lives: RESET_TTL_SECONDS, in minutes or hours.
import { webActor, type CoreDeps } from '../../core/deps.js';
import { requestPasswordReset } from '../../core/passwords.js';
import type { Route } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { actionOf, csrfOk, csrfRejected, ctxOf, FORM_MAX_BODY, formPage, langQuery, readForm, sleep, str } from './common.js';
import { t, within } from './i18n.js';
import { field, form, html, page } from './layout.js';

const FLOOR_MS = 400;
const JITTER_MS = 100;

export function forgotRoutes(deps: CoreDeps, limiter: RateLimiter): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      path: '/forgot',
      maxBody: FORM_MAX_BODY,
      async handle(req) {
        const started = Date.now();
        const ctx = ctxOf(deps, req);
        const { locale } = ctx;
        if (req.method === 'GET') {
          return formPage(deps, req, ctx, 200, t(locale, 'forgotTitle'), (csrf) =>
            html`<p>${t(locale, 'forgotIntro')}</p>${form(actionOf(req), csrf, locale, [field({ name: 'login', label: t(locale, 'loginLabel'), autocomplete: 'username' })])}<p><a href="${ctx.publicUrl}/login${langQuery(req)}">${t(locale, 'loginTitle')}</a></p>`,
          );
        }
        const body = await readForm(req);
        if (!csrfOk(deps, req, body)) return csrfRejected(ctx);
        const login = str(body, 'login', 320).trim();
        try {
          if (login && (await limiter.hit(`forgot:${req.clientAddress}`))) {
            await requestPasswordReset(deps, webActor(req.clientAddress), login);
          }
        } finally {
          await sleep(FLOOR_MS + Math.random() * JITTER_MS - (Date.now() - started));
        }
        return page(ctx, 200, t(locale, 'forgotSent'), html`<p>${t(locale, 'forgotSentNext', { within: within(locale, deps.policy.ttl.resetMs) })}</p>`);
      },
    },
  ];
}
