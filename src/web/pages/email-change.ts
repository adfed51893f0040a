// The two links an email change sends: /confirm-email/<token> to the new address (its
// owner confirms, and the address changes) and /email-not-me/<token> to the old one ("this
// wasn't me": a pending change is cancelled and the helpdesk gets a ticket). Both act on a
// POST with a button, never on the GET: mail scanners open links, people press buttons.
import type { CoreDeps } from '../../core/deps.js';
import { confirmEmailChange, reportedChangeOf, reportEmailChange } from '../../core/email-change.js';
import type { Route } from '../http.js';
import { t } from './i18n.js';
import { form, html } from './layout.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export function emailChangeRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/confirm-email/:token',
      purposes: ['email_change'],
      open(page) {
        const { locale, path, token } = page;
        const show = (status: number, error?: string) =>
          page.form(status, t(locale, 'confirmEmailTitle'), (csrf) =>
            html`<p>${t(locale, 'confirmEmailIntro', { email: token.new_email ?? '' })}</p>${form(path, csrf, locale, [], error, t(locale, 'confirmEmailButton'))}`,
          );
        return {
          show: () => show(200),
          async act(_body, actor) {
            const done = await confirmEmailChange(deps, actor, page.secret);
            if (done.ok) return page.done(t(locale, 'emailChanged', { email: done.newEmail }));
            if (done.code === 'email_not_available') return page.notice(t(locale, 'confirmEmailTitle'), done.message(locale), 409);
            return page.refused(done, (message) => show(400, message));
          },
        };
      },
    }),
    tokenFormRoute(deps, limits, {
      path: '/email-not-me/:token',
      purposes: ['email_change_report'],
      open(page) {
        const { locale, path } = page;
        return {
          async show() {
            const requested = (await reportedChangeOf(deps, page.secret)) ?? '';
            return page.form(200, t(locale, 'notMeTitle'), (csrf) =>
              html`<p>${t(locale, 'notMeIntro', { email: requested })}</p>${form(path, csrf, locale, [], null, t(locale, 'notMeButton'))}`,
            );
          },
          async act(_body, actor) {
            const done = await reportEmailChange(deps, actor, page.secret);
            if (!done.ok) return page.refused(done, (message) => page.notice(t(locale, 'notMeTitle'), message, 400));
            const text = done.cancelled ? `${t(locale, 'notMeDone')} ${t(locale, 'notMeCancelled')}` : t(locale, 'notMeDone');
            return page.notice(t(locale, 'notMeTitle'), text);
          },
        };
      },
    }),
  ];
}
