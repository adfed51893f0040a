// The language of an account. It follows the Slack user's locale (fr-* → fr, anything else
// → en) until someone chooses one — the owner on the Home tab or a page's switch, or the
// CLI — after which Slack's locale no longer changes it (accounts.locale_chosen = 1).
import { findAccountById } from '../store/accounts.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { ok, refuse, type Outcome } from './refusal.js';
import type { Locale } from './types.js';

/** keydesk's language for a Slack locale (`fr-FR`, `en-US`…): fr-* → fr, anything else → en; null when Slack gave none. */
export function localeFromSlack(slackLocale: string | null | undefined): Locale | null {
  if (typeof slackLocale !== 'string' || slackLocale.trim() === '') return null;
  return /^fr(?:[-_]|$)/i.test(slackLocale.trim()) ? 'fr' : 'en';
}

export interface SetLocaleOptions {
  /**
   * true: a person chose it (the owner, an admin, the CLI); it sticks.
   * false: it follows Slack's locale, so it changes nothing once a language was chosen.
   */
  chosen: boolean;
}

/**
 * Sets an account's language (audited `set_locale` when it changes anything). The owner
 * may choose their own; an admin or the CLI anyone's; the system (the Slack layer at link
 * time) only follows Slack, never over a choice. `changed` says whether the row changed.
 */
export async function setLocale(
  deps: CoreDeps,
  actor: Actor,
  accountId: string,
  locale: Locale,
  { chosen }: SetLocaleOptions,
): Promise<Outcome<{ changed: boolean }>> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) return refuse('account_not_found');
  const self = actor.kind === 'account' && actor.id === account.id;
  if (!self && !(actor.kind === 'system' && !chosen)) {
    const denied = await authorizeAdmin(deps, actor, 'set_locale', account);
    if (denied) return denied;
  }
  const now = deps.clock.now();
  // One conditional UPDATE: a choice made meanwhile is never overwritten by Slack's locale.
  let update = deps.db.updateTable('accounts').set({ locale, locale_chosen: chosen ? 1 : 0, updated_at: now }).where('id', '=', account.id);
  update = chosen
    ? update.where((eb) => eb.or([eb('locale', '<>', locale), eb('locale_chosen', '=', 0)]))
    : update.where('locale_chosen', '=', 0).where('locale', '<>', locale);
  const changed = (await update.returning('id').execute()).length > 0;
  if (changed) {
    await writeAudit(deps.db, now, {
      actor,
      action: 'set_locale',
      targetAccountId: account.id,
      detail: { from: account.locale, locale, chosen },
    });
  }
  return ok({ changed });
}
