// Core conformance, no self-service of power: an admin (or primary admin) may not unlock,
// clear the MFA of, reset the password of, or issue a first access key to their own
// account, nor decide their own request; each refusal says another admin must act and is
// audited as `refused:<action>`. Another admin may; the CLI (break-glass) may; rotating
// one's own existing key stays allowed — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessKey, listAccessKeys, rotateAccessKey } from '../../src/core/access-keys.js';
import { CLI_ACTOR, type Actor } from '../../src/core/deps.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { clearMfa } from '../../src/core/mfa.js';
import { adminResetPassword } from '../../src/core/passwords.js';
import type { Outcome, Refusal } from '../../src/core/refusal.js';
import { decideApproval, openTicket } from '../../src/core/tickets.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, actorOf, auditRows, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const codeOf = (out: Outcome<object>) => (out.ok ? 'ok' : out.code);
const HOUR = 3_600_000;

describe.each(STORE_KINDS)('core: no self-service of power on %s', (kind) => {
  let h: CoreHarness;
  let admin: Person;
  let primary: Person;
  let other: Person;
  let adminActor: Actor;
  let otherActor: Actor;
  beforeEach(async () => {
    h = await startCore(kind);
    admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin', slackUserId: 'UADMIN01' });
    primary = await seedPerson(h, { role: 'primary_admin', displayName: 'Pat Primary' });
    other = await seedPerson(h, { role: 'admin', displayName: 'Sam Second' });
    adminActor = await actorOf(h, admin.id);
    otherActor = await actorOf(h, other.id);
  });
  afterEach(async () => {
    await h.stop();
  });

  const lock = (id: string) => h.deps.db.updateTable('accounts').set({ locked_until: h.clock.now() + HOUR, failed_count: 5 }).where('id', '=', id).execute();
  const setTotp = (id: string) => h.deps.db.updateTable('accounts').set({ totp_secret_enc: 'sealed-secret' }).where('id', '=', id).execute();
  const refusedRows = async (action: string, target: string) =>
    (await auditRows(h, { action: `refused:${action}`, target })).map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail) as unknown }));

  it('refuses unlocking oneself, audited, the lock stays; another admin may', async () => {
    await lock(admin.id);
    const out = await unlockAccount(h.deps, adminActor, admin.id);
    expect(codeOf(out)).toBe('self_admin_action');
    expect((out as Refusal).message('en')).toBe('You can’t do this on your own account: another admin must do it for you.');
    expect((out as Refusal).message('fr')).toContain('un autre administrateur doit s’en charger');
    expect(await refusedRows('unlock', admin.id)).toEqual([{ actor: admin.id, detail: { reason: 'self_admin_action' } }]);
    expect((await accountRow(h, admin.id)).locked_until).not.toBeNull();
    expect(await auditRows(h, { action: 'unlock', target: admin.id })).toHaveLength(0);

    expect(codeOf(await unlockAccount(h.deps, otherActor, admin.id))).toBe('ok');
    expect((await accountRow(h, admin.id)).locked_until).toBeNull();
  });

  it('refuses clearing one’s own MFA, audited, the secret stays; another admin may', async () => {
    await setTotp(admin.id);
    expect(codeOf(await clearMfa(h.deps, adminActor, admin.id))).toBe('self_admin_action');
    expect(await refusedRows('clear_mfa', admin.id)).toEqual([{ actor: admin.id, detail: { reason: 'self_admin_action' } }]);
    expect((await accountRow(h, admin.id)).totp_secret_enc).toBe('sealed-secret');
    expect(h.effects.of('mfa_cleared', admin.id)).toHaveLength(0);

    expect(codeOf(await clearMfa(h.deps, otherActor, admin.id))).toBe('ok');
    expect((await accountRow(h, admin.id)).totp_secret_enc).toBeNull();
  });

  it('refuses resetting one’s own password (every policy), audited, nothing emailed; another admin may', async () => {
    const before = (await accountRow(h, admin.id)).password_hash;
    for (const policy of ['link', 'random', 'admin-set'] as const) {
      expect(codeOf(await adminResetPassword(h.deps, adminActor, admin.id, admin.email, policy))).toBe('self_admin_action');
    }
    expect(await refusedRows('reset_password', admin.id)).toHaveLength(3);
    expect((await accountRow(h, admin.id)).password_hash).toBe(before);
    expect(h.effects.of('set_password_link', admin.id)).toHaveLength(0);
    expect(h.effects.of('temp_password', admin.id)).toHaveLength(0);

    expect(codeOf(await adminResetPassword(h.deps, otherActor, admin.id, other.email, 'link'))).toBe('ok');
  });

  it('refuses issuing oneself a first key, audited, no key; another admin may, and the owner may rotate it', async () => {
    expect(codeOf(await issueAccessKey(h.deps, adminActor, admin.id))).toBe('self_admin_action');
    expect(await refusedRows('issue_access_key', admin.id)).toEqual([{ actor: admin.id, detail: { reason: 'self_admin_action' } }]);
    expect(await listAccessKeys(h.deps, admin.id)).toHaveLength(0);
    expect(h.effects.of('access_key_created', admin.id)).toHaveLength(0);

    const issued = await issueAccessKey(h.deps, otherActor, admin.id);
    if (!issued.ok) throw new Error(issued.code);
    // Rotating (or replacing, when leaked) one's own existing key is the owner's right.
    const rotated = await rotateAccessKey(h.deps, adminActor, issued.key.id);
    expect(codeOf(rotated)).toBe('ok');
    const replaced = rotated.ok ? await rotateAccessKey(h.deps, adminActor, rotated.key.id, { leaked: true }) : rotated;
    expect(codeOf(replaced)).toBe('ok');
    expect(await listAccessKeys(h.deps, admin.id)).toHaveLength(3);
  });

  it('a primary admin is held to the same rule, and the CLI break-glass is exempt', async () => {
    const primaryActor = await actorOf(h, primary.id);
    await lock(primary.id);
    await setTotp(primary.id);
    expect(codeOf(await unlockAccount(h.deps, primaryActor, primary.id))).toBe('self_admin_action');
    expect(codeOf(await issueAccessKey(h.deps, primaryActor, primary.id))).toBe('self_admin_action');
    // A primary admin's own MFA and password were already out of Slack's reach.
    expect(codeOf(await clearMfa(h.deps, primaryActor, primary.id))).toBe('primary_admin_protected');

    expect(codeOf(await unlockAccount(h.deps, CLI_ACTOR, primary.id))).toBe('ok');
    expect(codeOf(await clearMfa(h.deps, CLI_ACTOR, primary.id))).toBe('ok');
    expect(codeOf(await adminResetPassword(h.deps, CLI_ACTOR, primary.id, null, 'link'))).toBe('ok');
    expect(codeOf(await issueAccessKey(h.deps, CLI_ACTOR, primary.id))).toBe('ok');
  });

  it('refuses approving one’s own request of each kind, audited; another admin may', async () => {
    for (const ticketKind of ['unlock', 'mfa_reset', 'access_key'] as const) {
      h.clock.advance(1000);
      const own = await openTicket(h.deps, adminActor, { kind: ticketKind, accountId: admin.id, requesterSlackId: 'UADMIN01' });
      const out = await decideApproval(h.deps, adminActor, own.id, 'approve');
      expect(codeOf(out), ticketKind).toBe('self_approval');
      expect((out as Refusal).message('en')).toMatch(/another admin must/);
      expect(codeOf(await decideApproval(h.deps, otherActor, own.id, 'approve')), ticketKind).toBe('ok');
    }
    expect(await refusedRows('decide_ticket', admin.id)).toHaveLength(3);
  });
});
