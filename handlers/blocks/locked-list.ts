// `/helpdesk locked`: the accounts locked now, one row each with a red-lock Unlock button
// (confirm "Yes"), a page at a time. The listener fetches one more row than a page
// (listLocked(deps, LOCKED_PAGE_SIZE + 1, offset)); a row past the page means a "Next page"
// button, whose value is the next offset. A page is at most 23 blocks, far under 50.
import type { Locale } from '../../src/core/types.js';
import type { AccountRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { actions, button, confirmDialog, context, fallback, header, modal, section, type Button, type KnownBlock, type ModalView, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen, zoneName } from './format-time.js';
import { say } from './words.js';

export const LOCKED_PAGE_SIZE = 20;

export type LockedAccount = Pick<AccountRow, 'id' | 'display_name' | 'email' | 'locked_until' | 'failed_count'>;

export interface LockedListInput {
  /** Locked accounts from `offset` on, soonest to unlock first; rows past a page are not shown. */
  accounts: readonly LockedAccount[];
  offset?: number;
  now: number;
  tz: string;
  locale: Locale;
  /** Whether the rows carry an Unlock button (admins); agents see the list alone. Default true. */
  canUnlock?: boolean;
}

/** The block_id of a row of the page at `offset`: the row's Unlock click redraws that page. */
export function lockedRowBlockId(offset: number, index: number): string {
  return `${BLOCKS.lockedRow}:${offset}:${index}`;
}

/** The page offset a row's block_id names, or null when it is not a row of the list. */
export function lockedRowOffset(blockId: string | undefined): number | null {
  const m = new RegExp(`^${BLOCKS.lockedRow}:(\\d{1,6}):\\d{1,3}$`).exec(blockId ?? '');
  return m ? Number(m[1]) : null;
}

/** One account's Unlock button, red, behind "Yes". Also used by the user status card and the Home tab. */
export function unlockButton(account: Pick<AccountRow, 'id' | 'display_name'>, locale: Locale): Button {
  const name = userText(account.display_name, 100);
  return button({
    actionId: ACTIONS.unlockRow,
    text: say(locale, 'lockedList.unlock'),
    value: account.id,
    style: 'danger',
    confirm: confirmDialog({
      title: say(locale, 'lockedList.unlockThisAccount'),
      text: say(locale, 'lockedList.unlockNowTheyCan', { name }),
      confirm: say(locale, 'lockedList.yes'),
      deny: say(locale, 'lockedList.no'),
      style: 'danger',
    }),
  });
}

export function lockedRow(account: LockedAccount, now: number, tz: string, locale: Locale, withButton: boolean, blockId?: string): KnownBlock {
  const until = account.locked_until === null ? '—' : formatWhen(account.locked_until, now, tz, locale);
  const text =
    `:lock: *${userText(account.display_name, 200)}* · ${userText(account.email, 300)}\n` +
    say(locale, 'lockedList.lockedUntil', { until }) +
    (account.failed_count > 0 ? say(locale, 'lockedList.failures', { failures: account.failed_count }) : '');
  return section(text, { ...(withButton ? { accessory: unlockButton(account, locale) } : {}), ...(blockId ? { blockId } : {}) });
}

export function lockedListMessage(input: LockedListInput): SlackMessage {
  const { locale, tz, now } = input;
  const offset = Math.max(0, Math.trunc(input.offset ?? 0));
  const page = input.accounts.slice(0, LOCKED_PAGE_SIZE);
  const more = input.accounts.length > LOCKED_PAGE_SIZE;
  if (page.length === 0) {
    const text = offset === 0 ? say(locale, 'lockedList.noAccountIsLocked') : say(locale, 'lockedList.noMoreLockedAccounts');
    return { text, blocks: [section(text)] };
  }
  const first = offset + 1;
  const last = offset + page.length;
  const title = say(locale, 'lockedList.lockedAccounts');
  const blocks: KnownBlock[] = [
    header(title),
    context([
      say(locale, 'lockedList.showingSoonestToUnlock', { first, last, zone: zoneName(now, tz, locale) }),
    ]),
    ...page.map((account, i) => lockedRow(account, now, tz, locale, input.canUnlock ?? true, lockedRowBlockId(offset, i))),
  ];
  if (more) {
    blocks.push(actions(BLOCKS.lockedPager, [button({ actionId: ACTIONS.lockedPage, text: say(locale, 'lockedList.nextPage'), value: String(offset + LOCKED_PAGE_SIZE) })]));
  }
  return { text: fallback(`${title}: ${first}–${last}`), blocks };
}

/** The same list in a modal (from the Home tab's "Show all"), where a row's Unlock redraws the view. */
export function lockedListModal(input: LockedListInput): ModalView {
  const message = lockedListMessage(input);
  return modal({
    callbackId: VIEWS.lockedList,
    title: say(input.locale, 'lockedList.lockedAccounts'),
    close: say(input.locale, 'lockedList.close'),
    blocks: message.blocks,
  });
}
