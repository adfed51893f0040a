// The new-password part that /activate, /change-password and /reset share: the two fields
// under the policy hint, and the check that both say the same.
import type { CoreDeps } from '../../core/deps.js';
import { refuse, type Refusal } from '../../core/refusal.js';
import type { Locale } from '../../core/types.js';
import { str } from './common.js';
import { t } from './i18n.js';
import { field, type Field, type Html } from './layout.js';

export function newPasswordSpecs(deps: CoreDeps, locale: Locale): Field[] {
  return [
    { name: 'password', label: t(locale, 'passwordLabel'), type: 'password', autocomplete: 'new-password', hint: t(locale, 'policy', { min: deps.policy.password.minLength }) },
    { name: 'password2', label: t(locale, 'password2Label'), type: 'password', autocomplete: 'new-password' },
  ];
}

export function newPasswordFields(deps: CoreDeps, locale: Locale): Html[] {
  return newPasswordSpecs(deps, locale).map(field);
}

/** The posted new password, or `password_mismatch` when the second field differs. */
export function postedNewPassword(body: URLSearchParams): { ok: true; password: string } | Refusal {
  const password = str(body, 'password');
  return password === str(body, 'password2') ? { ok: true, password } : refuse('password_mismatch');
}
