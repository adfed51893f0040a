// Access keys (`kd_<public id>_<secret>`). Issuing makes a key *pending reveal*: the
// secret is generated, shown and hashed only when its owner presses "Reveal once", so it
// is never stored in clear and nobody else (not the issuing admin) ever sees it.
// Secrets are 32 random bytes, so an HMAC under a server key is enough (no argon2) and
// verification stays fast.
import type { AccessKeyRow, AccountRow } from '../store/schema.js';
import { formatAccessKey, hmacKeySecret, newKeySecret, newPublicId, parseAccessKey } from './access-key-secret.js';
import { writeAudit } from './audit.js';
import { authorizeAdmin, isAdmin } from './authority.js';
import type { Actor, CoreDeps } from './deps.js';
import { findAccountById } from '../store/accounts.js';
import { recordAttempt } from './login-attempts.js';
import { requestTicket } from './tickets.js';
import { ok, refuse, type Outcome } from './refusal.js';
import { constantTimeEqual } from './token-secret.js';

const HMAC_PURPOSE = 'access-key';

/** An admin issues a key for a user (directly, or approving the user's request). */
export async function issueAccessKey(deps: CoreDeps, actor: Actor, ownerId: string): Promise<Outcome<{ key: AccessKeyRow }>> {
  const owner = await findAccountById(deps.db, ownerId);
  const denied = await authorizeAdmin(deps, actor, 'issue_access_key', owner ?? null);
  if (denied) return denied;
  if (!owner) return refuse('account_not_found');
  const key = await insertPendingKey(deps, actor, owner.id);
  await writeAudit(deps.db, key.created_at, { actor, action: 'issue_access_key', targetAccountId: owner.id, detail: { key_id: key.id } });
  await deps.effects.sendEmail({
    kind: 'access_key_created',
    accountId: owner.id,
    to: owner.email,
    locale: owner.locale,
    facts: { keyId: key.id },
  });
  return ok({ key });
}

async function insertPendingKey(deps: CoreDeps, actor: Actor, ownerId: string, id: string = newPublicId()): Promise<AccessKeyRow> {
  const key: AccessKeyRow = {
    id,
    account_id: ownerId,
    created_by: actor.id,
    created_at: deps.clock.now(),
    status: 'pending_reveal',
    secret_hash: null,
    hash_key_id: null,
    revealed_at: null,
    expires_at: null,
    revoked_at: null,
    last_used_at: null,
    replaced_by: null,
  };
  await deps.db.insertInto('access_keys').values(key).execute();
  return key;
}

/** The owner reveals a key: its secret is made now, returned this once, and only its HMAC kept. */
export async function revealAccessKey(deps: CoreDeps, actor: Actor, keyId: string): Promise<Outcome<{ accessKey: string }>> {
  const key = await deps.db.selectFrom('access_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (key && key.account_id !== actor.id) {
    // Someone else's key: the same answer as no key at all, but the attempt leaves a trace.
    await writeAudit(deps.db, deps.clock.now(), { actor, action: 'refused:reveal_access_key', targetAccountId: key.account_id, detail: { key_id: key.id, reason: 'not_owner' } });
  }
  if (!key || key.account_id !== actor.id) return refuse('key_not_found');
  if (key.status === 'revoked') return refuse('key_revoked');
  const secret = newKeySecret();
  const hmacKey = deps.secrets.derive(HMAC_PURPOSE);
  const now = deps.clock.now();
  const won = await deps.db
    .updateTable('access_keys')
    .set({ status: 'active', secret_hash: hmacKeySecret(hmacKey, secret), hash_key_id: hmacKey.id, revealed_at: now })
    .where('id', '=', key.id)
    .where('status', '=', 'pending_reveal')
    .returning('id')
    .executeTakeFirst();
  if (!won) return refuse('key_already_revealed');
  await writeAudit(deps.db, now, { actor, action: 'reveal_access_key', targetAccountId: key.account_id, detail: { key_id: key.id } });
  return ok({ accessKey: formatAccessKey(key.id, secret) });
}

/**
 * A reveal whose secret never reached its owner (Slack refused to open the modal): the
 * key goes back to pending reveal and the unseen secret's hash is dropped, so the owner
 * can press "Reveal once" again. Only the owner, and only while the key was never used.
 */
export async function undoReveal(deps: CoreDeps, actor: Actor, keyId: string): Promise<boolean> {
  const undone = await deps.db
    .updateTable('access_keys')
    .set({ status: 'pending_reveal', secret_hash: null, hash_key_id: null, revealed_at: null })
    .where('id', '=', keyId)
    .where('account_id', '=', actor.id)
    .where('status', '=', 'active')
    .where('last_used_at', 'is', null)
    .returning('account_id')
    .executeTakeFirst();
  if (undone) await writeAudit(deps.db, deps.clock.now(), { actor, action: 'undo_reveal_access_key', targetAccountId: undone.account_id, detail: { key_id: keyId } });
  return undone !== undefined;
}

/** Checks a presented key; returns its owner when it is good. Records the last use. */
export async function verifyAccessKey(deps: CoreDeps, presented: string, clientAddress: string | null = null): Promise<{ account: AccountRow; keyId: string } | null> {
  const found = await matchAccessKey(deps, presented);
  if (found.match) return found.match;
  // A key that matched nothing is an attempt like a wrong password: it stays on record,
  // with its owner when the public id named a real key (never the secret).
  await recordAttempt(deps, found.ownerId, 'invalid_key', clientAddress);
  return null;
}

async function matchAccessKey(deps: CoreDeps, presented: string): Promise<{ match: { account: AccountRow; keyId: string } | null; ownerId: string | null }> {
  const parsed = parseAccessKey(presented);
  if (!parsed) return { match: null, ownerId: null };
  const key = await deps.db.selectFrom('access_keys').selectAll().where('id', '=', parsed.publicId).executeTakeFirst();
  const miss = { match: null, ownerId: key?.account_id ?? null };
  const now = deps.clock.now();
  if (!key || key.status !== 'active' || !key.secret_hash || !key.hash_key_id) return miss;
  if (key.expires_at !== null && key.expires_at <= now) return miss;
  const base = deps.secrets.keyById(key.hash_key_id);
  if (!base) return miss;
  if (!constantTimeEqual(hmacKeySecret(deps.secrets.derive(HMAC_PURPOSE, base), parsed.secret), key.secret_hash)) return miss;
  const account = await findAccountById(deps.db, key.account_id);
  if (!account || account.status === 'disabled') return miss;
  // Last use to the minute is enough, and spares a write on most calls.
  if (key.last_used_at === null || now - key.last_used_at > 60_000) {
    await deps.db.updateTable('access_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
  }
  return { match: { account, keyId: key.id }, ownerId: key.account_id };
}

/**
 * The key, when `actor` may manage it: its owner (an account not disabled) or an admin.
 * Anyone else gets the same answer as for no key at all, and the attempt is audited.
 * A primary admin's key is not in PROTECTED_ACTIONS on purpose: revoking (or rotating) a
 * key that may have leaked is a safety action, and waiting for someone at the server
 * while a leaked key works would be the worse risk; both are audited under the admin.
 */
async function keyForOwnerOrAdmin(deps: CoreDeps, actor: Actor, keyId: string, action: string): Promise<Outcome<{ key: AccessKeyRow }>> {
  const key = await deps.db.selectFrom('access_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (!key) return refuse('key_not_found');
  const ownerActing = key.account_id === actor.id && actor.kind === 'account' && !actor.disabled;
  if (!ownerActing && !isAdmin(actor)) {
    await writeAudit(deps.db, deps.clock.now(), { actor, action: `refused:${action}`, targetAccountId: key.account_id, detail: { key_id: key.id, reason: 'not_owner' } });
    return refuse('key_not_found');
  }
  return ok({ key });
}

/** Whether a key still lets its owner in (or will, once revealed) at `now`. */
export function keyState(key: AccessKeyRow, now: number): 'pending_reveal' | 'active' | 'expiring' | 'expired' | 'revoked' {
  if (key.status === 'revoked') return 'revoked';
  if (key.expires_at !== null && key.expires_at <= now) return 'expired';
  if (key.status === 'pending_reveal') return 'pending_reveal';
  return key.expires_at !== null ? 'expiring' : 'active';
}

/**
 * Ends a key at once. `leaked`: its owner is also told (email and Slack DM) and a ticket
 * is opened in the helpdesk channel, so someone looks at what the key reached.
 */
export async function revokeAccessKey(
  deps: CoreDeps,
  actor: Actor,
  keyId: string,
  options: { leaked?: boolean } = {},
): Promise<Outcome<{ key: AccessKeyRow; ticketId: string | null }>> {
  const action = options.leaked ? 'revoke_leaked_access_key' : 'revoke_access_key';
  const found = await keyForOwnerOrAdmin(deps, actor, keyId, action);
  if (!found.ok) return found;
  const now = deps.clock.now();
  const ended = await deps.db
    .updateTable('access_keys')
    .set({ status: 'revoked', revoked_at: now })
    .where('id', '=', keyId)
    .where('status', '!=', 'revoked')
    .returningAll()
    .executeTakeFirst();
  if (!ended && !options.leaked) return ok({ key: found.key, ticketId: null });
  await writeAudit(deps.db, now, { actor, action, targetAccountId: found.key.account_id, detail: { key_id: keyId, already_revoked: !ended } });
  let ticketId: string | null = null;
  if (options.leaked) {
    const owner = await findAccountById(deps.db, found.key.account_id);
    if (owner) {
      await deps.effects.sendEmail({ kind: 'access_key_revoked', accountId: owner.id, to: owner.email, locale: owner.locale, facts: { keyId } });
      await deps.effects.notify({ kind: 'access_key_revoked', accountId: owner.id, keyId, leaked: true, at: now });
    }
    const opened = await requestTicket(deps, actor, { kind: 'access_key_leak', accountId: found.key.account_id, requesterSlackId: null, data: { keyId, detail: keyId } });
    ticketId = opened.ticket.id;
    if (opened.created) await deps.effects.notify({ kind: 'ticket_opened', ticketId });
  }
  return ok({ key: ended ?? found.key, ticketId });
}

/**
 * Rotation: a new key pending reveal replaces the old one, which keeps working for the
 * grace period (ACCESS_KEY_ROTATION_GRACE_SECONDS; 0 = none) — or is revoked at once when
 * reported leaked, or when its owner lost the secret (`lost`: nobody has the old key any
 * more, so a grace would only keep a stray secret working; Rotate is how one asks for it).
 * A key is replaced once: the old key's `replaced_by` is claimed by a conditional UPDATE
 * before the new key exists, so concurrent clicks make one new key.
 */
export async function rotateAccessKey(deps: CoreDeps, actor: Actor, keyId: string, options: { leaked?: boolean; lost?: boolean } = {}): Promise<Outcome<{ key: AccessKeyRow; oldKey: AccessKeyRow }>> {
  const found = await keyForOwnerOrAdmin(deps, actor, keyId, 'rotate_access_key');
  if (!found.ok) return found;
  const now = deps.clock.now();
  // A key past its rotation grace is as dead as a revoked one: rotating it again must not revive it.
  const state = keyState(found.key, now);
  if (state === 'revoked' || state === 'expired') return refuse('key_revoked');
  const grace = options.leaked || options.lost ? 0 : deps.policy.accessKeyRotationGraceMs;
  const freshId = newPublicId();
  const claimed = await deps.db
    .updateTable('access_keys')
    .set(grace > 0 ? { expires_at: now + grace, replaced_by: freshId } : { status: 'revoked', revoked_at: now, replaced_by: freshId })
    .where('id', '=', found.key.id)
    .where('replaced_by', 'is', null)
    .where('status', '!=', 'revoked')
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return refuse('key_already_rotated');
  const fresh = await insertPendingKey(deps, actor, found.key.account_id, freshId);
  await writeAudit(deps.db, now, {
    actor,
    action: 'rotate_access_key',
    targetAccountId: found.key.account_id,
    detail: { key_id: found.key.id, new_key_id: fresh.id, leaked: options.leaked ?? false, lost: options.lost ?? false, grace_ms: grace },
  });
  return ok({ key: fresh, oldKey: claimed });
}

export async function listAccessKeys(deps: CoreDeps, accountId: string): Promise<AccessKeyRow[]> {
  return deps.db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The keys `actor` may see of one account: their own, or anyone's for an admin. */
export async function listKeysOf(deps: CoreDeps, actor: Actor, accountId: string): Promise<Outcome<{ keys: AccessKeyRow[] }>> {
  const own = actor.kind === 'account' && !actor.disabled && actor.id === accountId;
  if (!own) {
    const denied = await authorizeAdmin(deps, actor, 'list_access_keys', null);
    if (denied) return denied;
  }
  return ok({ keys: await listAccessKeys(deps, accountId) });
}
