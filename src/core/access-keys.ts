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

async function insertPendingKey(deps: CoreDeps, actor: Actor, ownerId: string): Promise<AccessKeyRow> {
  const key: AccessKeyRow = {
    id: newPublicId(),
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

async function keyForOwnerOrAdmin(deps: CoreDeps, actor: Actor, keyId: string, action: string): Promise<Outcome<{ key: AccessKeyRow }>> {
  const key = await deps.db.selectFrom('access_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (!key) return refuse('key_not_found');
  if (key.account_id !== actor.id || !(actor.kind === 'account' && !actor.disabled)) {
    if (!isAdmin(actor)) {
      await authorizeAdmin(deps, actor, action, null); // audits the refusal
      return refuse('key_not_found');
    }
  }
  return ok({ key });
}

export async function revokeAccessKey(deps: CoreDeps, actor: Actor, keyId: string): Promise<Outcome> {
  const found = await keyForOwnerOrAdmin(deps, actor, keyId, 'revoke_access_key');
  if (!found.ok) return found;
  const now = deps.clock.now();
  await deps.db.updateTable('access_keys').set({ status: 'revoked', revoked_at: now }).where('id', '=', keyId).where('status', '!=', 'revoked').execute();
  await writeAudit(deps.db, now, { actor, action: 'revoke_access_key', targetAccountId: found.key.account_id, detail: { key_id: keyId } });
  return ok();
}

/**
 * Rotation: a new key pending reveal replaces the old one, which keeps working for the
 * grace period (default none) — or is revoked at once when reported leaked.
 */
export async function rotateAccessKey(deps: CoreDeps, actor: Actor, keyId: string, options: { leaked?: boolean } = {}): Promise<Outcome<{ key: AccessKeyRow }>> {
  const found = await keyForOwnerOrAdmin(deps, actor, keyId, 'rotate_access_key');
  if (!found.ok) return found;
  const now = deps.clock.now();
  // A key past its rotation grace is as dead as a revoked one: rotating it again must not revive it.
  const expired = found.key.expires_at !== null && found.key.expires_at <= now;
  if (found.key.status === 'revoked' || expired) return refuse('key_revoked');
  const fresh = await insertPendingKey(deps, actor, found.key.account_id);
  const grace = options.leaked ? 0 : deps.policy.accessKeyRotationGraceMs;
  // Rotating a key already in its grace never pushes its end further.
  const expiresAt = Math.min(now + grace, found.key.expires_at ?? Infinity);
  await deps.db
    .updateTable('access_keys')
    .set(
      grace > 0
        ? { expires_at: expiresAt, replaced_by: fresh.id }
        : { status: 'revoked', revoked_at: now, replaced_by: fresh.id },
    )
    .where('id', '=', found.key.id)
    .execute();
  await writeAudit(deps.db, now, {
    actor,
    action: 'rotate_access_key',
    targetAccountId: found.key.account_id,
    detail: { key_id: found.key.id, new_key_id: fresh.id, leaked: options.leaked ?? false, grace_ms: grace },
  });
  return ok({ key: fresh });
}

export async function listAccessKeys(deps: CoreDeps, accountId: string): Promise<AccessKeyRow[]> {
  return deps.db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').execute();
}
