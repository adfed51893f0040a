// `/helpdesk audit @user`: the latest events of an account's audit trail (as target or
// actor), AUDIT_PAGE_SIZE at a time, newest first, times in the viewer's zone, with an
// "Older" button whose value names the account and where the page ended
// (`<account id>:<at>.<event id>`), so the next page stays the same while new events are
// written. A page is at most 2 + 20 + 1 blocks, far under 50; every text is escaped and cut.
import { encodeAuditCursor, type AuditCursor, type AuditEvent } from '../../src/core/audit-trail.js';
import type { Locale } from '../../src/core/types.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, fallback, header, section, type KnownBlock, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatDateTimeYear, zoneName } from './format-time.js';
import { say, sayCode } from './words.js';

export const AUDIT_PAGE_SIZE = 20;
/** A detail longer than this is cut (details are small facts; this keeps a page short). */
const MAX_DETAIL = 300;

export interface AuditTrailInput {
  account: { id: string; email: string; displayName: string };
  events: readonly AuditEvent[];
  older: AuditCursor | null;
  /** Whether this page starts after an "Older" click (its words say so). */
  paged: boolean;
  now: number;
  tz: string;
  locale: Locale;
}

/** The Older button's value: the account and the cursor. */
export function auditOlderValue(accountId: string, cursor: AuditCursor): string {
  return `${accountId}:${encodeAuditCursor(cursor)}`;
}

/** The account id and cursor text an Older value carries, or null when it is not one. */
export function parseAuditOlderValue(value: string | undefined): { accountId: string; cursor: string } | null {
  const m = /^([A-Za-z0-9-]{1,64}):(\d{1,16}\.[A-Za-z0-9-]{1,64})$/.exec(value ?? '');
  return m ? { accountId: m[1]!, cursor: m[2]! } : null;
}

function actorText(event: AuditEvent, locale: Locale): string {
  return sayCode(locale, 'auditTrail.actor', event.actor) ?? userText(event.actor, 300);
}

export function auditEventText(event: AuditEvent, tz: string, locale: Locale): string {
  const first = say(locale, 'auditTrail.event', {
    when: formatDateTimeYear(event.at, tz, locale),
    action: userText(event.action, 100),
    actor: actorText(event, locale),
  });
  const facts: string[] = [];
  if (event.target) facts.push(say(locale, 'auditTrail.on', { target: userText(event.target, 300) }));
  if (event.clientAddress) facts.push(say(locale, 'auditTrail.from', { address: userText(event.clientAddress, 100) }));
  if (Object.keys(event.detail).length > 0) facts.push(`\`${userText(JSON.stringify(event.detail), MAX_DETAIL)}\``);
  return facts.length ? `${first}\n${facts.join(' · ')}` : first;
}

export function auditTrailMessage(input: AuditTrailInput): SlackMessage {
  const { locale, tz, now, account } = input;
  const name = userText(account.displayName, 200);
  const email = userText(account.email, 300);
  const page = input.events.slice(0, AUDIT_PAGE_SIZE);
  if (page.length === 0) {
    const text = say(locale, input.paged ? 'auditTrail.noOlderEvents' : 'auditTrail.noEvents', { name });
    return { text: fallback(text), blocks: [section(text)] };
  }
  const title = say(locale, 'auditTrail.title');
  const blocks: KnownBlock[] = [
    header(title),
    context([say(locale, input.paged ? 'auditTrail.olderOnes' : 'auditTrail.newest', { name, email, zone: zoneName(now, tz, locale) })]),
    ...page.map((event, i) => section(auditEventText(event, tz, locale), { blockId: `${BLOCKS.auditEvent}:${i}` })),
  ];
  if (input.older) {
    blocks.push(actions(BLOCKS.auditPager, [button({ actionId: ACTIONS.auditOlder, text: say(locale, 'auditTrail.older'), value: auditOlderValue(account.id, input.older) })]));
  }
  return { text: fallback(`${title}: ${name}`), blocks };
}
