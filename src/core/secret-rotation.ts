// After a SECRETS_KEY rotation (the new key in SECRETS_KEY, the one it replaced in
// SECRETS_KEY_PREVIOUS, on every replica): what the store keeps sealed under the previous
// key — each account's TOTP secret — is sealed again under the new one, so the previous key
// can be dropped without locking anyone out of their authenticator. Access keys are kept
// only as an HMAC under the key they were made with, which nothing can redo: they are
// counted, and keep working until SECRETS_KEY_PREVIOUS goes (their owners rotate them).
// Codes, links in queued jobs, page proofs and forms made under the previous key still
// check while it is set; they all expire within hours.
import { writeAudit } from './audit.js';
import type { Actor, CoreDeps } from './deps.js';
import { totpContext } from './mfa.js';

export interface ResealReport {
  /** TOTP secrets now sealed under the current key (they were under the previous one). */
  totpResealed: number;
  /** TOTP secrets sealed under a key this server no longer has: those owners must enrol again. */
  totpUnreadable: number;
  /** Active access keys whose hash is under a previous key: they stop working when it goes. */
  accessKeysOnPreviousKey: number;
}

/** Seals again what the previous key holds, and records the run (who, counts, the key now in use). */
export async function resealStoredSecrets(deps: CoreDeps, actor: Actor): Promise<ResealReport> {
  const current = deps.secrets.current.id;
  const report: ResealReport = { totpResealed: 0, totpUnreadable: 0, accessKeysOnPreviousKey: 0 };
  const sealed = await deps.db.selectFrom('accounts').select(['id', 'totp_secret_enc']).where('totp_secret_enc', 'is not', null).execute();
  for (const row of sealed) {
    const old = row.totp_secret_enc!;
    if (deps.secrets.keyIdOf(old) === current) continue;
    let secret: string;
    try {
      secret = deps.secrets.open(old, totpContext(row.id));
    } catch {
      report.totpUnreadable += 1;
      continue;
    }
    // Guarded on the old value: an enrolment or a clear that happened meanwhile wins.
    const done = await deps.db
      .updateTable('accounts')
      .set({ totp_secret_enc: deps.secrets.seal(secret, totpContext(row.id)) })
      .where('id', '=', row.id)
      .where('totp_secret_enc', '=', old)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) report.totpResealed += 1;
  }
  const { n } = await deps.db
    .selectFrom('access_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .where('hash_key_id', '!=', current)
    .executeTakeFirstOrThrow();
  report.accessKeysOnPreviousKey = Number(n);
  // Key ids are public (they prefix every sealed value); the key itself never leaves SecretBox.
  await writeAudit(deps.db, deps.clock.now(), {
    actor,
    action: 'secrets_resealed',
    detail: {
      current_key_id: current,
      authenticators_resealed: report.totpResealed,
      authenticators_unreadable: report.totpUnreadable,
      access_keys_on_previous: report.accessKeysOnPreviousKey,
    },
  });
  return report;
}
