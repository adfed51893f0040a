// Core conformance, one-time tokens: single use under concurrency, expiry, one live token
// per purpose, five failures void a token, and only the hash at rest — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeToken, inspectToken, issueToken, MAX_TOKEN_FAILURES, recordTokenFailure } from '../../src/core/tokens.js';
import { hashTokenSecret } from '../../src/core/token-secret.js';
import { STORE_KINDS } from '../support/stores.js';
import { PUBLIC_URL, seedPerson, startCore, type CoreHarness } from '../support/core.js';

const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);

describe.each(STORE_KINDS)('core tokens on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('lets exactly one of 10 parallel consumptions of a token win', async () => {
    const person = await seedPerson(h);
    const token = await issueToken(h.deps, person.id, 'reset');
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeToken(h.deps, token.secret, ['reset'])));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map(codeOf)).toEqual(Array(9).fill('token_used'));
    expect(codeOf(await consumeToken(h.deps, token.secret, ['reset']))).toBe('token_used');
    const rows = await h.deps.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', person.id).where('purpose', '=', 'reset').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.used_at).not.toBeNull();
  });

  it('stores only the hash of the secret and links under PUBLIC_URL', async () => {
    const person = await seedPerson(h);
    const token = await issueToken(h.deps, person.id, 'change_password');
    expect(token.link).toBe(`${PUBLIC_URL}/change-password/${token.secret}`);
    const row = await h.deps.db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashTokenSecret(token.secret)).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token.secret);
    expect(Buffer.from(token.secret, 'base64url')).toHaveLength(32);
  });

  it('expires a token when the clock passes its lifetime (30 min for reset, 7 days for activation)', async () => {
    const person = await seedPerson(h);
    const reset = await issueToken(h.deps, person.id, 'reset');
    const activation = await issueToken(h.deps, person.id, 'activation');
    expect(reset.expiresAt - h.clock.now()).toBe(30 * 60_000);
    expect(activation.expiresAt - h.clock.now()).toBe(7 * 86_400_000);
    h.clock.advance(30 * 60_000 - 1);
    expect(codeOf(await inspectToken(h.deps, reset.secret, ['reset']))).toBe('ok');
    h.clock.advance(1);
    expect(codeOf(await inspectToken(h.deps, reset.secret, ['reset']))).toBe('token_expired');
    expect(codeOf(await consumeToken(h.deps, reset.secret, ['reset']))).toBe('token_expired');
    expect(codeOf(await inspectToken(h.deps, activation.secret, ['activation']))).toBe('ok');
    h.clock.advance(7 * 86_400_000);
    expect(codeOf(await consumeToken(h.deps, activation.secret, ['activation']))).toBe('token_expired');
  });

  it('revokes the earlier token of a purpose when a new one is issued, and only that purpose', async () => {
    const person = await seedPerson(h);
    const first = await issueToken(h.deps, person.id, 'reset');
    const enrol = await issueToken(h.deps, person.id, 'mfa_enrol');
    const second = await issueToken(h.deps, person.id, 'reset');
    expect(codeOf(await consumeToken(h.deps, first.secret, ['reset']))).toBe('token_invalid');
    expect(codeOf(await inspectToken(h.deps, enrol.secret, ['mfa_enrol']))).toBe('ok');
    expect(codeOf(await consumeToken(h.deps, second.secret, ['reset']))).toBe('ok');
  });

  it('refuses a token used for another purpose, and malformed secrets', async () => {
    const person = await seedPerson(h);
    const token = await issueToken(h.deps, person.id, 'mfa_enrol');
    expect(codeOf(await consumeToken(h.deps, token.secret, ['reset', 'set_password']))).toBe('token_invalid');
    expect(codeOf(await consumeToken(h.deps, token.secret.slice(0, -1) + (token.secret.endsWith('A') ? 'B' : 'A'), ['mfa_enrol']))).toBe('token_invalid');
    for (const bad of ['', 'short', `${token.secret}/../x`, "' or 1=1 --"]) {
      expect(codeOf(await inspectToken(h.deps, bad, ['mfa_enrol']))).toBe('token_invalid');
    }
    expect(codeOf(await consumeToken(h.deps, token.secret, ['mfa_enrol']))).toBe('ok');
  });

  it('voids a token at the fifth recorded failure', async () => {
    const person = await seedPerson(h);
    const token = await issueToken(h.deps, person.id, 'reset');
    const found = await inspectToken(h.deps, token.secret, ['reset']);
    if (!found.ok) throw new Error(found.code);
    const voided: boolean[] = [];
    for (let i = 0; i < MAX_TOKEN_FAILURES; i++) {
      voided.push(await recordTokenFailure(h.deps, found.token.id));
      if (i < MAX_TOKEN_FAILURES - 1) expect(codeOf(await inspectToken(h.deps, token.secret, ['reset']))).toBe('ok');
    }
    expect(MAX_TOKEN_FAILURES).toBe(5);
    expect(voided).toEqual([false, false, false, false, true]);
    expect(codeOf(await consumeToken(h.deps, token.secret, ['reset']))).toBe('token_invalid');
  });

  it('counts five parallel failures exactly: the token is void after them', async () => {
    const person = await seedPerson(h);
    const token = await issueToken(h.deps, person.id, 'reset');
    const found = await inspectToken(h.deps, token.secret, ['reset']);
    if (!found.ok) throw new Error(found.code);
    const voided = await Promise.all(Array.from({ length: 5 }, () => recordTokenFailure(h.deps, found.token.id)));
    expect(voided.filter(Boolean)).toHaveLength(1);
    expect(codeOf(await consumeToken(h.deps, token.secret, ['reset']))).toBe('token_invalid');
  });
});
