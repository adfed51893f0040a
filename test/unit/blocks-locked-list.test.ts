// `/helpdesk locked`: a red-lock row with a confirmed Unlock per account, paged so 200
// locked accounts never break Slack's 50-block limit.
import { describe, expect, it } from 'vitest';
import type { Button, KnownBlock, SectionBlock } from '../../handlers/blocks/elements.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { LOCKED_PAGE_SIZE, lockedListMessage, type LockedAccount } from '../../handlers/blocks/locked-list.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';

const NOW = Date.UTC(2026, 10, 25, 9, 40);
const accounts: LockedAccount[] = Array.from({ length: 200 }, (_, i) => ({
  id: `acc-${i}`,
  display_name: i === 0 ? '<!channel> Mallory & co' : `Person ${i}`,
  email: `person-${i}@example.com`,
  locked_until: NOW + (i + 1) * 60_000,
  failed_count: 5,
}));

const rows = (blocks: KnownBlock[]) => blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory?.type === 'button');
const pager = (blocks: KnownBlock[]) => blocks.find((b) => b.block_id === BLOCKS.lockedPager);

describe('lockedListMessage', () => {
  it('pages 200 locked accounts: 20 rows a page within 50 blocks, and a Next page button', () => {
    const first = lockedListMessage({ accounts, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    expect(rows(first.blocks)).toHaveLength(LOCKED_PAGE_SIZE);
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(limitProblems(first.blocks)).toEqual([]);
    expect(pager(first.blocks)).toMatchObject({ elements: [{ action_id: ACTIONS.lockedPage, value: '20' }] });

    const middle = lockedListMessage({ accounts: accounts.slice(100, 121), offset: 100, now: NOW, tz: 'UTC', locale: 'en' });
    expect(pager(middle.blocks)).toMatchObject({ elements: [{ value: '120' }] });
    expect(JSON.stringify(middle.blocks)).toContain('Showing 101–120');

    const last = lockedListMessage({ accounts: accounts.slice(180), offset: 180, now: NOW, tz: 'UTC', locale: 'en' });
    expect(rows(last.blocks)).toHaveLength(20);
    expect(pager(last.blocks)).toBeUndefined();
  });

  it('gives each row a red lock and a danger Unlock button with a "Yes" confirm', () => {
    const message = lockedListMessage({ accounts: accounts.slice(0, 3), now: NOW, tz: 'Europe/Paris', locale: 'en' });
    for (const [i, row] of rows(message.blocks).entries()) {
      expect(row.text?.text.startsWith(':lock: ')).toBe(true);
      const unlock = row.accessory as Button;
      expect(unlock).toMatchObject({ action_id: ACTIONS.unlockRow, style: 'danger', value: `acc-${i}` });
      expect(unlock.confirm?.confirm?.text).toBe('Yes');
      expect(unlock.confirm?.deny?.text).toBe('No');
    }
    expect(rows(message.blocks)[1]!.text!.text).toContain('Locked until 10:42');
  });

  it('escapes names and says when nothing is locked', () => {
    const message = lockedListMessage({ accounts: accounts.slice(0, 1), now: NOW, tz: 'UTC', locale: 'en' });
    const text = JSON.stringify(message);
    expect(text).toContain('&lt;!channel&gt; Mallory &amp; co');
    expect(text).not.toContain('<!channel>');
    expect(lockedListMessage({ accounts: [], now: NOW, tz: 'UTC', locale: 'en' }).text).toMatch(/No account is locked/);
  });

  it('renders in French', () => {
    const message = lockedListMessage({ accounts, now: NOW, tz: 'Europe/Paris', locale: 'fr' });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Comptes verrouillés');
    expect(text).toContain('Verrouillé jusqu’à 10:41');
    expect(text).toContain('Page suivante');
    expect((rows(message.blocks)[0]!.accessory as Button).confirm?.confirm?.text).toBe('Oui');
  });
});
