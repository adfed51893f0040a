// `/helpdesk audit @user`'s page: within Slack's limits however long the facts, user text
// escaped, times in the viewer's zone, Older only when older events exist, and the Older
// value read back exactly (and nothing else taken for one).
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/core/audit-trail.js';
import { AUDIT_PAGE_SIZE, auditEventText, auditOlderValue, auditTrailMessage, parseAuditOlderValue } from '../../handlers/blocks/audit-trail.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const ACCOUNT = { id: '8d0f1c52-55aa-4c1e-9d3e-1f2a3b4c5d6e', email: 'alice@example.com', displayName: 'Alice <@U123> @here' };

const event = (i: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  at: NOW - i * 60_000,
  actorId: 'a1',
  actor: 'dana@example.com',
  action: 'unlock',
  targetAccountId: ACCOUNT.id,
  target: ACCOUNT.email,
  clientAddress: '203.0.113.9',
  detail: { n: i },
  ...over,
});

describe('audit trail blocks', () => {
  it('stays within Slack’s limits with 20 events of very long facts, and offers Older', () => {
    const long = 'x'.repeat(5000);
    const events = Array.from({ length: AUDIT_PAGE_SIZE + 5 }, (_, i) =>
      event(i, { actor: `${long}@example.com`, target: `${long}@example.com`, action: long, clientAddress: long, detail: { note: long } }),
    );
    const message = auditTrailMessage({ account: { ...ACCOUNT, displayName: long, email: long }, events, older: { at: NOW, id: events[19]!.id }, paged: false, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    expect(limitProblems(message.blocks)).toEqual([]);
    expect(message.blocks.filter((b) => b.block_id?.startsWith(`${BLOCKS.auditEvent}:`))).toHaveLength(AUDIT_PAGE_SIZE);
    const pager = message.blocks.find((b) => b.block_id === BLOCKS.auditPager) as { elements: { action_id: string; value: string }[] };
    expect(pager.elements[0]).toMatchObject({ action_id: ACTIONS.auditOlder, value: `${ACCOUNT.id}:${NOW}.${events[19]!.id}` });
    expect(message.text.length).toBeLessThanOrEqual(300);
  });

  it('escapes user text, shows times in the viewer’s zone and names non-account actors in their language', () => {
    const text = auditEventText(event(0, { actor: 'cli', detail: { note: '<!channel> & *x*' } }), 'Europe/Paris', 'en');
    expect(text).toBe('*25 Nov 2026, 11:00* · `unlock` · by the server (CLI)\non alice@example.com · from 203.0.113.9 · `{"note":"&lt;!channel&gt; &amp; *x*"}`');
    expect(auditEventText(event(0, { actor: 'web', target: null, clientAddress: null, detail: {} }), 'America/New_York', 'fr')).toBe('*25 nov. 2026, 05:00* · `unlock` · par une page web');
    const message = auditTrailMessage({ account: ACCOUNT, events: [event(0)], older: null, paged: false, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    const all = JSON.stringify(message);
    expect(all).not.toContain('<@U123>');
    expect(all).not.toMatch(/@here/);
    expect(all).toContain('Times in CET');
    expect(message.blocks.find((b) => b.block_id === BLOCKS.auditPager)).toBeUndefined();
  });

  it('says so when there is nothing, on the first page or an older one, in both languages', () => {
    const base = { account: ACCOUNT, events: [], older: null, now: NOW, tz: 'UTC' };
    expect(auditTrailMessage({ ...base, paged: false, locale: 'en' }).text).toMatch(/^Nothing in the audit trail of Alice/);
    expect(auditTrailMessage({ ...base, paged: true, locale: 'en' }).text).toMatch(/^No older events for Alice/);
    expect(auditTrailMessage({ ...base, paged: true, locale: 'fr' }).text).toMatch(/^Aucun événement plus ancien pour Alice/);
  });

  it('reads back an Older value, and nothing else', () => {
    const value = auditOlderValue(ACCOUNT.id, { at: NOW, id: event(3).id });
    expect(parseAuditOlderValue(value)).toEqual({ accountId: ACCOUNT.id, cursor: `${NOW}.${event(3).id}` });
    for (const bad of [undefined, '', 'x', `${ACCOUNT.id}:${NOW}`, `${ACCOUNT.id}:abc.def`, `${ACCOUNT.id}:${NOW}.id with space`, `a:b:${NOW}.x`]) {
      expect(parseAuditOlderValue(bad)).toBeNull();
    }
  });
});
