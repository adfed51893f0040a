// Core conformance, passwords: change my own, forgot (reset by emailed link + security
// answer), and the admin reset under each policy; every change revokes the other links,
// ends a lock and emails the owner — on both stores, following the recorded emails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { login } from '../../src/core/login.js';
import {
  adminResetPassword,
  changeOwnPassword,
  issueChangePasswordLink,
  requestPasswordReset,
  resetPasswordByToken,
  securityQuestionFor,
} from '../../src/core/passwords.js';
import { inspectToken } from '../../src/core/tokens.js';
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
  type Person,
} from '../support/core.js';

const WEB = webActor('203.0.113.20');
const NEW_PASSWORD = 'granite orchard whistle 88 bay';
const codeOf = (out: { ok: true } | { ok: false; code: string }) => (out.ok ? 'ok' : out.code);

describe.each(STORE_KINDS)('core passwords on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  const tryLogin = (p: Pick<Person, 'email'>, password: string) => login(h.deps, WEB, { login: p.email, password });

  async function lock(p: Person): Promise<void> {
    for (let i = 0; i < 5; i++) await tryLogin(p, 'not the password at all');
    expect((await accountRow(h, p.id)).locked_until).toBeGreaterThan(h.clock.now());
  }

  async function changeLink(p: Person): Promise<string> {
    const out = await issueChangePasswordLink(h.deps, CLI_ACTOR, p.id);
    if (!out.ok) throw new Error(out.code);
    return secretOfLink(out.link, 'change-password');
  }

  describe('changeOwnPassword', () => {
    it('refuses a wrong current password or PIN, counting each toward lockout', async () => {
      const p = await seedPerson(h);
      const secret = await changeLink(p);
      const wrongPassword = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: 'nope nope nope nope', newPassword: NEW_PASSWORD, pin: p.pin });
      expect(codeOf(wrongPassword)).toBe('wrong_password');
      expect((await accountRow(h, p.id)).failed_count).toBe(1);
      const wrongPin = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: '13572468' });
      expect(codeOf(wrongPin)).toBe('wrong_pin');
      expect((await accountRow(h, p.id)).failed_count).toBe(2);
      expect((await tryLogin(p, p.password)).ok).toBe(true);
      expect((await tryLogin(p, NEW_PASSWORD)).ok).toBe(false);
    });

    it('locks the account and voids the link after five wrong guesses', async () => {
      const p = await seedPerson(h);
      const secret = await changeLink(p);
      for (let i = 0; i < 5; i++) {
        await changeOwnPassword(h.deps, WEB, secret, { currentPassword: `guess number ${i} here`, newPassword: NEW_PASSWORD, pin: p.pin });
      }
      expect((await accountRow(h, p.id)).locked_until).toBe(h.clock.now() + 3_600_000);
      const out = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin });
      expect(codeOf(out)).toBe('token_invalid');
    });

    it('refuses the current password as the new one, and keeps the link usable', async () => {
      const p = await seedPerson(h);
      const secret = await changeLink(p);
      const same = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: p.password, pin: p.pin });
      expect(codeOf(same)).toBe('password_unchanged');
      const weak = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: 'too short', pin: p.pin });
      expect(codeOf(weak)).toBe('password_too_short');
      expect((await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin })).ok).toBe(true);
    });

    it('refuses while the account is locked, saying until when, and changes nothing', async () => {
      const p = await seedPerson(h);
      const secret = await changeLink(p);
      await lock(p);
      const lockedUntil = (await accountRow(h, p.id)).locked_until!;
      const out = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin });
      expect(codeOf(out)).toBe('account_locked_until');
      const until = new Date(lockedUntil).toISOString().slice(0, 16).replace('T', ' ');
      expect(out.ok ? '' : out.message('en')).toContain(until);
      expect((await accountRow(h, p.id)).locked_until).toBe(lockedUntil);
      expect(codeOf(await inspectToken(h.deps, secret, ['change_password']))).toBe('ok');
      expect((await unlockAccount(h.deps, CLI_ACTOR, p.id)).ok).toBe(true);
      expect((await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin })).ok).toBe(true);
    });

    it('on success revokes every open password link and emails password_changed', async () => {
      const p = await seedPerson(h);
      expect((await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'link')).ok).toBe(true);
      const setSecret = secretOfLink(h.effects.last('set_password_link', p.id).secret, 'reset');
      await requestPasswordReset(h.deps, WEB, p.email);
      const resetSecret = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
      const secret = await changeLink(p);
      await tryLogin(p, 'one wrong guess first');

      const out = await changeOwnPassword(h.deps, WEB, secret, { currentPassword: p.password, newPassword: NEW_PASSWORD, pin: p.pin });
      expect(out.ok).toBe(true);
      for (const s of [setSecret, resetSecret]) expect(codeOf(await inspectToken(h.deps, s, ['reset', 'set_password']))).toBe('token_invalid');
      expect(codeOf(await inspectToken(h.deps, secret, ['change_password']))).toBe('token_used');
      const row = await accountRow(h, p.id);
      expect(row).toMatchObject({ locked_until: null, failed_count: 0, must_change_password: 0 });
      const mail = h.effects.last('password_changed', p.id);
      expect(mail).toMatchObject({ to: p.email });
      expect(mail.secret).toBeUndefined();
      expect((await tryLogin(p, NEW_PASSWORD)).ok).toBe(true);
      expect((await tryLogin(p, p.password)).ok).toBe(false);
      const [audit] = await auditRows(h, { action: 'change_password', target: p.id });
      expect(audit).toMatchObject({ actor: 'web', client_address: '203.0.113.20' });
      await expectNoSecretsInAudit(h, [p.password, p.pin, p.answer, NEW_PASSWORD, secret, setSecret, resetSecret]);
    });
  });

  describe('forgot password', () => {
    it('answers unknown and known logins alike, emailing only the known, at most 3 an hour', async () => {
      const p = await seedPerson(h, { phone: '+33 6 12 34 56 78' });
      const before = h.effects.emails.length;
      for (const unknown of ['nobody@example.com', '+1 202 555 0199', 'not a login', '']) {
        expect(await requestPasswordReset(h.deps, WEB, unknown)).toBeUndefined();
      }
      expect(h.effects.emails.length).toBe(before);
      expect(await requestPasswordReset(h.deps, WEB, p.email.toUpperCase())).toBeUndefined();
      expect(await requestPasswordReset(h.deps, WEB, '+33612345678')).toBeUndefined();
      expect(await requestPasswordReset(h.deps, WEB, p.email)).toBeUndefined();
      expect(await requestPasswordReset(h.deps, WEB, p.email)).toBeUndefined();
      expect(h.effects.of('reset_link', p.id)).toHaveLength(3);
      expect(h.effects.last('reset_link', p.id).to).toBe(p.email);
      expect(await auditRows(h, { action: 'reset_request_throttled', target: p.id })).toHaveLength(1);
      h.clock.advance(3_600_000 + 1);
      await requestPasswordReset(h.deps, WEB, p.email);
      expect(h.effects.of('reset_link', p.id)).toHaveLength(4);
      // Only the newest link works.
      const links = h.effects.of('reset_link', p.id).map((m) => secretOfLink(m.secret, 'reset'));
      expect(codeOf(await inspectToken(h.deps, links[0]!, ['reset']))).toBe('token_invalid');
      expect(codeOf(await inspectToken(h.deps, links[3]!, ['reset']))).toBe('ok');
    });

    it('keeps to 3 reset emails an hour under a burst of 10 parallel requests', async () => {
      const p = await seedPerson(h);
      await Promise.all(Array.from({ length: 10 }, () => requestPasswordReset(h.deps, WEB, p.email)));
      expect(h.effects.of('reset_link', p.id)).toHaveLength(3);
      expect(await auditRows(h, { action: 'reset_request_throttled', target: p.id })).toHaveLength(7);
      const live = await h.deps.db
        .selectFrom('one_time_tokens')
        .select('id')
        .where('account_id', '=', p.id)
        .where('purpose', '=', 'reset')
        .where('revoked_at', 'is', null)
        .execute();
      expect(live).toHaveLength(1);
    });

    it('asks the security question; a wrong answer is refused, five void the link', async () => {
      const p = await seedPerson(h);
      await requestPasswordReset(h.deps, WEB, p.email);
      const secret = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
      expect(await securityQuestionFor(h.deps, secret)).toMatchObject({ ok: true, question: QUESTION, purpose: 'reset' });
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push(codeOf(await resetPasswordByToken(h.deps, WEB, secret, { securityAnswer: `wrong answer ${i}`, newPassword: NEW_PASSWORD })));
      }
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('wrong_answer'));
      expect(codes[4]).not.toBe('ok');
      const late = await resetPasswordByToken(h.deps, WEB, secret, { securityAnswer: p.answer, newPassword: NEW_PASSWORD });
      expect(codeOf(late)).toBe('token_invalid');
      expect((await tryLogin(p, p.password)).ok).toBe(true);
    });

    it('with the right answer (any case, accents, spaces) sets the new password once and ends a lock', async () => {
      const p = await seedPerson(h, { answer: 'Rue des Acàcias' });
      await lock(p);
      await requestPasswordReset(h.deps, WEB, p.email);
      const secret = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
      const out = await resetPasswordByToken(h.deps, WEB, secret, { securityAnswer: '  rue DES   acacias ', newPassword: NEW_PASSWORD });
      expect(out.ok).toBe(true);
      expect((await accountRow(h, p.id)).locked_until).toBeNull();
      expect(await tryLogin(p, NEW_PASSWORD)).toMatchObject({ ok: true, accountId: p.id, mustChangePassword: false });
      expect(await tryLogin(p, p.password)).toMatchObject({ ok: false, error: 'invalid_credentials' });
      const again = await resetPasswordByToken(h.deps, WEB, secret, { securityAnswer: p.answer, newPassword: 'another fresh long passphrase' });
      expect(codeOf(again)).toBe('token_used');
      expect(h.effects.of('password_changed', p.id)).toHaveLength(1);
      await expectNoSecretsInAudit(h, [p.password, p.pin, p.answer, 'rue des acacias', NEW_PASSWORD, secret]);
    });
  });

  describe('admin reset', () => {
    it('`link` emails the user a set-password link; the admin never sees a password', async () => {
      const admin = await seedPerson(h, { role: 'admin' });
      const p = await seedPerson(h);
      await lock(p);
      const out = await adminResetPassword(h.deps, await actorOf(h, admin.id), p.id, admin.email);
      expect(out).toMatchObject({ ok: true, policy: 'link', sentTo: p.email });
      expect((await accountRow(h, p.id)).locked_until).toBeNull();
      const mail = h.effects.last('set_password_link', p.id);
      expect(mail.to).toBe(p.email);
      const secret = secretOfLink(mail.secret, 'reset');
      expect(await securityQuestionFor(h.deps, secret)).toMatchObject({ ok: true, question: null, purpose: 'set_password' });
      expect((await resetPasswordByToken(h.deps, WEB, secret, { newPassword: NEW_PASSWORD })).ok).toBe(true);
      expect((await tryLogin(p, NEW_PASSWORD)).ok).toBe(true);
      expect((await tryLogin(p, p.password)).ok).toBe(false);
      const [audit] = await auditRows(h, { action: 'admin_reset_password', target: p.id });
      expect(audit).toMatchObject({ actor: admin.id, client_address: '198.51.100.7' });
      expect(JSON.parse(audit!.detail)).toEqual({ policy: 'link' });
    });

    it('`random` emails a temporary password that logs in once, must be changed, and dies after 24 h', async () => {
      const deps = h.withEnv({ ADMIN_RESET_POLICY: 'random' });
      const admin = await seedPerson(h, { role: 'admin' });
      const p = await seedPerson(h);
      await lock(p);
      expect(await adminResetPassword(deps, await actorOf(h, admin.id), p.id, admin.email)).toMatchObject({ ok: true, policy: 'random' });
      expect((await accountRow(h, p.id)).locked_until).toBeNull();
      const mail = h.effects.last('temp_password', p.id);
      expect(mail.to).toBe(p.email);
      const temporary = mail.secret!;
      expect(temporary).toMatch(/^[A-Za-z0-9]{20}$/);
      // The only email that carries a password: every other secret is a link.
      for (const other of h.effects.emails.filter((e) => e.kind !== 'temp_password' && e.secret !== undefined)) {
        expect(other.secret!.startsWith(`${PUBLIC_URL}/`)).toBe(true);
      }
      expect((await tryLogin(p, p.password)).ok).toBe(false);

      const first = await tryLogin(p, temporary);
      expect(first).toMatchObject({ ok: true, mustChangePassword: true });
      if (!first.ok) throw new Error('unreachable');
      const changeSecret = secretOfLink(first.changePasswordLink, 'change-password');
      expect(first.changePasswordToken).toBe(changeSecret);
      expect(await tryLogin(p, temporary)).toMatchObject({ ok: false, error: 'invalid_credentials' });

      const changed = await changeOwnPassword(h.deps, WEB, changeSecret, { currentPassword: temporary, newPassword: NEW_PASSWORD, pin: p.pin });
      expect(changed.ok).toBe(true);
      expect(await tryLogin(p, NEW_PASSWORD)).toMatchObject({ ok: true, mustChangePassword: false });
      await expectNoSecretsInAudit(h, [temporary, p.password, p.pin, NEW_PASSWORD, changeSecret]);

      // A second reset: unused for 24 h, the temporary password stops working.
      await adminResetPassword(deps, CLI_ACTOR, p.id, null);
      const second = h.effects.last('temp_password', p.id).secret!;
      expect(second).not.toBe(temporary);
      h.clock.advance(24 * 3_600_000);
      expect(await tryLogin(p, second)).toMatchObject({ ok: false, error: 'invalid_credentials' });
      expect((await tryLogin(p, NEW_PASSWORD)).ok).toBe(false);
    });

    it('`random` temporary password still works just before 24 h', async () => {
      const p = await seedPerson(h);
      await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'random');
      const temporary = h.effects.last('temp_password', p.id).secret!;
      h.clock.advance(24 * 3_600_000 - 1);
      expect(await tryLogin(p, temporary)).toMatchObject({ ok: true, mustChangePassword: true });
    });

    it('`admin-set` emails the set-password link to the admin, not the user', async () => {
      const deps = h.withEnv({ ADMIN_RESET_POLICY: 'admin-set' });
      const admin = await seedPerson(h, { role: 'admin' });
      const p = await seedPerson(h);
      await lock(p);
      const refused = await adminResetPassword(deps, await actorOf(h, admin.id), p.id, null);
      expect(codeOf(refused)).toBe('policy_disabled');
      const out = await adminResetPassword(deps, await actorOf(h, admin.id), p.id, admin.email);
      expect(out).toMatchObject({ ok: true, policy: 'admin-set', sentTo: admin.email });
      expect((await accountRow(h, p.id)).locked_until).toBeNull();
      const mail = h.effects.last('set_password_link', p.id);
      expect(mail.to).toBe(admin.email);
      expect(h.effects.emails.filter((e) => e.kind === 'set_password_link' && e.to === p.email)).toHaveLength(0);
      const secret = secretOfLink(mail.secret, 'reset');
      expect((await resetPasswordByToken(h.deps, WEB, secret, { newPassword: NEW_PASSWORD })).ok).toBe(true);
      // The admin chose that password: the user must change it at the next login.
      expect((await accountRow(h, p.id)).must_change_password).toBe(1);
      const next = await tryLogin(p, NEW_PASSWORD);
      expect(next).toMatchObject({ ok: true, mustChangePassword: true });
      if (!next.ok || !next.mustChangePassword) throw new Error('unreachable');
      const changeSecret = secretOfLink(next.changePasswordLink, 'change-password');
      const own = 'lantern meadow copper 42 quay';
      expect((await changeOwnPassword(h.deps, WEB, changeSecret, { currentPassword: NEW_PASSWORD, newPassword: own, pin: p.pin })).ok).toBe(true);
      expect(await tryLogin(p, own)).toMatchObject({ ok: true, mustChangePassword: false });
      const [audit] = await auditRows(h, { action: 'reset_password', target: p.id });
      expect(JSON.parse(audit!.detail)).toEqual({ change_at_next_login: true });
    });

    it('a `link` set-password link does not force a change at the next login', async () => {
      const p = await seedPerson(h);
      await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'link');
      const secret = secretOfLink(h.effects.last('set_password_link', p.id).secret, 'reset');
      expect((await resetPasswordByToken(h.deps, WEB, secret, { newPassword: NEW_PASSWORD })).ok).toBe(true);
      expect((await accountRow(h, p.id)).must_change_password).toBe(0);
      expect(await tryLogin(p, NEW_PASSWORD)).toMatchObject({ ok: true, mustChangePassword: false });
    });

    it('a new admin reset revokes the previous links', async () => {
      const p = await seedPerson(h);
      await requestPasswordReset(h.deps, WEB, p.email);
      const resetSecret = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
      await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'link');
      const first = secretOfLink(h.effects.last('set_password_link', p.id).secret, 'reset');
      await adminResetPassword(h.deps, CLI_ACTOR, p.id, null, 'link');
      const second = secretOfLink(h.effects.last('set_password_link', p.id).secret, 'reset');
      expect(codeOf(await inspectToken(h.deps, resetSecret, ['reset']))).toBe('token_invalid');
      expect(codeOf(await inspectToken(h.deps, first, ['set_password']))).toBe('token_invalid');
      expect(codeOf(await inspectToken(h.deps, second, ['set_password']))).toBe('ok');
    });
  });
});
