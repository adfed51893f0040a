// /change-password/<token>: the "My account" page the Slack DM's link opens (and the link a
// temporary password's one sign-in earns). Three sections, each its own form asking the
// current password and the PIN: a new password, a new email address (`#email`, where
// /email's link lands), a new security question and PIN. Each success uses the link.
// While a new password is due (temporary or admin-set), only the password section shows.
import { mustChangeFirst } from '../../core/account-proof.js';
import type { CoreDeps } from '../../core/deps.js';
import { requestOwnEmailChange } from '../../core/email-change.js';
import { changeOwnPassword } from '../../core/passwords.js';
import { refuse } from '../../core/refusal.js';
import { changeSecurityDetails } from '../../core/security-details.js';
import type { Locale } from '../../core/types.js';
import type { Route } from '../http.js';
import { str } from './common.js';
import { t } from './i18n.js';
import { field, form, html, type Field, type Html } from './layout.js';
import { newPasswordSpecs, postedNewPassword } from './new-password.js';
import { tokenFormRoute, type PostLimits } from './token-form-route.js';

export const ACCOUNT_SECTIONS = ['password', 'email', 'security'] as const;
type Section = (typeof ACCOUNT_SECTIONS)[number];

const isSection = (value: string): value is Section => (ACCOUNT_SECTIONS as readonly string[]).includes(value);

/** The current password and PIN every section asks first. */
function proofFields(locale: Locale): Scoped[] {
  return [
    scoped({ name: 'current', label: t(locale, 'currentLabel'), type: 'password', autocomplete: 'current-password' }),
    scoped({ name: 'pin', label: t(locale, 'pinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric' }),
  ];
}

/** A field drawn inside one section's form (its id carries the section: three forms share names). */
type Scoped = (section: Section) => Html;
const scoped = (f: Field): Scoped => (section) => field({ ...f, scope: section });

export function myAccountRoutes(deps: CoreDeps, limits: PostLimits): Route[] {
  return [
    tokenFormRoute(deps, limits, {
      path: '/change-password/:token',
      purposes: ['change_password'],
      cantVerify: 'account_page',
      open(page) {
        const { locale, account, token, path } = page;
        const passwordOnly = mustChangeFirst(account, token);
        const sectionFields: Record<Section, () => Scoped[]> = {
          password: () => newPasswordSpecs(deps, locale).map(scoped),
          email: () => [scoped({ name: 'email', label: t(locale, 'newEmailLabel'), type: 'email', autocomplete: 'email' })],
          security: () => [
            scoped({ name: 'question', label: t(locale, 'newQuestionLabel'), autocomplete: 'off', optional: true }),
            scoped({ name: 'answer', label: t(locale, 'newAnswerLabel'), autocomplete: 'off', optional: true }),
            scoped({ name: 'newpin', label: t(locale, 'newPinLabel'), type: 'password', autocomplete: 'off', inputmode: 'numeric', hint: t(locale, 'pinHint'), optional: true }),
            scoped({ name: 'newpin2', label: t(locale, 'newPin2Label'), type: 'password', autocomplete: 'off', inputmode: 'numeric', optional: true }),
          ],
        };
        const sectionIntro = (section: Section): Html => {
          if (section === 'email') {
            const [before = '', after = ''] = t(locale, 'emailForgot').split('{forgot}');
            return html`<p>${t(locale, 'emailNow', { email: account.email })}</p><p><small>${before}<a href="${deps.policy.publicUrl}/forgot">${deps.policy.publicUrl}/forgot</a>${after}</small></p>`;
          }
          return section === 'security' ? html`<p>${t(locale, 'securityIntro')}</p>` : html``;
        };
        const title: Record<Section, string> = {
          password: t(locale, 'sectionPassword'),
          email: t(locale, 'sectionEmail'),
          security: t(locale, 'sectionSecurity'),
        };
        const show = (status: number, failed?: { section: Section; message: string }) =>
          page.form(status, t(locale, 'accountTitle'), (csrf) => {
            const sections = passwordOnly ? (['password'] as const) : ACCOUNT_SECTIONS;
            const parts = sections.map(
              (section) =>
                html`<section id="${section}"><h2>${title[section]}</h2>${sectionIntro(section)}${form(
                  `${path}#${section}`,
                  csrf,
                  locale,
                  [field({ name: 'section', label: '', type: 'hidden', value: section }), ...[...proofFields(locale), ...sectionFields[section]()].map((f) => f(section))],
                  failed?.section === section ? failed.message : null,
                )}</section>`,
            );
            return html`<p>${t(locale, passwordOnly ? 'accountMustChange' : 'accountIntro')}</p>${parts}${page.cantVerifyForm(csrf)}`;
          });
        return {
          show: () => show(200),
          async act(body, actor) {
            const posted = str(body, 'section', 20);
            const section: Section = isSection(posted) && !(passwordOnly && posted !== 'password') ? posted : 'password';
            const again = (message: string) => show(400, { section, message });
            const proof = { currentPassword: str(body, 'current'), pin: str(body, 'pin', 64) };
            if (section === 'password') {
              const password = postedNewPassword(body);
              if (!password.ok) return again(password.message(locale));
              const done = await changeOwnPassword(deps, actor, page.secret, { ...proof, newPassword: password.password });
              if (!done.ok) return page.refused(done, again);
              return page.done(t(locale, 'passwordChanged'));
            }
            if (section === 'email') {
              const done = await requestOwnEmailChange(deps, actor, page.secret, { ...proof, newEmail: str(body, 'email', 320) });
              if (!done.ok) return page.refused(done, again);
              return page.notice(t(locale, 'emailSent'), t(locale, 'emailSentNext', { email: done.newEmail }));
            }
            const newPin = str(body, 'newpin', 64);
            if (newPin !== str(body, 'newpin2', 64)) return again(refuse('pin_mismatch').message(locale));
            const done = await changeSecurityDetails(deps, actor, page.secret, {
              ...proof,
              newQuestion: str(body, 'question', 400),
              newAnswer: str(body, 'answer', 400),
              newPin,
            });
            if (!done.ok) return page.refused(done, again);
            return page.done(t(locale, 'securityChanged'));
          },
        };
      },
    }),
  ];
}
