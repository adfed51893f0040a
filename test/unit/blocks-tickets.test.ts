// The ticket card and the requester's DMs: buttons with confirm dialogs while an approval
// is undecided, no buttons once decided, escaped user text, Slack's limits, French.
import { describe, expect, it } from 'vitest';
import { approvalResultMessage, requestReceivedMessage } from '../../handlers/blocks/approval-result.js';
import type { Button, KnownBlock } from '../../handlers/blocks/elements.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { ticketCard, ticketThreadMessage, type CardTicket } from '../../handlers/blocks/ticket-card.js';
import { ACTIONS, BLOCKS } from '../../handlers/ids.js';

const AT = Date.UTC(2026, 10, 25, 9, 32);
const HOSTILE = '<!channel> <@U123> & <script>x</script> @here '.repeat(120);

function ticket(over: Partial<CardTicket> = {}): CardTicket {
  return {
    id: '0b7e1f0c-6a51-4d4f-9a49-3f4f7a7c2d11',
    kind: 'unlock',
    status: 'open',
    account_id: 'acc-1',
    requester_slack_id: 'U0USER01',
    data: '{}',
    created_at: AT,
    ...over,
  };
}

const account = { display_name: 'Uma User', email: 'uma@example.com' };

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]) : b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : []));
}

const ids = (blocks: KnownBlock[]) => buttons(blocks).map((b) => b.action_id);

describe('ticketCard', () => {
  it('shows Approve and Deny behind confirm dialogs, and Claim, while an approval is open', () => {
    const card = ticketCard({ ticket: ticket(), account, tz: 'Europe/Paris' });
    expect(ids(card.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny, ACTIONS.claim]);
    const [approve, deny] = buttons(card.blocks);
    expect(approve).toMatchObject({ style: 'primary', value: ticket().id, confirm: { confirm: { text: 'Approve' } } });
    expect(deny).toMatchObject({ style: 'danger', value: ticket().id, confirm: { confirm: { text: 'Deny' } } });
    expect(approve!.confirm!.text.text).toContain('Uma User');
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('u***@example.com');
    expect(text).not.toContain('uma@example.com');
    expect(text).toContain('<@U0USER01>');
    expect(text).toContain('25 Nov, 10:32');
    expect(card.blocks.find((b) => b.block_id === BLOCKS.ticketActions)).toBeDefined();
    expect(limitProblems(card.blocks)).toEqual([]);
  });

  it('keeps Approve and Deny but drops Claim once claimed, and says who claimed it', () => {
    const card = ticketCard({
      ticket: ticket({ status: 'claimed', data: JSON.stringify({ claimed_by: 'a', claimed_by_name: 'Alex Agent', claimed_at: AT }) }),
      account,
      tz: 'UTC',
    });
    expect(ids(card.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);
    expect(JSON.stringify(card.blocks)).toContain('Claimed by *Alex Agent*');
  });

  it('gives Claim and Resolve, with no approval buttons, to a ticket that needs none', () => {
    expect(ids(ticketCard({ ticket: ticket({ kind: 'login_help' }), account, tz: 'UTC' }).blocks)).toEqual([ACTIONS.claim, ACTIONS.resolve]);
    // A no_account ticket also offers admins Create account.
    expect(ids(ticketCard({ ticket: ticket({ kind: 'no_account', status: 'claimed', account_id: null }), account: null, tz: 'UTC' }).blocks)).toEqual([ACTIONS.createAccount, ACTIONS.resolve]);
  });

  it.each([
    ['approved', 'Approved by *Dana Admin*'],
    ['denied', 'Denied by *Dana Admin*'],
    ['expired', 'Expired on'],
    ['resolved', 'Resolved by *Dana Admin*'],
  ] as const)('shows a %s card with who and when, and no buttons', (status, line) => {
    const data = JSON.stringify({ decided_by_name: 'Dana Admin', decided_at: AT, resolved_by_name: 'Dana Admin', resolved_at: AT, expired_at: AT });
    const card = ticketCard({ ticket: ticket({ status, data }), account, tz: 'Europe/Paris' });
    expect(buttons(card.blocks)).toEqual([]);
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    const outcome = card.blocks.find((b) => b.block_id === BLOCKS.ticketOutcome);
    expect(JSON.stringify(outcome)).toContain(line);
  });

  it('escapes user text everywhere (names, notes, decider) and stays within limits for 5,000 characters', () => {
    const data = JSON.stringify({ note: HOSTILE, reason: HOSTILE, decided_by_name: HOSTILE, decided_at: AT });
    for (const status of ['open', 'approved'] as const) {
      const card = ticketCard({ ticket: ticket({ status, data, requester_slack_id: '<!channel>' }), account: { display_name: HOSTILE, email: HOSTILE }, tz: 'UTC' });
      const text = JSON.stringify(card);
      expect(text).not.toMatch(/<[!#]|<@U123>|<script>/);
      expect(text).not.toMatch(/@(here|channel)\b/);
      expect(limitProblems(card.blocks)).toEqual([]);
      expect(card.text.length).toBeLessThanOrEqual(300);
    }
  });

  it('renders in French', () => {
    const card = ticketCard({ ticket: ticket(), account, tz: 'Europe/Paris', locale: 'fr' });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('Demande de déverrouillage');
    expect(text).toContain('*Statut :*');
    expect(ids(card.blocks)).toHaveLength(3);
    expect(buttons(card.blocks)[0]!.text.text).toBe('Approuver');
    expect(buttons(card.blocks)[1]!.confirm!.confirm!.text).toBe('Refuser');
    expect(text).toContain('25 nov., 10:32');
  });

  it('writes thread lines with escaped names and notes', () => {
    const line = ticketThreadMessage({ event: 'approved', byName: '<@U999> Dana', at: AT, tz: 'America/New_York', note: 'unlocked <!here>' });
    expect(line.text).toContain('&lt;@U999&gt; Dana');
    expect(line.text).toContain('04:32');
    expect(JSON.stringify(line)).not.toMatch(/<[!@]/);
    expect(ticketThreadMessage({ event: 'expired', at: AT, tz: 'UTC', locale: 'fr' }).text).toContain('Expiré le');
  });

  it('says the core’s notes in the channel’s language, escaping their parameters', () => {
    const note = { key: 'slack.ticketNote.keyIssued', params: { keyId: 'K1<!here>' } } as const;
    expect(ticketThreadMessage({ event: 'approved', at: AT, tz: 'UTC', locale: 'en', note }).text).toContain('its owner got “Reveal once” in a DM');
    const fr = ticketThreadMessage({ event: 'approved', at: AT, tz: 'UTC', locale: 'fr', note });
    expect(fr.text).toContain('son titulaire a reçu « Afficher une fois »');
    expect(JSON.stringify(fr)).not.toMatch(/<!here>/);
    expect(ticketThreadMessage({ event: 'resolved', at: AT, tz: 'UTC', locale: 'fr', note: { key: 'slack.ticketNote.lockEndedByItself' } }).text).toContain('plus rien à décider');
  });

  it('words a no_account ticket’s Slack email, or its absence, in the card’s language', () => {
    const base = { id: '7f1c0c7e-1111-4a4a-9b9b-222233334444', kind: 'no_account', status: 'open', account_id: null, requester_slack_id: 'U1', created_at: AT } as const;
    expect(JSON.stringify(ticketCard({ ticket: { ...base, data: JSON.stringify({ slack_email: null }) }, tz: 'UTC', locale: 'fr' }))).toContain('Slack n’indique aucune adresse e-mail');
    expect(JSON.stringify(ticketCard({ ticket: { ...base, data: JSON.stringify({ slack_email: 'a@b.c' }) }, tz: 'UTC', locale: 'en' }))).toMatch(/Slack email\*\\na@b\.c/);
  });
});

describe('approval result and request received', () => {
  it.each([
    ['unlock', 'approved', /approved by Dana.*unlocked/],
    ['mfa_reset', 'approved', /approved by Dana.*emailed you a link/],
    ['access_key', 'approved', /Reveal once/],
    ['unlock', 'denied', /denied by Dana/],
    ['unlock', 'expired', /expired.*`\/unlock`/],
  ] as const)('%s %s', (kind, status, pattern) => {
    const message = approvalResultMessage({ kind, status, byName: 'Dana', locale: 'en' });
    expect(message.text).toMatch(pattern);
    expect(limitProblems(message.blocks)).toEqual([]);
  });

  it('escapes the decider and speaks French', () => {
    const message = approvalResultMessage({ kind: 'mfa_reset', status: 'denied', byName: '<!everyone>', locale: 'fr' });
    expect(message.text).toContain('a été refusée par &lt;!everyone&gt;');
    expect(requestReceivedMessage({ kind: 'unlock', created: true, openedAt: AT, tz: 'UTC', locale: 'fr' }).text).toContain('transmise au support');
    expect(requestReceivedMessage({ kind: 'unlock', created: false, openedAt: AT, tz: 'Europe/Paris', locale: 'en' }).text).toContain('waiting since 25 Nov, 10:32');
  });
});
