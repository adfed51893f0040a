// A SECRETS_KEY rotation, on both stores: with the old key as SECRETS_KEY_PREVIOUS, what was
// made under it still checks (a TOTP secret, a code sent just before, an access key, an
// enrolment's offered secret); `secrets reseal` (resealStoredSecrets) seals the TOTP secrets
// again under the new key and counts the access keys that still need the old one; once the
// old key is gone, TOTP sign-ins still work, and what could not be redone (an access key,
// a code from before) no longer does. Each reseal run is audited.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessKey, revealAccessKey, verifyAccessKey } from '../../src/core/access-keys.js';
import { CLI_ACTOR, type CoreDeps } from '../../src/core/deps.js';
import { acceptTotp, beginEnrolment, confirmEnrolment, totpContext } from '../../src/core/mfa.js';
import { checkCode, sendCode } from '../../src/core/otp-codes.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import { resealStoredSecrets } from '../../src/core/secret-rotation.js';
import { issueToken } from '../../src/core/tokens.js';
import { newTotpSecret, totpCodeAt } from '../../src/core/totp.js';
import { findAccountById } from '../../src/store/accounts.js';
import { actorOf, seedPerson, startCore, type CoreHarness } from '../support/core.js';
import { STORE_KINDS } from '../support/stores.js';

const newKey = () => secretKeyFromBase64(randomBytes(32).toString('base64'));

describe.each(STORE_KINDS)('a SECRETS_KEY rotation on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  const withSecrets = (secrets: SecretBox): CoreDeps => ({ ...h.deps, secrets });

  it('keeps what the old key made working, reseals the TOTP secrets, and says which access keys still need the old key', async () => {
    const old = h.deps.secrets.current;
    const admin = await seedPerson(h, { role: 'admin' });
    const ann = await seedPerson(h);
    const bob = await seedPerson(h);
    // Ann has TOTP, sealed under the old key.
    const totp = newTotpSecret();
    await h.deps.db.updateTable('accounts').set({ mfa_method: 'totp', totp_secret_enc: h.deps.secrets.seal(totp, totpContext(ann.id)) }).where('id', '=', ann.id).execute();
    // Bob has an access key hashed under it, a sign-in code sent just before, and an enrolment begun.
    const issued = await issueAccessKey(h.deps, await actorOf(h, admin.id), bob.id);
    if (!issued.ok) throw new Error(issued.code);
    const revealed = await revealAccessKey(h.deps, await actorOf(h, bob.id), issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    expect((await sendCode(h.deps, (await findAccountById(h.deps.db, bob.id))!, 'login', 'email')).sent).toBe(true);
    const code = h.effects.last('otp_code', bob.id).secret!;
    const link = await issueToken(h.deps, bob.id, 'mfa_enrol');
    const offered = await beginEnrolment(h.deps, link.secret, { password: bob.password, securityAnswer: bob.answer });
    if (!offered.ok) throw new Error(offered.code);

    // Rotated: the new key current, the old one previous.
    const fresh = newKey();
    const rotated = withSecrets(new SecretBox(fresh, [old]));
    expect(await verifyAccessKey(rotated, revealed.accessKey)).not.toBeNull();
    expect(await checkCode(rotated, bob.id, 'login', code)).toBe('right');
    const enrolled = await confirmEnrolment(rotated, await actorOf(h, bob.id), link.secret, offered.totpSecret, await totpCodeAt(offered.totpSecret, h.clock.now()));
    expect(enrolled.ok).toBe(true);
    const annRow = async () => (await findAccountById(h.deps.db, ann.id))!;
    expect(await acceptTotp(rotated, await annRow(), await totpCodeAt(totp, h.clock.now()))).toBe(true);

    // One more account whose secret is under a key nobody has any more.
    const cleo = await seedPerson(h);
    await h.deps.db.updateTable('accounts').set({ mfa_method: 'totp', totp_secret_enc: new SecretBox(newKey()).seal(totp, totpContext(cleo.id)) }).where('id', '=', cleo.id).execute();

    // Ann's secret is resealed; Bob's was sealed under the new key at enrolment already.
    expect(await resealStoredSecrets(rotated, CLI_ACTOR)).toEqual({ totpResealed: 1, totpUnreadable: 1, accessKeysOnPreviousKey: 1 });
    expect(rotated.secrets.keyIdOf((await annRow()).totp_secret_enc!)).toBe(fresh.id);
    expect(await resealStoredSecrets(rotated, CLI_ACTOR)).toEqual({ totpResealed: 0, totpUnreadable: 1, accessKeysOnPreviousKey: 1 });
    // Each run is in the audit log: who ran it, the key now in use, the counts; no secret.
    const runs = await h.deps.db.selectFrom('audit_log').select(['actor', 'detail', 'target_account_id']).where('action', '=', 'secrets_resealed').orderBy('at').execute();
    expect(runs.map((r) => [r.actor, r.target_account_id, JSON.parse(r.detail) as unknown])).toEqual([
      [CLI_ACTOR.id, null, { current_key_id: fresh.id, authenticators_resealed: 1, authenticators_unreadable: 1, access_keys_on_previous: 1 }],
      [CLI_ACTOR.id, null, { current_key_id: fresh.id, authenticators_resealed: 0, authenticators_unreadable: 1, access_keys_on_previous: 1 }],
    ]);

    // The old key removed: TOTP still signs in (a later step: a step is used once).
    const newOnly = withSecrets(new SecretBox(fresh));
    h.clock.advance(60_000);
    expect(await acceptTotp(newOnly, await annRow(), await totpCodeAt(totp, h.clock.now()))).toBe(true);
    // What was hashed under the old key alone no longer checks.
    expect(await verifyAccessKey(newOnly, revealed.accessKey)).toBeNull();
  });

  it('a code sent before the rotation is refused once the old key is gone', async () => {
    const bob = await seedPerson(h);
    expect((await sendCode(h.deps, (await findAccountById(h.deps.db, bob.id))!, 'login', 'email')).sent).toBe(true);
    const code = h.effects.last('otp_code', bob.id).secret!;
    expect(await checkCode(withSecrets(new SecretBox(newKey())), bob.id, 'login', code)).toBe('wrong');
  });
});
