// The ticket status machine, as a table: every (status, event) pair for an approval kind
// and for a kind that needs none, so an edge added or lost shows up here.
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_KINDS,
  TICKET_EVENTS,
  acceptsEvent,
  isPending,
  needsApproval,
  nextTicketStatus,
  statusesFrom,
  type TicketEvent,
} from '../../src/core/ticket-status.js';
import { TICKET_KINDS, TICKET_STATUSES, type TicketStatus } from '../../src/core/types.js';

type Row = [TicketStatus, TicketEvent, TicketStatus | null];

// For an approval kind (unlock): every pair, what it leads to.
const APPROVAL_TABLE: Row[] = [
  ['open', 'claim', 'claimed'],
  ['open', 'approve', 'approved'],
  ['open', 'deny', 'denied'],
  ['open', 'expire', 'expired'],
  ['open', 'resolve', 'resolved'],
  ['claimed', 'claim', null],
  ['claimed', 'approve', 'approved'],
  ['claimed', 'deny', 'denied'],
  ['claimed', 'expire', 'expired'],
  ['claimed', 'resolve', 'resolved'],
  ...(['approved', 'denied', 'expired', 'resolved'] as const).flatMap((final) => TICKET_EVENTS.map((event): Row => [final, event, null])),
];

// For a kind that needs no approval (login_help): only claim and resolve move it.
const PLAIN_TABLE: Row[] = [
  ['open', 'claim', 'claimed'],
  ['open', 'approve', null],
  ['open', 'deny', null],
  ['open', 'expire', null],
  ['open', 'resolve', 'resolved'],
  ['claimed', 'claim', null],
  ['claimed', 'approve', null],
  ['claimed', 'deny', null],
  ['claimed', 'expire', null],
  ['claimed', 'resolve', 'resolved'],
  ...(['approved', 'denied', 'expired', 'resolved'] as const).flatMap((final) => TICKET_EVENTS.map((event): Row => [final, event, null])),
];

describe('ticket status machine', () => {
  it('covers every pair in both tables', () => {
    expect(APPROVAL_TABLE).toHaveLength(TICKET_STATUSES.length * TICKET_EVENTS.length);
    expect(PLAIN_TABLE).toHaveLength(TICKET_STATUSES.length * TICKET_EVENTS.length);
  });

  it.each(APPROVAL_TABLE)('unlock ticket: %s --%s--> %s', (current, event, next) => {
    expect(nextTicketStatus(current, event, 'unlock')).toBe(next);
  });

  it.each(PLAIN_TABLE)('login_help ticket: %s --%s--> %s', (current, event, next) => {
    expect(nextTicketStatus(current, event, 'login_help')).toBe(next);
  });

  it('without a kind, follows the approval table (the widest)', () => {
    for (const [current, event, next] of APPROVAL_TABLE) expect(nextTicketStatus(current, event)).toBe(next);
  });

  it('knows which kinds need an approval', () => {
    expect(APPROVAL_KINDS).toEqual(['unlock', 'mfa_reset', 'access_key', 'manual_verification']);
    expect(TICKET_KINDS.filter(needsApproval)).toEqual(['unlock', 'mfa_reset', 'access_key', 'manual_verification']);
    for (const kind of ['password_reset', 'login_help', 'no_account', 'email_failure'] as const) {
      expect(acceptsEvent(kind, 'approve')).toBe(false);
      expect(acceptsEvent(kind, 'claim')).toBe(true);
      expect(acceptsEvent(kind, 'resolve')).toBe(true);
    }
  });

  it('gives each event the statuses it leaves from (the WHERE of its update)', () => {
    expect(statusesFrom('claim')).toEqual(['open']);
    expect(statusesFrom('approve')).toEqual(['open', 'claimed']);
    expect(statusesFrom('deny')).toEqual(['open', 'claimed']);
    expect(statusesFrom('expire')).toEqual(['open', 'claimed']);
    expect(statusesFrom('resolve')).toEqual(['open', 'claimed']);
    expect(TICKET_STATUSES.filter(isPending)).toEqual(['open', 'claimed']);
  });
});
