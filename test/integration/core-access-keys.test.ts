// Core conformance, access keys: issue (pending reveal), reveal once by the owner,
// verify, revoke, rotate with and without grace, leaked rotation, last use, and only an
// HMAC at rest — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessKey, keyState, listAccessKeys, listKeysOf, revealAccessKey, revokeAccessKey, rotateAccessKey, verifyAccessKey } from '../../src/core/access-keys.js';
import { disableAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, type Actor, type CoreDeps } from '../../src/core/deps.js';
import { STORE_KINDS } from '../support/stores.js';
import { actorOf, auditRows, expectNoSecretsInAudit, seedPerson, startCore, type CoreHarness, type Person } from '../support/core.js';

const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);
const KEY_FORMAT = /^kd_([0-9a-f]{24})_([0-9A-Za-z]{43})$/;

describe.each(STORE_KINDS)('core access keys on %s', (kind) => {
  let h: CoreHarness;
  let admin: Person;
  let owner: Person;
  let ownerActor: Actor;
  beforeEach(async () => {
    h = await startCore(kind);
    admin = await seedPerson(h, { role: 'admin' });
    owner = await seedPerson(h);
    ownerActor = await actorOf(h, owner.id, '192.0.2.44');
  });
  afterEach(async () => {
    await h.stop();
  });

  async function issued(deps: CoreDeps = h.deps): Promise<string> {
    const out = await issueAccessKey(deps, await actorOf(h, admin.id), owner.id);
    if (!out.ok) throw new Error(out.code);
    return out.key.id;
  }

  async function revealed(keyId: string, deps: CoreDeps = h.deps): Promise<string> {
    const out = await revealAccessKey(deps, ownerActor, keyId);
    if (!out.ok) throw new Error(out.code);
    return out.accessKey;
  }

  const keyRow = (id: string) => h.deps.db.selectFrom('access_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const whoami = async (deps: CoreDeps, key: string) => (await verifyAccessKey(deps, key))?.account.id ?? null;

  it('issues a key pending reveal with no secret stored; only admins may issue', async () => {
    const keyId = await issued();
    expect(await keyRow(keyId)).toMatchObject({ account_id: owner.id, created_by: admin.id, status: 'pending_reveal', secret_hash: null, revealed_at: null });
    const mail = h.effects.last('access_key_created', owner.id);
    expect(mail.secret).toBeUndefined();
    expect(mail.facts).toEqual({ keyId });
    const byUser = await issueAccessKey(h.deps, ownerActor, owner.id);
    expect(codeOf(byUser)).toBe('forbidden');
    expect(await auditRows(h, { action: 'refused:issue_access_key' })).toHaveLength(1);
  });

  it('is revealed once, by its owner only, and then verifies; the store keeps only an HMAC', async () => {
    const keyId = await issued();
    const byAdmin = await revealAccessKey(h.deps, await actorOf(h, admin.id), keyId);
    expect(codeOf(byAdmin)).toBe('key_not_found');
    expect(codeOf(await revealAccessKey(h.deps, ownerActor, 'f'.repeat(24)))).toBe('key_not_found');

    const key = await revealed(keyId);
    const [, publicId, secret] = KEY_FORMAT.exec(key) ?? [];
    expect(publicId).toBe(keyId);
    expect(secret).toBeDefined();
    expect(codeOf(await revealAccessKey(h.deps, ownerActor, keyId))).toBe('key_already_revealed');
    const again = await Promise.all([revealAccessKey(h.deps, ownerActor, keyId), revealAccessKey(h.deps, ownerActor, keyId)]);
    expect(again.map(codeOf)).toEqual(['key_already_revealed', 'key_already_revealed']);

    const row = await keyRow(keyId);
    expect(row).toMatchObject({ status: 'active', revealed_at: h.clock.now() });
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret!);

    expect(await verifyAccessKey(h.deps, key)).toMatchObject({ account: { id: owner.id }, keyId });
    expect(await whoami(h.deps, `kd_${keyId}_${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await whoami(h.deps, `kd_${keyId}_${'0'.repeat(43)}`)).toBeNull();
    for (const junk of ['', 'kd_', key + 'x', key.replace('kd_', 'kx_'), `Bearer ${key}`]) expect(await whoami(h.deps, junk)).toBeNull();

    expect((await auditRows(h, { action: 'reveal_access_key', target: owner.id }))[0]).toMatchObject({ actor: owner.id, client_address: '192.0.2.44' });
    await expectNoSecretsInAudit(h, [key, secret!, owner.password, owner.pin, owner.answer]);
  });

  it('records the last use, to the minute', async () => {
    const key = await revealed(await issued());
    const keyId = KEY_FORMAT.exec(key)![1]!;
    expect((await keyRow(keyId)).last_used_at).toBeNull();
    const first = h.clock.now();
    expect(await whoami(h.deps, key)).toBe(owner.id);
    expect((await keyRow(keyId)).last_used_at).toBe(first);
    h.clock.advance(30_000);
    await whoami(h.deps, key);
    expect((await keyRow(keyId)).last_used_at).toBe(first);
    h.clock.advance(31_000);
    await whoami(h.deps, key);
    expect((await keyRow(keyId)).last_used_at).toBe(h.clock.now());
  });

  it('stops working once revoked, by its owner or an admin, but not by another user', async () => {
    const stranger = await seedPerson(h);
    const key = await revealed(await issued());
    const keyId = KEY_FORMAT.exec(key)![1]!;
    expect(codeOf(await revokeAccessKey(h.deps, await actorOf(h, stranger.id), keyId))).toBe('key_not_found');
    expect(await auditRows(h, { action: 'refused:revoke_access_key' })).toHaveLength(1);
    expect(await whoami(h.deps, key)).toBe(owner.id);
    expect((await revokeAccessKey(h.deps, ownerActor, keyId)).ok).toBe(true);
    expect(await whoami(h.deps, key)).toBeNull();
    expect(await keyRow(keyId)).toMatchObject({ status: 'revoked', revoked_at: h.clock.now() });
    expect(codeOf(await revealAccessKey(h.deps, ownerActor, keyId))).toBe('key_revoked');
    expect(codeOf(await rotateAccessKey(h.deps, ownerActor, keyId))).toBe('key_revoked');

    const other = await revealed(await issued());
    expect((await revokeAccessKey(h.deps, await actorOf(h, admin.id), KEY_FORMAT.exec(other)![1]!)).ok).toBe(true);
    expect(await whoami(h.deps, other)).toBeNull();
  });

  it('does not verify for a disabled owner', async () => {
    const key = await revealed(await issued());
    await disableAccount(h.deps, CLI_ACTOR, owner.id, 'admin');
    expect(await whoami(h.deps, key)).toBeNull();
  });

  it('ACCESS_KEY_ROTATION_GRACE_SECONDS=0: rotation kills the old key at once; the new one is pending reveal', async () => {
    const deps = h.withEnv({ ACCESS_KEY_ROTATION_GRACE_SECONDS: '0' });
    const oldKey = await revealed(await issued(deps), deps);
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    const rotated = await rotateAccessKey(deps, ownerActor, oldId);
    if (!rotated.ok) throw new Error(rotated.code);
    expect(rotated.key).toMatchObject({ status: 'pending_reveal', secret_hash: null, account_id: owner.id });
    expect(await whoami(deps, oldKey)).toBeNull();
    expect(await keyRow(oldId)).toMatchObject({ status: 'revoked', replaced_by: rotated.key.id });
    const newKey = await revealed(rotated.key.id, deps);
    expect(await whoami(deps, newKey)).toBe(owner.id);
    expect((await listAccessKeys(deps, owner.id)).map((k) => k.id).sort()).toEqual([oldId, rotated.key.id].sort());
  });

  it('by default (24 h) a rotated key keeps working until the clock passes 24 h, and is listed as expiring', async () => {
    const oldKey = await revealed(await issued());
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    const rotated = await rotateAccessKey(h.deps, ownerActor, oldId);
    if (!rotated.ok) throw new Error(rotated.code);
    expect(rotated.oldKey).toMatchObject({ id: oldId, status: 'active', expires_at: h.clock.now() + 86_400_000, replaced_by: rotated.key.id });
    expect(keyState(rotated.oldKey, h.clock.now())).toBe('expiring');
    h.clock.advance(86_400_000 - 1);
    expect(await whoami(h.deps, oldKey)).toBe(owner.id);
    h.clock.advance(1);
    expect(await whoami(h.deps, oldKey)).toBeNull();
    expect(keyState(await keyRow(oldId), h.clock.now())).toBe('expired');
  });

  it('only the owner or an admin may list, rotate or revoke a key; refusals are audited', async () => {
    const stranger = await seedPerson(h);
    const strangerActor = await actorOf(h, stranger.id);
    const keyId = KEY_FORMAT.exec(await revealed(await issued()))![1]!;
    expect(codeOf(await listKeysOf(h.deps, strangerActor, owner.id))).toBe('forbidden');
    expect(codeOf(await rotateAccessKey(h.deps, strangerActor, keyId))).toBe('key_not_found');
    expect(codeOf(await revokeAccessKey(h.deps, strangerActor, keyId, { leaked: true }))).toBe('key_not_found');
    expect(await auditRows(h, { action: 'refused:list_access_keys' })).toHaveLength(1);
    expect(await auditRows(h, { action: 'refused:rotate_access_key' })).toHaveLength(1);
    expect(await auditRows(h, { action: 'refused:revoke_leaked_access_key' })).toHaveLength(1);
    expect(h.effects.notices).toEqual([]);
    const own = await listKeysOf(h.deps, ownerActor, owner.id);
    expect(own.ok && own.keys.map((k) => k.id)).toEqual([keyId]);
    const byAdmin = await listKeysOf(h.deps, await actorOf(h, admin.id), owner.id);
    expect(byAdmin.ok && byAdmin.keys.map((k) => k.id)).toEqual([keyId]);
    expect((await listKeysOf(h.deps, CLI_ACTOR, owner.id)).ok).toBe(true);
    // A disabled owner manages nothing.
    await disableAccount(h.deps, CLI_ACTOR, owner.id, 'admin');
    const disabledActor = await actorOf(h, owner.id);
    expect(codeOf(await listKeysOf(h.deps, disabledActor, owner.id))).toBe('forbidden');
    expect(codeOf(await revokeAccessKey(h.deps, disabledActor, keyId))).toBe('key_not_found');
  });

  it("an admin may revoke a primary admin's key (a leaked key is a safety matter), and rotate it", async () => {
    const primary = await seedPerson(h, { role: 'primary_admin' });
    const out = await issueAccessKey(h.deps, await actorOf(h, admin.id), primary.id);
    if (!out.ok) throw new Error(out.code);
    const adminActor = await actorOf(h, admin.id);
    expect((await rotateAccessKey(h.deps, adminActor, out.key.id)).ok).toBe(true);
    expect((await revokeAccessKey(h.deps, adminActor, out.key.id, { leaked: true })).ok).toBe(true);
    expect(await keyRow(out.key.id)).toMatchObject({ status: 'revoked' });
  });

  it('revoke as leaked: the key ends at once, the owner gets an email and a Slack notice, and a ticket opens with its card', async () => {
    const key = await revealed(await issued());
    const keyId = KEY_FORMAT.exec(key)![1]!;
    const out = await revokeAccessKey(h.deps, await actorOf(h, admin.id), keyId, { leaked: true });
    if (!out.ok) throw new Error(out.code);
    expect(await whoami(h.deps, key)).toBeNull();
    expect(await keyRow(keyId)).toMatchObject({ status: 'revoked', revoked_at: h.clock.now() });
    expect(h.effects.last('access_key_revoked', owner.id)).toMatchObject({ to: owner.email, facts: { keyId } });
    expect(h.effects.last('access_key_revoked', owner.id).secret).toBeUndefined();
    const ticket = await h.deps.db.selectFrom('tickets').selectAll().where('id', '=', out.ticketId!).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ kind: 'access_key_leak', account_id: owner.id, status: 'open' });
    expect(h.effects.notices).toEqual([
      { kind: 'access_key_revoked', accountId: owner.id, keyId, leaked: true, at: h.clock.now() },
      { kind: 'ticket_opened', ticketId: out.ticketId },
    ]);
    expect(await auditRows(h, { action: 'revoke_leaked_access_key', target: owner.id })).toHaveLength(1);
    await expectNoSecretsInAudit(h, [key, KEY_FORMAT.exec(key)![2]!]);
    // The owner may report their own key leaked too; a second report joins the open ticket.
    const again = await revokeAccessKey(h.deps, ownerActor, keyId, { leaked: true });
    expect(again.ok && again.ticketId).toBe(out.ticketId);
  });

  it('a new key for a lost secret revokes the old one at once, despite the 24 h grace (Rotate is how one asks for it)', async () => {
    const oldKey = await revealed(await issued());
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    const replaced = await rotateAccessKey(h.deps, ownerActor, oldId, { lost: true });
    if (!replaced.ok) throw new Error(replaced.code);
    expect(await whoami(h.deps, oldKey)).toBeNull();
    expect(await keyRow(oldId)).toMatchObject({ status: 'revoked', revoked_at: h.clock.now(), replaced_by: replaced.key.id });
    expect(replaced.key).toMatchObject({ status: 'pending_reveal', account_id: owner.id });
    const [audit] = await auditRows(h, { action: 'rotate_access_key', target: owner.id });
    expect(JSON.parse(audit!.detail)).toMatchObject({ lost: true, leaked: false, grace_ms: 0 });
  });

  it('10 concurrent rotations of one key make exactly one new key', async () => {
    const keyId = KEY_FORMAT.exec(await revealed(await issued()))![1]!;
    const outs = await Promise.all(Array.from({ length: 10 }, () => rotateAccessKey(h.deps, ownerActor, keyId)));
    expect(outs.filter((o) => o.ok)).toHaveLength(1);
    expect(outs.filter((o) => !o.ok).map(codeOf)).toEqual(Array(9).fill('key_already_rotated'));
    const keys = await listAccessKeys(h.deps, owner.id);
    expect(keys).toHaveLength(2);
    const winner = outs.find((o) => o.ok);
    expect((await keyRow(keyId)).replaced_by).toBe(winner?.ok ? winner.key.id : null);
    expect(await auditRows(h, { action: 'rotate_access_key' })).toHaveLength(1);
  });

  it('ACCESS_KEY_ROTATION_GRACE_SECONDS=60 keeps the old key working until the clock passes 60 s', async () => {
    const deps = h.withEnv({ ACCESS_KEY_ROTATION_GRACE_SECONDS: '60' });
    const oldKey = await revealed(await issued(deps), deps);
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    const rotated = await rotateAccessKey(deps, ownerActor, oldId);
    if (!rotated.ok) throw new Error(rotated.code);
    const newKey = await revealed(rotated.key.id, deps);
    expect(await whoami(deps, oldKey)).toBe(owner.id);
    h.clock.advance(59_999);
    expect(await whoami(deps, oldKey)).toBe(owner.id);
    expect(await whoami(deps, newKey)).toBe(owner.id);
    h.clock.advance(1);
    expect(await whoami(deps, oldKey)).toBeNull();
    expect(await whoami(deps, newKey)).toBe(owner.id);
    const [audit] = await auditRows(h, { action: 'rotate_access_key', target: owner.id });
    expect(JSON.parse(audit!.detail)).toMatchObject({ key_id: oldId, new_key_id: rotated.key.id, leaked: false, grace_ms: 60_000 });
  });

  it('an expired old key cannot be revived, nor its grace extended, by rotating it again', async () => {
    const deps = h.withEnv({ ACCESS_KEY_ROTATION_GRACE_SECONDS: '60' });
    const oldKey = await revealed(await issued(deps), deps);
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    expect((await rotateAccessKey(deps, ownerActor, oldId)).ok).toBe(true);
    h.clock.advance(50_000);
    // A key is replaced once: a second rotation within the grace is refused and doesn't push its end further.
    expect(codeOf(await rotateAccessKey(deps, ownerActor, oldId))).toBe('key_already_rotated');
    h.clock.advance(10_000);
    expect(await whoami(deps, oldKey)).toBeNull();
    const late = await rotateAccessKey(deps, ownerActor, oldId);
    expect(codeOf(late)).toBe('key_revoked');
    expect(await whoami(deps, oldKey)).toBeNull();
  });

  it('rotation reported leaked kills the old key at once, even with a grace period', async () => {
    const deps = h.withEnv({ ACCESS_KEY_ROTATION_GRACE_SECONDS: '60' });
    const oldKey = await revealed(await issued(deps), deps);
    const oldId = KEY_FORMAT.exec(oldKey)![1]!;
    const rotated = await rotateAccessKey(deps, await actorOf(h, admin.id), oldId, { leaked: true });
    expect(rotated.ok).toBe(true);
    expect(await whoami(deps, oldKey)).toBeNull();
    expect(await keyRow(oldId)).toMatchObject({ status: 'revoked' });
    const [audit] = await auditRows(h, { action: 'rotate_access_key', target: owner.id });
    expect(JSON.parse(audit!.detail)).toMatchObject({ leaked: true, grace_ms: 0 });
    await expectNoSecretsInAudit(h, [oldKey, KEY_FORMAT.exec(oldKey)![2]!]);
  });
});
