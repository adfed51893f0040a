// Core conformance, approvals (src/core/approvals): a request opens one ticket and one card;
// the first decision acts once, redraws the card and tells the requester; the unlock it
// causes names the approval, so the owner's notice knows the decision already told them;
// a failed action is said on the card only; expiry and an ended lock close what waits — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestApproval } from '../../src/core/approvals/request.js';
import { decideRequest, expireApprovals, resolveWaitingUnlock } from '../../src/core/approvals/decide.js';
import { hasPerformer } from '../../src/core/approvals/performers.js';
import { webActor, type Actor } from '../../src/core/deps.js';
import type { HelpdeskEffects, RequesterNotice, TicketCardEvent, TicketNote } from '../../src/core/effects.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { login } from '../../src/core/login.js';
import { APPROVAL_KINDS } from '../../src/core/ticket-status.js';
import { getTicket, openTicket } from '../../src/core/tickets.js';
import type { AccountRow, TicketRow } from '../../src/store/schema.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, actorOf, auditRows, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const HOUR = 3_600_000;

/** HelpdeskEffects that only record what the core asked for. */
class RecordingHelpdesk implements HelpdeskEffects {
  readonly posted: string[] = [];
  readonly updates: { ticketId: string; event: TicketCardEvent; by?: { name?: string | null; note?: TicketNote } }[] = [];
  readonly told: RequesterNotice[] = [];
  readonly keys: { ownerId: string; keyId: string }[] = [];
  postCard(ticket: TicketRow): Promise<void> {
    this.posted.push(ticket.id);
    return Promise.resolve();
  }
  updateCard(ticketId: string, event: TicketCardEvent, by?: { name?: string | null; note?: TicketNote }): Promise<void> {
    this.updates.push({ ticketId, event, ...(by ? { by } : {}) });
    return Promise.resolve();
  }
  tellRequester(notice: RequesterNotice): Promise<void> {
    this.told.push(notice);
    return Promise.resolve();
  }
  offerKey(owner: AccountRow, keyId: string): Promise<boolean> {
    this.keys.push({ ownerId: owner.id, keyId });
    return Promise.resolve(true);
  }
}

describe.each(STORE_KINDS)('core approvals on %s', (kind) => {
  let h: CoreHarness;
  let slack: RecordingHelpdesk;
  let admin: Person;
  let user: Person;
  let adminActor: Actor;
  beforeEach(async () => {
    h = await startCore(kind);
    slack = new RecordingHelpdesk();
    admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin', slackUserId: 'UADMIN01' });
    user = await seedPerson(h, { displayName: 'Uma User', slackUserId: 'UUSER001', locale: 'fr' });
    adminActor = await actorOf(h, admin.id);
  });
  afterEach(async () => {
    await h.stop();
  });

  const lockUser = async () => {
    for (let i = 0; i < 6; i++) await login(h.deps, webActor('203.0.113.9'), { login: user.email, password: 'wrong wrong wrong wrong' });
    expect((await accountRow(h, user.id)).locked_until).not.toBeNull();
  };
  const asker = async (id: string) => ({ account: await accountRow(h, id), actor: await actorOf(h, id) });
  const requestUnlock = async () => {
    const out = await requestApproval(h.deps, slack, await asker(user.id), 'unlock', 'UUSER001');
    if (out.status !== 'requested') throw new Error(`unlock not requested: ${out.status}`);
    return out;
  };

  it('has a performer for every kind of approval', () => {
    for (const approvalKind of APPROVAL_KINDS) expect(hasPerformer(approvalKind)).toBe(true);
    expect(hasPerformer('login_help')).toBe(false);
  });

  it('opens one unlock ticket and one card for a locked account, nothing for an unlocked one', async () => {
    expect(await requestApproval(h.deps, slack, await asker(user.id), 'unlock', 'UUSER001')).toEqual({ status: 'not_locked' });
    expect(slack.posted).toEqual([]);
    await lockUser();
    const first = await requestUnlock();
    expect(first.created).toBe(true);
    const again = await requestUnlock();
    expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    expect(slack.posted).toEqual([first.ticket.id]);
  });

  it('refuses a primary admin’s MFA reset request at once: no admin could approve it', async () => {
    const boss = await seedPerson(h, { role: 'primary_admin' });
    const out = await requestApproval(h.deps, slack, await asker(boss.id), 'mfa_reset', 'UBOSS001');
    expect(out).toMatchObject({ status: 'refused', refusal: { code: 'primary_admin_protected' } });
    expect(slack.posted).toEqual([]);
  });

  it('approving unlocks once, redraws the card, tells the requester in their locale, and the unlock names the approval', async () => {
    await lockUser();
    const { ticket } = await requestUnlock();
    h.clock.advance(60_000);
    const out = await decideRequest(h.deps, slack, adminActor, ticket.id, 'approve');
    expect(out).toMatchObject({ ok: true, ticket: { status: 'approved' }, performed: { ok: true, note: { key: 'slack.ticketNote.unlocked' } } });
    expect((await accountRow(h, user.id)).locked_until).toBeNull();
    expect(slack.updates).toEqual([{ ticketId: ticket.id, event: 'approved', by: { name: 'Dana Admin', note: { key: 'slack.ticketNote.unlocked' } } }]);
    expect(slack.told).toEqual([{ slackUserId: 'UUSER001', kind: 'unlock', status: 'approved', byName: 'Dana Admin', locale: 'fr' }]);
    // The fact the owner's unlock notice reads: no second DM, and no clock to guess with.
    expect(h.effects.notices.at(-1)).toEqual({ kind: 'account_unlocked', accountId: user.id, how: 'unlock', at: h.clock.now(), approvalId: ticket.id });
    expect((await auditRows(h, { action: 'unlock', target: user.id })).map((r) => JSON.parse(r.detail ?? '{}') as unknown)).toEqual([
      { why: 'unlock', ticket_id: ticket.id },
    ]);

    const late = await decideRequest(h.deps, slack, await actorOf(h, (await seedPerson(h, { role: 'admin' })).id), ticket.id, 'deny');
    expect(late).toMatchObject({ ok: false, code: 'already_decided' });
    expect(slack.updates).toHaveLength(1);
    expect(slack.told).toHaveLength(1);
  });

  it('an admin’s own unlock names no approval', async () => {
    await lockUser();
    await unlockAccount(h.deps, adminActor, user.id);
    expect(h.effects.notices.at(-1)).toEqual({ kind: 'account_unlocked', accountId: user.id, how: 'unlock', at: h.clock.now() });
  });

  it('denying changes nothing but the ticket: the card and the requester say so', async () => {
    await lockUser();
    const { ticket } = await requestUnlock();
    const out = await decideRequest(h.deps, slack, adminActor, ticket.id, 'deny');
    expect(out).toMatchObject({ ok: true, ticket: { status: 'denied' }, performed: null });
    expect((await accountRow(h, user.id)).locked_until).not.toBeNull();
    expect(slack.updates).toEqual([{ ticketId: ticket.id, event: 'denied', by: { name: 'Dana Admin' } }]);
    expect(slack.told).toEqual([{ slackUserId: 'UUSER001', kind: 'unlock', status: 'denied', byName: 'Dana Admin', locale: 'fr' }]);
  });

  it('refuses a decision on one’s own request and tells nobody', async () => {
    await lockUser();
    const { ticket } = await requestUnlock();
    const out = await decideRequest(h.deps, slack, await actorOf(h, user.id), ticket.id, 'approve');
    expect(out.ok).toBe(false);
    expect(slack.updates).toEqual([]);
    expect(slack.told).toEqual([]);
  });

  it('an approval that can’t be carried out is said on the card; the requester is not told it was done', async () => {
    const orphan = await openTicket(h.deps, webActor('192.0.2.1'), { kind: 'unlock', accountId: null, requesterSlackId: 'UNOBODY1' });
    const out = await decideRequest(h.deps, slack, adminActor, orphan.id, 'approve');
    expect(out).toMatchObject({ ok: true, performed: { ok: false, note: { key: 'slack.ticketNote.noAccount' } } });
    expect(slack.updates).toEqual([
      { ticketId: orphan.id, event: 'approved', by: { name: 'Dana Admin' } },
      { ticketId: orphan.id, event: 'failed', by: { note: { key: 'slack.ticketNote.noAccount' } } },
    ]);
    expect(slack.told).toEqual([]);
  });

  it('an approved access key goes to its owner as “Reveal once”', async () => {
    const out = await requestApproval(h.deps, slack, await asker(user.id), 'access_key', 'UUSER001');
    if (out.status !== 'requested') throw new Error('not requested');
    const decided = await decideRequest(h.deps, slack, adminActor, out.ticket.id, 'approve');
    expect(decided).toMatchObject({ ok: true, performed: { ok: true } });
    expect(slack.keys).toEqual([{ ownerId: user.id, keyId: expect.any(String) as string }]);
    expect(slack.told).toEqual([{ slackUserId: 'UUSER001', kind: 'access_key', status: 'approved', byName: 'Dana Admin', locale: 'fr' }]);
  });

  it('expires what nobody decided in time: the card says so and the requester may ask again', async () => {
    await lockUser();
    const { ticket } = await requestUnlock();
    expect(await expireApprovals(h.deps, slack, 24 * HOUR)).toBe(0);
    h.clock.advance(24 * HOUR);
    expect(await expireApprovals(h.deps, slack, 24 * HOUR)).toBe(1);
    expect((await getTicket(h.deps, ticket.id))?.status).toBe('expired');
    expect(slack.updates).toEqual([{ ticketId: ticket.id, event: 'expired' }]);
    expect(slack.told).toEqual([{ slackUserId: 'UUSER001', kind: 'unlock', status: 'expired', locale: 'fr' }]);
  });

  it('a lock that ended otherwise resolves the unlock request opened before it ended, once', async () => {
    await lockUser();
    const { ticket } = await requestUnlock();
    h.clock.advance(1000);
    await resolveWaitingUnlock(h.deps, slack, user.id, { how: 'expired', at: h.clock.now() });
    await resolveWaitingUnlock(h.deps, slack, user.id, { how: 'expired', at: h.clock.now() });
    expect((await getTicket(h.deps, ticket.id))?.status).toBe('resolved');
    expect(slack.updates).toEqual([{ ticketId: ticket.id, event: 'resolved', by: { note: { key: 'slack.ticketNote.lockEndedByItself' } } }]);
  });
});
