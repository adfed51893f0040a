// `/helpdesk locked`: the accounts locked now, one row each with a red-lock Unlock button
// (confirm "Yes"), a page at a time. The listener fetches one more row than a page
// (listLocked(deps, LOCKED_PAGE_SIZE + 1, offset)); a row past the page means a "Next page"
// button, whose value is the next offset. A page is at most 23 blocks, far under 50.
import type { Locale } from '../../src/core/refusal.js';
import type { AccountRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, confirmDialog, context, fallback, header, pick, section, type Button, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen, zoneName } from './format-time.js';

export const LOCKED_PAGE_SIZE = 20;

export type LockedAccount = Pick<AccountRow, 'id' | 'display_name' | 'email' | 'locked_until' | 'failed_count'>;

export interface LockedListInput {
  /** Locked accounts from `offset` on, soonest to unlock first; rows past a page are not shown. */
  accounts: readonly LockedAccount[];
  offset?: number;
  now: number;
  tz: string;
  locale: Locale;
}

/** One account's Unlock button, red, behind "Yes". Also used by the user status card and the Home tab. */
export function unlockButton(account: Pick<AccountRow, 'id' | 'display_name'>, locale: Locale): Button {
  const name = userText(account.display_name, 100);
  return button({
    actionId: ACTIONS.unlockRow,
    text: pick(locale, 'Unlock', 'Déverrouiller'),
    value: account.id,
    style: 'danger',
    confirm: confirmDialog({
      title: pick(locale, 'Unlock this account?', 'Déverrouiller ce compte ?'),
      text: pick(locale, `Unlock ${name} now? They can sign in again at once.`, `Déverrouiller ${name} maintenant ? La personne pourra se reconnecter aussitôt.`),
      confirm: pick(locale, 'Yes', 'Oui'),
      deny: pick(locale, 'No', 'Non'),
      style: 'danger',
    }),
  });
}

export function lockedRow(account: LockedAccount, now: number, tz: string, locale: Locale, withButton: boolean): KnownBlock {
  const until = account.locked_until === null ? '—' : formatWhen(account.locked_until, now, tz, locale);
  const text =
    `:lock: *${userText(account.display_name, 200)}* · ${userText(account.email, 300)}\n` +
    pick(locale, `Locked until ${until}`, `Verrouillé jusqu’à ${until}`) +
    (account.failed_count > 0 ? pick(locale, ` · ${account.failed_count} failures`, ` · ${account.failed_count} échecs`) : '');
  return section(text, withButton ? { accessory: unlockButton(account, locale) } : {});
}

export function lockedListMessage(input: LockedListInput): SlackMessage {
  const { locale, tz, now } = input;
  const offset = Math.max(0, Math.trunc(input.offset ?? 0));
  const page = input.accounts.slice(0, LOCKED_PAGE_SIZE);
  const more = input.accounts.length > LOCKED_PAGE_SIZE;
  if (page.length === 0) {
    const text = offset === 0 ? pick(locale, ':unlock: No account is locked.', ':unlock: Aucun compte n’est verrouillé.') : pick(locale, 'No more locked accounts.', 'Plus aucun compte verrouillé.');
    return { text, blocks: [section(text)] };
  }
  const first = offset + 1;
  const last = offset + page.length;
  const title = pick(locale, 'Locked accounts', 'Comptes verrouillés');
  const blocks: KnownBlock[] = [
    header(title),
    context([
      pick(locale, `Showing ${first}–${last}, soonest to unlock first. Times in ${zoneName(now, tz, locale)}.`, `Comptes ${first} à ${last}, du plus proche déverrouillage au plus lointain. Heures en ${zoneName(now, tz, locale)}.`),
    ]),
    ...page.map((account) => lockedRow(account, now, tz, locale, true)),
  ];
  if (more) {
    blocks.push(actions(BLOCKS.lockedPager, [button({ actionId: ACTIONS.lockedPage, text: pick(locale, 'Next page', 'Page suivante'), value: String(offset + LOCKED_PAGE_SIZE) })]));
  }
  return { text: fallback(`${title}: ${first}–${last}`), blocks };
}
