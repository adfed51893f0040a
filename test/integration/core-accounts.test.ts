// Core conformance, accounts: create, activate, disable / enable, roles and authority,
// on both stores, through the core alone with recorded effects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateAccount, createAccount, disableAccount, enableAccount, resendActivation, setRole, type Activation } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor, type Actor } from '../../src/core/deps.js';
import { adminResetPassword } from '../../src/core/passwords.js';
import { clearMfa } from '../../src/core/mfa.js';
import { login } from '../../src/core/login.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  accountRow,
  actorOf,
  auditRows,
  expectNoSecretsInAudit,
  PUBLIC_URL,
  QUESTION,
  secretOfLink,
  seedPerson,
  startCore,
  type CoreHarness,
} from '../support/core.js';

const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);

const GOOD: Activation = {
  password: 'copper lantern meadow 7 sails',
  pin: '52719384',
  securityQuestion: QUESTION,
  securityAnswer: 'Avenue Foch',
};

describe.each(STORE_KINDS)('core accounts on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  async function created(input: { email?: string; phone?: string; extension?: string; role?: 'user' | 'agent' | 'admin' } = {}) {
    const out = await createAccount(h.deps, CLI_ACTOR, { email: 'Dana.Smith@Example.com', displayName: 'Dana Smith', ...input });
    if (!out.ok) throw new Error(`create refused: ${out.code}`);
    return out.account;
  }

  it('creates an account pending activation and requests an activation email with a link', async () => {
    const account = await created({ phone: '(415) 555-0100' });
    expect(account.status).toBe('pending_activation');
    const row = await accountRow(h, account.id);
    expect(row.email).toBe('dana.smith@example.com');
    expect(row.phone).toBe('+14155550100');
    expect(row.extension).toBe('');
    expect(row.password_hash).toBeNull();
    const mail = h.effects.last('activation', account.id);
    expect(mail.to).toBe('dana.smith@example.com');
    expect(mail.secret?.startsWith(`${PUBLIC_URL}/activate/`)).toBe(true);
    secretOfLink(mail.secret, 'activate');
    const [audit] = await auditRows(h, { action: 'create_account', target: account.id });
    expect(audit).toMatchObject({ actor: 'cli', target_account_id: account.id });
  });

  it('refuses a weak password, a bad PIN or no question; the token still works; then once only', async () => {
    const account = await created();
    const secret = secretOfLink(h.effects.last('activation', account.id).secret, 'activate');
    const web = webActor('203.0.113.5');
    const attempts: [Partial<Activation>, string][] = [
      [{ password: 'short pw' }, 'password_too_short'],
      [{ password: 'passwordpassword' }, 'password_common'],
      [{ password: 'dana.smith loves long walks' }, 'password_contains_email'],
      [{ pin: '1234' }, 'pin_sequence'],
      [{ pin: '7777' }, 'pin_repeated'],
      [{ pin: '12a4' }, 'pin_format'],
      [{ securityQuestion: '' }, 'security_question_required'],
      [{ securityAnswer: ' ' }, 'security_question_required'],
    ];
    for (const [patch, code] of attempts) {
      const out = await activateAccount(h.deps, web, secret, { ...GOOD, ...patch });
      expect(out.ok ? 'ok' : out.code, JSON.stringify(patch)).toBe(code);
    }
    expect((await accountRow(h, account.id)).status).toBe('pending_activation');

    const done = await activateAccount(h.deps, web, secret, GOOD);
    expect(done.ok).toBe(true);
    const row = await accountRow(h, account.id);
    expect(row.status).toBe('active');
    expect(row.security_question).toBe(QUESTION);
    for (const field of [row.password_hash, row.pin_hash, row.security_answer_hash]) {
      expect(field).toMatch(/^\$argon2id\$/);
    }
    const again = await activateAccount(h.deps, web, secret, GOOD);
    expect(again.ok ? 'ok' : again.code).toBe('token_used');
    expect((await login(h.deps, web, { login: 'DANA.SMITH@example.com', password: GOOD.password })).ok).toBe(true);
    const [audit] = await auditRows(h, { action: 'activate', target: account.id });
    expect(audit).toMatchObject({ actor: 'web', client_address: '203.0.113.5' });
    await expectNoSecretsInAudit(h, [GOOD.password, GOOD.pin, GOOD.securityAnswer, secret]);
  });

  it('refuses duplicates (email in any case, phone + extension) and invalid phones', async () => {
    await created({ phone: '+1 415 555 0100' });
    const dup = (input: { email: string; phone?: string; extension?: string }) =>
      createAccount(h.deps, CLI_ACTOR, { displayName: 'Someone Else', ...input });
    const code = async (p: ReturnType<typeof dup>) => {
      const out = await p;
      return out.ok ? 'ok' : `${out.code}:${out.params.field ?? ''}`;
    };
    expect(await code(dup({ email: 'DANA.SMITH@EXAMPLE.COM' }))).toBe('account_exists:email');
    expect(await code(dup({ email: '  dana.smith@example.com ' }))).toBe('account_exists:email');
    expect(await code(dup({ email: 'other@example.com', phone: '415-555-0100' }))).toBe('account_exists:phone');
    expect(await code(dup({ email: 'other@example.com', phone: '+14155550100', extension: '' }))).toBe('account_exists:phone');
    expect(await code(dup({ email: 'ext@example.com', phone: '+14155550100', extension: '12' }))).toBe('ok');
    expect(await code(dup({ email: 'ext2@example.com', phone: '4155550100', extension: '12' }))).toBe('account_exists:phone');
    expect(await code(dup({ email: 'bad@example.com', phone: '555' }))).toBe('invalid_phone:');
    expect(await code(dup({ email: 'bad@example.com', phone: 'not a phone' }))).toBe('invalid_phone:');
    expect(await code(dup({ email: 'bad@example.com', extension: '12' }))).toBe('extension_without_phone:');
    expect(await code(dup({ email: 'not-an-email' }))).toBe('invalid_email:');
    const rows = await h.deps.db.selectFrom('accounts').select(['email', 'phone', 'extension']).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'dana.smith@example.com', phone: '+14155550100', extension: '' },
      { email: 'ext@example.com', phone: '+14155550100', extension: '12' },
    ]);
  });

  it('refuses (never throws) every loser of 5 parallel creates of one email', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createAccount(h.deps, CLI_ACTOR, { email: i % 2 ? 'race@example.com' : 'RACE@example.com', displayName: 'Race Case' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(4).fill('account_exists'));
    expect(h.effects.of('activation')).toHaveLength(1);
  });

  it('activates exactly once under 5 parallel activations of one token', async () => {
    const account = await created();
    const secret = secretOfLink(h.effects.last('activation', account.id).secret, 'activate');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => activateAccount(h.deps, webActor(null), secret, { ...GOOD, password: `${GOOD.password} ${i}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // A loser sees the token used, or (having looked before the winner finished) the account active.
    for (const r of results) if (!r.ok) expect(['token_used', 'already_active']).toContain(r.code);
    expect(await auditRows(h, { action: 'activate', target: account.id })).toHaveLength(1);
  });

  it('resends activation at most 3 times an hour under a burst of 10 parallel clicks, then says when to try again', async () => {
    const account = await created();
    const asker: Actor = { id: account.id, kind: 'account', role: 'user', clientAddress: null };
    const outs = await Promise.all(Array.from({ length: 10 }, () => resendActivation(h.deps, asker, account.id)));
    expect(outs.filter((o) => o.ok)).toHaveLength(3);
    const refused = outs.filter((o) => !o.ok);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.ok ? '' : r.code).toBe('activation_resend_limit');
    // The creation's email and exactly 3 resends; only the newest link is live.
    expect(h.effects.of('activation', account.id)).toHaveLength(4);
    const tokens = await h.deps.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', account.id).where('purpose', '=', 'activation').execute();
    expect(tokens.filter((t) => t.origin === 'activation_resend')).toHaveLength(3);
    expect(tokens.filter((t) => t.revoked_at === null)).toHaveLength(1);
    expect(await auditRows(h, { action: 'resend_activation', target: account.id })).toHaveLength(3);
    expect(await auditRows(h, { action: 'resend_activation_throttled', target: account.id })).toHaveLength(7);
    const first = refused[0]!;
    if (first.ok) throw new Error('unreachable');
    const after = `${new Date(Math.ceil((h.clock.now() + 3_600_000) / 60_000) * 60_000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(first.message('en')).toContain(`try again after ${after}`);
    expect(first.message('en')).toMatch(/ask the helpdesk/);
    expect(first.message('fr')).toContain(`réessayez après ${after}`);

    // An hour after the burst, 3 more go; the CLI is never limited.
    h.clock.advance(3_600_001);
    for (let i = 0; i < 3; i++) expect((await resendActivation(h.deps, asker, account.id)).ok).toBe(true);
    expect(codeOf(await resendActivation(h.deps, asker, account.id))).toBe('activation_resend_limit');
    expect((await resendActivation(h.deps, CLI_ACTOR, account.id)).ok).toBe(true);
    expect(h.effects.of('activation', account.id)).toHaveLength(8);
  });

  it('tells the owner of a disable (the reason code, never the note) and of an enable, by email and Slack', async () => {
    const p = await seedPerson(h, { locale: 'fr' });
    expect((await disableAccount(h.deps, CLI_ACTOR, p.id, 'too_many_failures', 'internal: ticket 7')).ok).toBe(true);
    const disabled = h.effects.last('account_disabled', p.id);
    expect(disabled).toMatchObject({ to: p.email, locale: 'fr', facts: { reason: 'too_many_failures' } });
    expect(JSON.stringify(h.effects.emails)).not.toContain('ticket 7');
    expect(h.effects.notices.at(-1)).toEqual({ kind: 'account_disabled', accountId: p.id, reason: 'too_many_failures', at: h.clock.now() });
    // The same disable again says nothing new; another reason is told.
    await disableAccount(h.deps, CLI_ACTOR, p.id, 'too_many_failures');
    expect(h.effects.of('account_disabled', p.id)).toHaveLength(1);
    await disableAccount(h.deps, CLI_ACTOR, p.id, 'payment');
    expect(h.effects.of('account_disabled', p.id)).toHaveLength(2);

    expect((await enableAccount(h.deps, CLI_ACTOR, p.id)).ok).toBe(true);
    expect(h.effects.last('account_enabled', p.id)).toMatchObject({ to: p.email, locale: 'fr', facts: { signIn: 1 } });
    expect(h.effects.notices.at(-1)).toEqual({ kind: 'account_enabled', accountId: p.id, status: 'active', at: h.clock.now() });
    // Enabling an enabled account changes nothing and tells nobody.
    await enableAccount(h.deps, CLI_ACTOR, p.id);
    expect(h.effects.of('account_enabled', p.id)).toHaveLength(1);

    const pending = await created({ email: 'pending@example.com' });
    await disableAccount(h.deps, CLI_ACTOR, pending.id, 'validation');
    await enableAccount(h.deps, CLI_ACTOR, pending.id);
    expect(h.effects.last('account_enabled', pending.id)).toMatchObject({ facts: { activate: 1 } });
    expect(h.effects.notices.at(-1)).toMatchObject({ kind: 'account_enabled', status: 'pending_activation' });
  });

  it('disables with a reason and note, enables, and audits actor, action, target and address', async () => {
    const admin = await seedPerson(h, { role: 'admin' });
    const user = await seedPerson(h);
    const actor = await actorOf(h, admin.id, '198.51.100.7');
    expect((await disableAccount(h.deps, actor, user.id, 'payment', 'invoice 42 unpaid')).ok).toBe(true);
    let row = await accountRow(h, user.id);
    expect(row).toMatchObject({ status: 'disabled', disabled_reason: 'payment', disabled_note: 'invoice 42 unpaid' });
    const denied = await login(h.deps, webActor(null), { login: user.email, password: user.password });
    expect(denied).toMatchObject({ ok: false, error: 'invalid_credentials', result: 'disabled' });

    expect((await enableAccount(h.deps, actor, user.id)).ok).toBe(true);
    row = await accountRow(h, user.id);
    expect(row).toMatchObject({ status: 'active', disabled_reason: null, disabled_note: null });
    expect((await login(h.deps, webActor(null), { login: user.email, password: user.password })).ok).toBe(true);

    const [disabled] = await auditRows(h, { action: 'disable', target: user.id });
    expect(disabled).toMatchObject({ actor: admin.id, target_account_id: user.id, client_address: '198.51.100.7' });
    expect(JSON.parse(disabled!.detail)).toMatchObject({ reason: 'payment' });
    const [enabled] = await auditRows(h, { action: 'enable', target: user.id });
    expect(enabled).toMatchObject({ actor: admin.id, target_account_id: user.id, client_address: '198.51.100.7' });
  });

  it('enabling an account disabled before activation returns it to pending activation', async () => {
    const account = await created();
    expect((await disableAccount(h.deps, CLI_ACTOR, account.id, 'validation')).ok).toBe(true);
    expect((await enableAccount(h.deps, CLI_ACTOR, account.id)).ok).toBe(true);
    expect((await accountRow(h, account.id)).status).toBe('pending_activation');
  });

  it('gives a disabled admin, an agent and a user no authority, and audits each refusal', async () => {
    const admin = await seedPerson(h, { role: 'admin' });
    const agent = await seedPerson(h, { role: 'agent' });
    const plain = await seedPerson(h, { role: 'user' });
    const target = await seedPerson(h);
    expect((await disableAccount(h.deps, CLI_ACTOR, admin.id, 'admin')).ok).toBe(true);

    for (const who of [admin, agent, plain]) {
      const actor = await actorOf(h, who.id, '198.51.100.9');
      const results = await Promise.all([
        disableAccount(h.deps, actor, target.id, 'admin'),
        enableAccount(h.deps, actor, target.id),
        setRole(h.deps, actor, target.id, 'admin'),
        adminResetPassword(h.deps, actor, target.id, null),
        clearMfa(h.deps, actor, target.id),
        createAccount(h.deps, actor, { email: `new-${who.id}@example.com`, displayName: 'New Person' }),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(6).fill('forbidden'));
      const refused = (await auditRows(h)).filter((r) => r.actor === who.id);
      expect(refused.map((r) => r.action).sort()).toEqual(
        ['refused:clear_mfa', 'refused:create_account', 'refused:disable', 'refused:enable', 'refused:reset_password', 'refused:set_role'],
      );
      expect(refused.every((r) => r.client_address === '198.51.100.9')).toBe(true);
    }
    expect(await accountRow(h, target.id)).toMatchObject({ status: 'active', role: 'user' });
    expect(h.effects.of('set_password_link', target.id)).toHaveLength(0);
  });

  it('protects a primary_admin from everyone but the CLI', async () => {
    const primary = await seedPerson(h, { role: 'primary_admin' });
    const admin = await seedPerson(h, { role: 'admin' });
    const otherPrimary = await seedPerson(h, { role: 'primary_admin' });
    for (const who of [admin, otherPrimary]) {
      const actor = await actorOf(h, who.id);
      const results = await Promise.all([
        adminResetPassword(h.deps, actor, primary.id, null),
        disableAccount(h.deps, actor, primary.id, 'admin'),
        clearMfa(h.deps, actor, primary.id),
        setRole(h.deps, actor, primary.id, 'user'),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(4).fill('primary_admin_protected'));
    }
    expect(await accountRow(h, primary.id)).toMatchObject({ status: 'active', role: 'primary_admin' });
    expect((await auditRows(h, { action: 'refused:disable', target: primary.id })).map((r) => r.actor).sort()).toEqual(
      [admin.id, otherPrimary.id].sort(),
    );

    expect((await adminResetPassword(h.deps, CLI_ACTOR, primary.id, null)).ok).toBe(true);
    expect((await clearMfa(h.deps, CLI_ACTOR, primary.id)).ok).toBe(true);
    expect((await setRole(h.deps, CLI_ACTOR, primary.id, 'admin')).ok).toBe(true);
    expect((await disableAccount(h.deps, CLI_ACTOR, primary.id, 'admin')).ok).toBe(true);
  });

  it('gives the primary_admin role only through the CLI', async () => {
    const primary = await seedPerson(h, { role: 'primary_admin' });
    const user = await seedPerson(h);
    for (const actor of [await actorOf(h, primary.id), await actorOf(h, (await seedPerson(h, { role: 'admin' })).id)]) {
      const out = await setRole(h.deps, actor, user.id, 'primary_admin');
      expect(out.ok ? 'ok' : out.code).toBe('primary_admin_cli_only');
      const made = await createAccount(h.deps, actor, { email: `pa-${actor.id}@example.com`, displayName: 'Would Be', role: 'primary_admin' });
      expect(made.ok ? 'ok' : made.code).toBe('primary_admin_cli_only');
    }
    expect((await accountRow(h, user.id)).role).toBe('user');
    expect((await setRole(h.deps, await actorOf(h, primary.id), user.id, 'admin')).ok).toBe(true);
    expect((await setRole(h.deps, CLI_ACTOR, user.id, 'primary_admin')).ok).toBe(true);
    expect((await accountRow(h, user.id)).role).toBe('primary_admin');
    const changes = (await auditRows(h, { action: 'set_role', target: user.id })).map((r) => ({ actor: r.actor, ...(JSON.parse(r.detail) as Record<string, string>) }));
    expect(changes).toEqual(
      expect.arrayContaining([
        { actor: primary.id, from: 'user', to: 'admin' },
        { actor: 'cli', from: 'admin', to: 'primary_admin' },
      ]),
    );
    expect(changes).toHaveLength(2);
  });

  it('refuses an admin disabling itself', async () => {
    const admin = await seedPerson(h, { role: 'admin' });
    const actor: Actor = await actorOf(h, admin.id);
    const out = await disableAccount(h.deps, actor, admin.id, 'admin');
    expect(out.ok ? 'ok' : out.code).toBe('self_action');
    expect((await accountRow(h, admin.id)).status).toBe('active');
  });
});
