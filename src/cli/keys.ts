// `keydesk key list [ACCOUNT]` and `keydesk key revoke KEY_ID [--leaked]`: access keys from
// the server, audited as the CLI. Only public ids and times; a secret is never printed.
import { keyState, listAccessKeys, revokeAccessKey } from '../core/access-keys.js';
import { recordDirectAction } from '../core/direct-actions.js';
import { CLI_ACTOR } from '../core/deps.js';
import { findAccountById } from '../store/accounts.js';
import type { AccessKeyRow } from '../store/schema.js';
import { findAccount, mode, plural, withContext, type JsonFlag } from './command-kit.js';
import { emit, humanTime, isoTime, refused, table } from './output.js';

const KEY_ID = /^[0-9a-f]{24}$/;

function keyView(key: AccessKeyRow, owner: string, now: number) {
  return {
    id: key.id,
    owner,
    accountId: key.account_id,
    status: keyState(key, now),
    createdAt: isoTime(key.created_at),
    lastUsedAt: isoTime(key.last_used_at),
    expiresAt: isoTime(key.expires_at),
    revokedAt: isoTime(key.revoked_at),
    replacedBy: key.replaced_by,
  };
}

export async function keyList(ref: string | undefined, opts: JsonFlag): Promise<void> {
  await withContext({ redis: false }, async (ctx) => {
    const now = ctx.deps.clock.now();
    let rows: { key: AccessKeyRow; owner: string }[];
    if (ref !== undefined) {
      const account = await findAccount(ctx, ref);
      rows = (await listAccessKeys(ctx.deps, account.id)).map((key) => ({ key, owner: account.email }));
    } else {
      const found = await ctx.db
        .selectFrom('access_keys')
        .innerJoin('accounts', 'accounts.id', 'access_keys.account_id')
        .selectAll('access_keys')
        .select('accounts.email as owner_email')
        .orderBy('access_keys.created_at', 'desc')
        .orderBy('access_keys.id')
        .execute();
      rows = found.map(({ owner_email, ...key }) => ({ key, owner: owner_email }));
    }
    const views = rows.map((r) => keyView(r.key, r.owner, now));
    emit(
      mode(opts),
      { keys: views },
      views.length === 0
        ? ['no access keys']
        : [
            ...table(
              ['ID', 'OWNER', 'STATUS', 'CREATED', 'LAST USED', 'EXPIRES'],
              rows.map(({ key, owner }) => [
                key.id,
                owner,
                keyState(key, now),
                humanTime(key.created_at),
                key.last_used_at === null ? '-' : humanTime(key.last_used_at),
                key.expires_at === null ? '-' : humanTime(key.expires_at),
              ]),
            ),
            plural(views.length, 'key'),
          ],
    );
  });
}

export async function keyRevoke(keyId: string, opts: JsonFlag & { leaked?: boolean }): Promise<void> {
  await withContext({}, async (ctx) => {
    const id = keyId.trim().toLowerCase();
    const out = await revokeAccessKey(ctx.deps, CLI_ACTOR, KEY_ID.test(id) ? id : 'none', { leaked: opts.leaked === true });
    if (!out.ok) throw refused(out, keyId);
    if (!opts.leaked) await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'revoke_access_key', accountId: out.key.account_id, facts: { detail: `${out.key.id.slice(0, 8)}…` } });
    const owner = await findAccountById(ctx.db, out.key.account_id);
    const email = owner?.email ?? out.key.account_id;
    emit(
      mode(opts),
      { key: keyView(out.key, email, ctx.deps.clock.now()), leaked: opts.leaked === true, ticketId: out.ticketId },
      opts.leaked
        ? `${out.key.id} (${email}): revoked as leaked; the owner is told; ticket ${out.ticketId ?? '-'} opened; audited`
        : `${out.key.id} (${email}): revoked; audited`,
    );
  });
}
