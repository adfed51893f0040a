// Every limit raced the way an attacker would: a concurrent burst of wrong guesses with
// the right answer sent last, over HTTP, on both stores. Attempts are reserved before
// they are verified, so at most five wrong guesses are ever checked per lock cycle or per
// link, and the right answer that arrives after them is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { beginEnrolment, confirmEnrolment } from '../../src/core/mfa.js';
import { issueToken } from '../../src/core/tokens.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { hashTokenSecret } from '../../src/core/token-secret.js';
import { postJson, seedActiveAccount, startTestApp, type SeededAccount, type TestApp } from '../support/app.js';
import { Browser, type Page } from '../support/page-client.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

// One hash at a time, so a burst really queues in the hashing line as it would under load.
const LIMITS = { LOGIN_RATE_LIMIT_PER_MINUTE: '100000', PAGE_POSTS_PER_ADDRESS: '100000', PAGE_POSTS_PER_LINK: '100000', HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '100000' };
const NEW_PASSWORD = 'granite orchard whistle 88 bay';

describe.each(STORE_KINDS)('limits under a concurrent burst on %s', (kind) => {
  let t: TestApp;
  let user: SeededAccount;
  beforeEach(async () => {
    t = await startTestApp(kind, LIMITS, { workers: false });
    user = await seedActiveAccount(t.deps);
  });
  afterEach(async () => {
    await t.stop();
  });

  const loginAs = (password: string, otp?: string) => postJson(`${t.app.url}/api/v1/login`, { login: user.email, password, ...(otp ? { otp } : {}) });

  async function attemptsByResult(): Promise<Record<string, number>> {
    const rows = await t.deps.db.selectFrom('login_attempts').select('result').where('account_id', '=', user.id).execute();
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.result] = (counts[r.result] ?? 0) + 1;
    return counts;
  }

  /**
   * `n` wrong requests at once, then the right one, sent last in the same burst: once the
   * wrong ones have asked the hashing line for `hashes` verifies (so five of them are
   * being checked), while they are still in flight. HTTP doesn't keep the order requests
   * were sent in; this makes "the right one arrives after the fifth" hold on every run.
   */
  async function burst<T>(n: number, wrong: (i: number) => Promise<T>, right: () => Promise<T>, hashes = 5): Promise<{ wrong: T[]; right: T }> {
    const before = t.deps.hasher.requested;
    const wrongs = Array.from({ length: n }, (_, i) => wrong(i));
    await waitFor(() => t.deps.hasher.requested - before >= hashes);
    const last = right();
    return { wrong: await Promise.all(wrongs), right: await last };
  }

  it.each([30, 100])('%i wrong passwords then the right one: 5 verified, the rest refused unverified, the right one 401', async (n) => {
    const { wrong, right } = await burst(n, (i) => loginAs(`wrong guess number ${i}`), () => loginAs(user.password));
    expect(wrong.every((r) => r.status === 401)).toBe(true);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong[0]!.body);
    expect(await attemptsByResult()).toEqual({ wrong_password: 5, locked: n + 1 - 5 });
    const account = await findAccountById(t.deps.db, user.id);
    expect(account?.locked_until).toBeGreaterThan(t.clock.now());
    const locks = await t.deps.db.selectFrom('audit_log').select('id').where('target_account_id', '=', user.id).where('action', '=', 'lock').execute();
    expect(locks).toHaveLength(1);
  });

  it('30 wrong codes after a right password, then the right code: 5 verified, the right one 401', async () => {
    const enrol = await issueToken(t.deps, user.id, 'mfa_enrol');
    const begun = await beginEnrolment(t.deps, enrol.secret, { password: user.password, securityAnswer: user.answer });
    if (!begun.ok) throw new Error(begun.code);
    expect((await confirmEnrolment(t.deps, CLI_ACTOR, enrol.secret, begun.totpSecret, await totpCodeAt(begun.totpSecret, t.clock.now()))).ok).toBe(true);
    t.clock.advance(30_000);
    const code = await totpCodeAt(begun.totpSecret, t.clock.now());
    const wrongCode = code === '000000' ? '111111' : '000000';

    const { wrong, right } = await burst(30, () => loginAs(user.password, wrongCode), () => loginAs(user.password, code));
    expect(wrong.every((r) => r.status === 401 && r.body.error === 'invalid_credentials')).toBe(true);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong[0]!.body);
    expect(await attemptsByResult()).toEqual({ wrong_otp: 5, locked: 26 });
  });

  /** One browser per request, each holding its own valid CSRF pair from a GET of the page. */
  async function browsers(path: string, n: number): Promise<Browser[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const b = new Browser(t.app.url);
        expect((await b.get(path)).status).toBe(200);
        return b;
      }),
    );
  }

  async function linkBurst(path: string, wrongFields: (i: number) => Record<string, string>, rightFields: Record<string, string>, hashes: number) {
    const all = await browsers(path, 13);
    const right = all.pop()!;
    return burst(12, (i) => all[i]!.post(path, wrongFields(i)), () => right.post(path, rightFields), hashes);
  }

  async function tokenRow(secret: string) {
    return t.deps.db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashTokenSecret(secret)).executeTakeFirstOrThrow();
  }

  async function auditCount(action: string): Promise<number> {
    return (await t.deps.db.selectFrom('audit_log').select('id').where('target_account_id', '=', user.id).where('action', '=', action).execute()).length;
  }

  const statuses = (pages: Page[]) => pages.map((p) => p.status).sort();

  it('reset link: 12 wrong security answers then the right one → 5 checked, the right one sees the void-link page', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'reset');
    const { wrong, right } = await linkBurst(`/reset/${secret}`, (i) => ({ answer: `not the street ${i}` }), { answer: user.answer }, 5);
    expect(right.status).toBe(404);
    expect(right.text).not.toContain('name="password"');
    expect(statuses(wrong)).toEqual([...Array<number>(4).fill(400), ...Array<number>(8).fill(404)]);
    expect((await tokenRow(secret)).revoked_at).not.toBeNull();
    expect(await auditCount('wrong_security_answer')).toBe(5);
  });

  it('change-password link: 12 wrong current passwords then the right one → 5 checked, refused, password unchanged', async () => {
    const before = (await findAccountById(t.deps.db, user.id))!.password_hash;
    const { secret } = await issueToken(t.deps, user.id, 'change_password');
    const fields = (current: string) => ({ current, password: NEW_PASSWORD, password2: NEW_PASSWORD, pin: user.pin });
    const { wrong, right } = await linkBurst(`/change-password/${secret}`, (i) => fields(`wrong current ${i} password`), fields(user.password), 10);
    expect(right.status).toBe(404);
    expect(wrong.every((p) => p.status === 400 || p.status === 404)).toBe(true);
    expect((await findAccountById(t.deps.db, user.id))!.password_hash).toBe(before);
    expect((await tokenRow(secret)).revoked_at).not.toBeNull();
    expect(await attemptsByResult()).toEqual({ wrong_password: 5 });
  });

  it('MFA enrolment link: 12 wrong proofs then the right one → 5 checked, the right one sees the void-link page', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'mfa_enrol');
    const { right } = await linkBurst(`/mfa/enroll/${secret}`, (i) => ({ password: `wrong password ${i} here`, answer: user.answer }), {
      password: user.password,
      answer: user.answer,
    }, 10);
    expect(right.status).toBe(404);
    expect(right.text).not.toContain('totp-key');
    expect((await tokenRow(secret)).revoked_at).not.toBeNull();
    expect(await auditCount('wrong_enrolment_proof')).toBe(5);
  });
  it('My account email section: 12 wrong PINs then the right one → 5 checked, the link void, no confirmation sent', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'change_password');
    const fields = (pin: string) => ({ section: 'email', current: user.password, pin, email: 'burst.new@example.com' });
    const { right } = await linkBurst(`/change-password/${secret}`, (i) => fields(`5${String(i).padStart(3, '0')}1739`), fields(user.pin), 10);
    expect(right.status).toBe(404);
    expect((await tokenRow(secret)).revoked_at).not.toBeNull();
    expect(await attemptsByResult()).toEqual({ wrong_pin: 5 });
    const confirmations = await t.deps.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', user.id).where('purpose', '=', 'email_change').execute();
    expect(confirmations).toHaveLength(0);
  });

  it('email confirmation link: 13 tabs confirm at once → the address changes once, the others see the used-link page', async () => {
    const { secret } = await issueToken(t.deps, user.id, 'email_change', { newEmail: 'burst.confirmed@example.com' });
    const { wrong, right } = await linkBurst(`/confirm-email/${secret}`, () => ({}), {}, 0);
    const all = [...wrong, right];
    expect(all.filter((p) => p.status === 200)).toHaveLength(1);
    expect(all.filter((p) => p.status !== 200).every((p) => p.status === 410)).toBe(true);
    expect((await findAccountById(t.deps.db, user.id))!.email).toBe('burst.confirmed@example.com');
    expect(await auditCount('change_email')).toBe(1);
  });
});
