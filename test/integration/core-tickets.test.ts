// Core conformance, tickets: open and record, first decision wins under 20 concurrent
// clicks, self-approval refused and audited, agents claim and resolve but never decide,
// stale approvals expire, and an open request is found instead of duplicated — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Actor } from '../../src/core/deps.js';
import type { Refusal } from '../../src/core/refusal.js';
import {
  claimTicket,
  decideApproval,
  expireStaleApprovals,
  getTicket,
  openTicket,
  recordTicketMessage,
  requestTicket,
  resolveTicket,
  ticketData,
  type OpenTicketInput,
} from '../../src/core/tickets.js';
import { listOpenTickets } from '../../src/core/helpdesk-lists.js';
import { findPendingTicket } from '../../src/store/tickets.js';
import type { TicketRow } from '../../src/store/schema.js';
import { STORE_KINDS } from '../support/stores.js';
import { actorOf, auditRows, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);
const HOUR = 3_600_000;

describe.each(STORE_KINDS)('core tickets on %s', (kind) => {
  let h: CoreHarness;
  let admin: Person;
  let otherAdmin: Person;
  let agent: Person;
  let user: Person;
  let adminActor: Actor;
  let agentActor: Actor;
  let userActor: Actor;
  beforeEach(async () => {
    h = await startCore(kind);
    admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin', slackUserId: 'UADMIN01' });
    otherAdmin = await seedPerson(h, { role: 'admin', displayName: 'Sam Second' });
    agent = await seedPerson(h, { role: 'agent', displayName: 'Alex Agent' });
    user = await seedPerson(h, { displayName: 'Uma User', slackUserId: 'UUSER001' });
    adminActor = await actorOf(h, admin.id);
    agentActor = await actorOf(h, agent.id);
    userActor = await actorOf(h, user.id);
  });
  afterEach(async () => {
    await h.stop();
  });

  const unlockRequest = (accountId = user.id, slackId: string | null = 'UUSER001'): OpenTicketInput => ({ kind: 'unlock', accountId, requesterSlackId: slackId });
  const open = (input: OpenTicketInput = unlockRequest(), actor: Actor = userActor) => openTicket(h.deps, actor, input);
  const fresh = async (id: string): Promise<TicketRow> => {
    const row = await getTicket(h.deps, id);
    if (!row) throw new Error('ticket gone');
    return row;
  };

  it('opens a ticket, records where its card lives, lists it, and audits the opening', async () => {
    const ticket = await open({ ...unlockRequest(), data: { note: 'lost my phone <!channel>', attempts: 5, urgent: true, none: null } });
    expect(ticket).toMatchObject({ kind: 'unlock', status: 'open', account_id: user.id, requester_slack_id: 'UUSER001', channel: null, message_ts: null, created_at: h.clock.now() });
    expect(ticketData(await fresh(ticket.id))).toEqual({ note: 'lost my phone <!channel>', attempts: 5, urgent: true, none: null });

    h.clock.advance(1000);
    await recordTicketMessage(h.deps, ticket.id, 'CHELPDESK', '1764064800.000100');
    expect(await fresh(ticket.id)).toMatchObject({ channel: 'CHELPDESK', message_ts: '1764064800.000100', status: 'open' });

    const other = await open({ kind: 'login_help', accountId: null, requesterSlackId: 'UNOBODY1' });
    expect((await listOpenTickets(h.deps)).map((t) => t.id)).toEqual([ticket.id, other.id]);
    expect(await auditRows(h, { action: 'open_ticket' })).toHaveLength(2);
    expect((await auditRows(h, { action: 'open_ticket', target: user.id }))[0]).toMatchObject({ actor: user.id });

    await expect(open({ ...unlockRequest(), data: { secret_answer: 'x' } })).rejects.toThrow(/looks like a secret/);
    expect(ticketData({ data: 'not json' })).toEqual({});
  });

  it('lets exactly one of 20 concurrent decisions win; the others see what it was and who made it', async () => {
    const ticket = await open();
    const actors = [adminActor, await actorOf(h, otherAdmin.id)];
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => decideApproval(h.deps, actors[i % 2]!, ticket.id, i % 3 === 0 ? 'deny' : 'approve')),
    );
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    const won = winners[0]!.ticket;
    const losers = outcomes.filter((o): o is Refusal => !o.ok);
    expect(losers).toHaveLength(19);
    const data = ticketData(won);
    for (const loser of losers) {
      expect(loser.code).toBe('already_decided');
      expect(loser.params).toEqual({ status: won.status, by: data.decided_by_name });
    }
    expect(['approved', 'denied']).toContain(won.status);
    expect(data).toMatchObject({ decided_at: h.clock.now() });
    expect([admin.id, otherAdmin.id]).toContain(data.decided_by);
    expect(await fresh(ticket.id)).toEqual(won);

    const decisions = [...(await auditRows(h, { action: 'approve_ticket' })), ...(await auditRows(h, { action: 'deny_ticket' }))];
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ actor: data.decided_by, target_account_id: user.id });
    expect(JSON.parse(decisions[0]!.detail)).toEqual({ ticket_id: ticket.id, kind: 'unlock' });

    const late = await decideApproval(h.deps, adminActor, ticket.id, 'approve');
    expect(codeOf(late)).toBe('already_decided');
    expect((late as Refusal).message('en')).toMatch(/already been decided: (approved|denied) by (Dana Admin|Sam Second)\./);
  });

  it('refuses self-approval, by account or by Slack id, and audits it; the ticket stays open', async () => {
    const own = await open({ kind: 'mfa_reset', accountId: admin.id, requesterSlackId: 'UADMIN01' }, adminActor);
    const out = await decideApproval(h.deps, adminActor, own.id, 'approve');
    expect(codeOf(out)).toBe('self_approval');
    expect((out as Refusal).message('fr')).toContain('votre propre demande');

    // An admin who asked (from Slack) about an account that is not theirs is still the requester.
    h.clock.advance(1000);
    const asked = await open({ kind: 'access_key', accountId: user.id, requesterSlackId: 'UADMIN01' }, adminActor);
    expect(codeOf(await decideApproval(h.deps, adminActor, asked.id, 'deny'))).toBe('self_approval');

    const refused = await auditRows(h, { action: 'refused:decide_ticket' });
    expect(refused.map((r) => JSON.parse(r.detail) as Record<string, unknown>)).toEqual([
      { reason: 'self_approval', ticket_id: own.id },
      { reason: 'self_approval', ticket_id: asked.id },
    ]);
    expect(refused.every((r) => r.actor === admin.id && r.client_address === '198.51.100.7')).toBe(true);
    expect((await fresh(own.id)).status).toBe('open');
    expect((await fresh(asked.id)).status).toBe('open');

    // Another admin may decide it.
    expect(codeOf(await decideApproval(h.deps, await actorOf(h, otherAdmin.id), own.id, 'approve'))).toBe('ok');
  });

  it('lets agents claim and resolve, but never decide an approval or close one undecided', async () => {
    const unlock = await open();
    const denied = await decideApproval(h.deps, agentActor, unlock.id, 'approve');
    expect(codeOf(denied)).toBe('forbidden');
    expect(await auditRows(h, { action: 'refused:decide_ticket' })).toHaveLength(1);
    expect(codeOf(await decideApproval(h.deps, userActor, unlock.id, 'approve'))).toBe('forbidden');

    h.clock.advance(60_000);
    const claimed = await claimTicket(h.deps, agentActor, unlock.id);
    expect(codeOf(claimed)).toBe('ok');
    expect(await fresh(unlock.id)).toMatchObject({ status: 'claimed' });
    expect(ticketData(await fresh(unlock.id))).toEqual({ claimed_by: agent.id, claimed_by_name: 'Alex Agent', claimed_at: h.clock.now() });
    const again = await claimTicket(h.deps, adminActor, unlock.id);
    expect(codeOf(again)).toBe('already_claimed');
    expect((again as Refusal).params).toEqual({ by: 'Alex Agent' });

    expect(codeOf(await resolveTicket(h.deps, agentActor, unlock.id))).toBe('forbidden');
    expect(await auditRows(h, { action: 'refused:resolve_ticket' })).toHaveLength(1);
    expect(codeOf(await claimTicket(h.deps, userActor, unlock.id))).toBe('forbidden');
    expect(await auditRows(h, { action: 'refused:claim_ticket' })).toHaveLength(1);

    // A claimed approval is still the admins' to decide, and the claim stays in its data.
    const approved = await decideApproval(h.deps, adminActor, unlock.id, 'approve');
    expect(codeOf(approved)).toBe('ok');
    expect(ticketData(await fresh(unlock.id))).toMatchObject({ claimed_by: agent.id, decided_by: admin.id, decided_by_name: 'Dana Admin' });
    expect(codeOf(await claimTicket(h.deps, agentActor, unlock.id))).toBe('ticket_closed');

    const help = await open({ kind: 'login_help', accountId: user.id, requesterSlackId: 'UUSER001' });
    expect(codeOf(await decideApproval(h.deps, adminActor, help.id, 'approve'))).toBe('not_an_approval');
    const resolved = await resolveTicket(h.deps, agentActor, help.id);
    expect(codeOf(resolved)).toBe('ok');
    expect(await fresh(help.id)).toMatchObject({ status: 'resolved' });
    expect(codeOf(await resolveTicket(h.deps, agentActor, help.id))).toBe('ticket_closed');
    expect(await auditRows(h, { action: 'claim_ticket' })).toHaveLength(1);
    expect(await auditRows(h, { action: 'resolve_ticket' })).toHaveLength(1);

    // The system closes an unlock request whose lock ended by itself.
    const another = await open(unlockRequest(otherAdmin.id, null), await actorOf(h, otherAdmin.id));
    expect(codeOf(await resolveTicket(h.deps, SYSTEM_ACTOR, another.id))).toBe('ok');
    expect(codeOf(await claimTicket(h.deps, agentActor, 'does-not-exist'))).toBe('ticket_not_found');
    expect(codeOf(await decideApproval(h.deps, adminActor, 'does-not-exist', 'approve'))).toBe('ticket_not_found');
  });

  it('keeps both a claim and a decision that race (neither update is lost)', async () => {
    for (let i = 0; i < 5; i += 1) {
      const ticket = await open(unlockRequest(user.id, null));
      const [claim, decision] = await Promise.all([claimTicket(h.deps, agentActor, ticket.id), decideApproval(h.deps, adminActor, ticket.id, 'deny')]);
      expect(codeOf(decision)).toBe('ok');
      const data = ticketData(await fresh(ticket.id));
      expect(data.decided_by).toBe(admin.id);
      expect(data.claimed_by !== undefined).toBe(claim.ok);
    }
  });

  it('refuses approving an MFA reset of a primary admin from Slack, and audits it', async () => {
    const primary = await seedPerson(h, { role: 'primary_admin' });
    const ticket = await open({ kind: 'mfa_reset', accountId: primary.id, requesterSlackId: null }, await actorOf(h, primary.id));
    expect(codeOf(await decideApproval(h.deps, adminActor, ticket.id, 'approve'))).toBe('primary_admin_protected');
    expect(await auditRows(h, { action: 'refused:clear_mfa', target: primary.id })).toHaveLength(1);
    expect(codeOf(await decideApproval(h.deps, adminActor, ticket.id, 'deny'))).toBe('ok');
  });

  it('expires approvals left undecided, once, and a late decision sees it', async () => {
    const old1 = await open();
    const old2 = await open({ kind: 'access_key', accountId: agent.id, requesterSlackId: null }, agentActor);
    const oldHelp = await open({ kind: 'login_help', accountId: user.id, requesterSlackId: null });
    await claimTicket(h.deps, agentActor, old2.id);
    h.clock.advance(25 * HOUR);
    const recent = await open({ kind: 'mfa_reset', accountId: user.id, requesterSlackId: null });

    const expired = await expireStaleApprovals(h.deps, 24 * HOUR);
    expect(expired.map((t) => t.id).sort()).toEqual([old1.id, old2.id].sort());
    expect(expired.every((t) => t.status === 'expired')).toBe(true);
    expect(ticketData(await fresh(old2.id))).toMatchObject({ claimed_by: agent.id, expired_at: h.clock.now() });
    expect((await fresh(oldHelp.id)).status).toBe('open');
    expect((await fresh(recent.id)).status).toBe('open');
    const audits = await auditRows(h, { action: 'expire_ticket' });
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.actor === 'system')).toBe(true);

    expect(await expireStaleApprovals(h.deps, 24 * HOUR)).toEqual([]);
    const late = await decideApproval(h.deps, adminActor, old1.id, 'approve');
    expect(codeOf(late)).toBe('already_decided');
    expect((late as Refusal).params).toEqual({ status: 'expired', by: 'keydesk' });
    expect((await listOpenTickets(h.deps)).map((t) => t.id)).toEqual([oldHelp.id, recent.id]);
  });

  it('lets an expiry and a decision race cleanly: exactly one of them moves the ticket', async () => {
    const ticket = await open();
    h.clock.advance(25 * HOUR);
    const [expired, decision] = await Promise.all([expireStaleApprovals(h.deps, 24 * HOUR), decideApproval(h.deps, adminActor, ticket.id, 'approve')]);
    expect(expired.length + (decision.ok ? 1 : 0)).toBe(1);
    expect((await fresh(ticket.id)).status).toBe(decision.ok ? 'approved' : 'expired');
  });

  it('finds the open request instead of opening a duplicate, and opens anew once it is closed', async () => {
    const first = await requestTicket(h.deps, userActor, unlockRequest());
    expect(first.created).toBe(true);
    const second = await requestTicket(h.deps, userActor, unlockRequest());
    expect(second).toEqual({ ticket: first.ticket, created: false });
    expect((await findPendingTicket(h.deps.db, 'unlock', { accountId: user.id }))?.id).toBe(first.ticket.id);
    expect(await findPendingTicket(h.deps.db, 'mfa_reset', { accountId: user.id })).toBeUndefined();
    expect(await findPendingTicket(h.deps.db, 'unlock', { accountId: agent.id })).toBeUndefined();

    await claimTicket(h.deps, agentActor, first.ticket.id);
    expect((await findPendingTicket(h.deps.db, 'unlock', { accountId: user.id }))?.id).toBe(first.ticket.id);
    await decideApproval(h.deps, adminActor, first.ticket.id, 'deny');
    expect(await findPendingTicket(h.deps.db, 'unlock', { accountId: user.id })).toBeUndefined();
    const third = await requestTicket(h.deps, userActor, unlockRequest());
    expect(third.created).toBe(true);
    expect(third.ticket.id).not.toBe(first.ticket.id);
    expect(await auditRows(h, { action: 'open_ticket' })).toHaveLength(2);

    // Without an account, the Slack user who asked is what matches.
    const a = await requestTicket(h.deps, SYSTEM_ACTOR, { kind: 'no_account', accountId: null, requesterSlackId: 'UNOBODY1' });
    const b = await requestTicket(h.deps, SYSTEM_ACTOR, { kind: 'no_account', accountId: null, requesterSlackId: 'UNOBODY1' });
    const c = await requestTicket(h.deps, SYSTEM_ACTOR, { kind: 'no_account', accountId: null, requesterSlackId: 'UNOBODY2' });
    expect([a.created, b.created, c.created]).toEqual([true, false, true]);
    expect(b.ticket.id).toBe(a.ticket.id);
    expect(c.ticket.id).not.toBe(a.ticket.id);
  });
});
