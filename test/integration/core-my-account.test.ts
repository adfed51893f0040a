// Core conformance of the "My account" flows, on both stores: a new security question and
// PIN (current password + PIN, the link used once), a new PIN on the reset link after the
// answer, and the email change — confirmation to the new address, notice with "this wasn't
// me" to the old, no enumeration of a taken address (an email_conflict ticket instead),
// the admin and CLI paths, and the races: one confirmation link used once, one address won once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateAccount, createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import {
  adminRequestEmailChange,
  confirmEmailChange,
  reportEmailChange,
  requestOwnEmailChange,
  setEmailFromServer,
} from '../../src/core/email-change.js';
import { login } from '../../src/core/login.js';
import { issueChangePasswordLink, requestPasswordReset, resetPasswordByToken, verifyResetAnswer } from '../../src/core/passwords.js';
import type { Outcome } from '../../src/core/refusal.js';
import { changeSecurityDetails } from '../../src/core/security-details.js';
import { countActiveSessions } from '../../src/core/sessions.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, actorOf, auditRows, expectNoSecretsInAudit, seedPerson, secretOfLink, startCore, type CoreHarness, type Person } from '../support/core.js';

const codeOf = (out: Outcome<object>) => (out.ok ? 'ok' : out.code);
const web = webActor('203.0.113.5');

describe.each(STORE_KINDS)('core: My account on %s', (kind) => {
  let h: CoreHarness;
  let p: Person;
  beforeEach(async () => {
    h = await startCore(kind);
    p = await seedPerson(h, { displayName: 'Robin Owner' });
  });
  afterEach(async () => {
    await h.stop();
  });

  const changeLink = async (id = p.id) => {
    const out = await issueChangePasswordLink(h.deps, CLI_ACTOR, id);
    if (!out.ok) throw new Error(out.code);
    return secretOfLink(out.link, 'change-password');
  };
  const tickets = (kindName: string) => h.deps.db.selectFrom('tickets').selectAll().where('kind', '=', kindName as never).execute();

  describe('security question and PIN', () => {
    it('changes both after the current password and PIN, uses the link, emails a notice', async () => {
      const secret = await changeLink();
      const out = await changeSecurityDetails(h.deps, web, secret, {
        currentPassword: p.password,
        pin: p.pin,
        newQuestion: 'Name of my first cat?',
        newAnswer: 'Mistigri',
        newPin: '52816374',
      });
      expect(codeOf(out)).toBe('ok');
      const row = await accountRow(h, p.id);
      expect(row.security_question).toBe('Name of my first cat?');
      expect(await h.deps.hasher.verify(row.pin_hash!, '52816374')).toBe(true);
      expect(await h.deps.hasher.verify(row.security_answer_hash!, 'mistigri')).toBe(true);
      expect(h.effects.of('security_changed', p.id)).toHaveLength(1);
      // The link was used: a second change needs a new one.
      expect(codeOf(await changeSecurityDetails(h.deps, web, secret, { currentPassword: p.password, pin: '52816374', newQuestion: '', newAnswer: '', newPin: '61728394' }))).toBe('token_used');
      const [audit] = await auditRows(h, { action: 'change_security_details', target: p.id });
      expect(JSON.parse(audit!.detail)).toEqual({ changed: 'question+pin' });
      await expectNoSecretsInAudit(h, [p.password, 'Mistigri', '52816374']);
    });

    it('may change only the PIN; the old PIN stops working', async () => {
      const out = await changeSecurityDetails(h.deps, web, await changeLink(), { currentPassword: p.password, pin: p.pin, newQuestion: '', newAnswer: '', newPin: '40718293' });
      expect(codeOf(out)).toBe('ok');
      const next = await changeLink();
      expect(codeOf(await changeSecurityDetails(h.deps, web, next, { currentPassword: p.password, pin: p.pin, newQuestion: '', newAnswer: '', newPin: '52816374' }))).toBe('wrong_pin');
    });

    it('refuses an empty form, a short answer and a weak PIN before any guess is counted, keeping the link', async () => {
      const secret = await changeLink();
      const base = { currentPassword: 'not even checked', pin: '0000' };
      expect(codeOf(await changeSecurityDetails(h.deps, web, secret, { ...base, newQuestion: '', newAnswer: '', newPin: '' }))).toBe('security_nothing');
      expect(codeOf(await changeSecurityDetails(h.deps, web, secret, { ...base, newQuestion: 'Colour?', newAnswer: 'r', newPin: '' }))).toBe('security_question_required');
      expect(codeOf(await changeSecurityDetails(h.deps, web, secret, { ...base, newQuestion: '', newAnswer: '', newPin: '1234' }))).toBe('pin_sequence');
      expect((await accountRow(h, p.id)).failed_count).toBe(0);
      expect(codeOf(await changeSecurityDetails(h.deps, web, secret, { currentPassword: p.password, pin: p.pin, newQuestion: '', newAnswer: '', newPin: '40718293' }))).toBe('ok');
    });

    it('counts a wrong current password toward lockout and the link', async () => {
      const secret = await changeLink();
      const out = await changeSecurityDetails(h.deps, web, secret, { currentPassword: 'wrong wrong wrong', pin: p.pin, newQuestion: '', newAnswer: '', newPin: '40718293' });
      expect(codeOf(out)).toBe('wrong_password');
      expect((await accountRow(h, p.id)).failed_count).toBe(1);
    });
  });

  describe('a forgotten PIN, on the reset link', () => {
    const resetLink = async () => {
      await requestPasswordReset(h.deps, web, p.email);
      return secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
    };

    it('takes a new PIN with the new password once the answer is right', async () => {
      const secret = await resetLink();
      expect(codeOf(await verifyResetAnswer(h.deps, secret, p.answer))).toBe('ok');
      const out = await resetPasswordByToken(h.deps, web, secret, { newPassword: 'cobalt lantern meadow 42 fig', answerVerified: true, newPin: '40718293' });
      expect(codeOf(out)).toBe('ok');
      expect(await h.deps.hasher.verify((await accountRow(h, p.id)).pin_hash!, '40718293')).toBe(true);
    });

    it('refuses a weak new PIN and keeps the link', async () => {
      const secret = await resetLink();
      expect(codeOf(await resetPasswordByToken(h.deps, web, secret, { newPassword: 'cobalt lantern meadow 42 fig', securityAnswer: p.answer, newPin: '1111' }))).toBe('pin_repeated');
      expect(codeOf(await resetPasswordByToken(h.deps, web, secret, { newPassword: 'cobalt lantern meadow 42 fig', securityAnswer: p.answer }))).toBe('ok');
      expect(await h.deps.hasher.verify((await accountRow(h, p.id)).pin_hash!, p.pin)).toBe(true);
    });
  });

  describe('email change', () => {
    const request = async (newEmail: string, secret?: string) =>
      requestOwnEmailChange(h.deps, web, secret ?? (await changeLink()), { currentPassword: p.password, pin: p.pin, newEmail });

    it('sends a confirmation to the new address and a notice to the old; confirming changes it once', async () => {
      await requestPasswordReset(h.deps, web, p.email); // an open reset link, sent to the old address
      const resetSecret = secretOfLink(h.effects.last('reset_link', p.id).secret, 'reset');
      const out = await request('Robin.New@Example.com');
      expect(out).toMatchObject({ ok: true, newEmail: 'robin.new@example.com' });
      const confirm = h.effects.last('email_change_confirm', p.id);
      expect(confirm.to).toBe('robin.new@example.com');
      const notice = h.effects.last('email_change_requested', p.id);
      expect(notice.to).toBe(p.email);
      expect(notice.facts).toMatchObject({ newEmail: 'robin.new@example.com' });
      secretOfLink(notice.secret, 'email-not-me');
      // Nothing changed yet.
      expect((await accountRow(h, p.id)).email).toBe(p.email);

      const secret = secretOfLink(confirm.secret, 'confirm-email');
      const signedIn = await login(h.deps, web, { login: p.email, password: p.password }, { startSession: true });
      expect(signedIn.ok && signedIn.session).toBeTruthy();
      expect(await countActiveSessions(h.deps, p.id)).toBe(1);
      expect(await confirmEmailChange(h.deps, web, secret)).toMatchObject({ ok: true, newEmail: 'robin.new@example.com' });
      // Every session ends with the address it began under.
      expect(await countActiveSessions(h.deps, p.id)).toBe(0);
      expect((await accountRow(h, p.id)).email).toBe('robin.new@example.com');
      expect(codeOf(await confirmEmailChange(h.deps, web, secret))).toBe('token_used');
      expect(h.effects.of('email_changed', p.id).map((e) => e.to).sort()).toEqual([p.email, 'robin.new@example.com'].sort());
      // The reset link mailed to the old address is dead; the new address signs in.
      expect(codeOf(await verifyResetAnswer(h.deps, resetSecret, p.answer))).toBe('token_invalid');
      expect((await login(h.deps, web, { login: 'robin.new@example.com', password: p.password })).ok).toBe(true);
      expect((await login(h.deps, web, { login: p.email, password: p.password })).ok).toBe(false);
      const [audit] = await auditRows(h, { action: 'change_email', target: p.id });
      expect(JSON.parse(audit!.detail)).toEqual({ from: p.email, to: 'robin.new@example.com' });
    });

    it('refuses the same address, and a bad one, before any guess', async () => {
      expect(codeOf(await request(p.email.toUpperCase()))).toBe('email_unchanged');
      expect(codeOf(await request('not an address'))).toBe('invalid_email');
      expect((await accountRow(h, p.id)).failed_count).toBe(0);
    });

    it('refuses a wrong PIN and counts it', async () => {
      const out = await requestOwnEmailChange(h.deps, web, await changeLink(), { currentPassword: p.password, pin: '11223344', newEmail: 'x.y@example.com' });
      expect(codeOf(out)).toBe('wrong_pin');
      expect(h.effects.of('email_change_confirm')).toHaveLength(0);
    });

    it('answers a taken address like a free one, mails nothing to it, and opens an email_conflict ticket', async () => {
      const other = await seedPerson(h, { displayName: 'Other Holder' });
      const out = await request(other.email);
      expect(out).toMatchObject({ ok: true, newEmail: other.email });
      expect(h.effects.of('email_change_confirm')).toHaveLength(0);
      // The old address is told as for a free one, and the request counts toward the hour's three.
      expect(h.effects.last('email_change_requested', p.id).facts).toMatchObject({ newEmail: other.email });
      const pending = await h.deps.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', p.id).where('purpose', '=', 'email_change').execute();
      expect(pending).toHaveLength(1);
      expect(pending[0]!.revoked_at).not.toBeNull();
      const [ticket] = await tickets('email_conflict');
      expect(ticket).toMatchObject({ account_id: p.id, status: 'open' });
      expect(JSON.parse(ticket!.data)).toMatchObject({ requested_email: other.email, held_by: other.id, by: 'self' });
      expect(h.effects.notices).toContainEqual({ kind: 'ticket_opened', ticketId: ticket!.id });
    });

    it('"this wasn\'t me" cancels the pending change and opens a ticket', async () => {
      await request('robin.new@example.com');
      const confirmSecret = secretOfLink(h.effects.last('email_change_confirm', p.id).secret, 'confirm-email');
      const reportSecret = secretOfLink(h.effects.last('email_change_requested', p.id).secret, 'email-not-me');
      expect(await reportEmailChange(h.deps, web, reportSecret)).toMatchObject({ ok: true, cancelled: true });
      expect(codeOf(await confirmEmailChange(h.deps, web, confirmSecret))).toBe('token_invalid');
      expect((await accountRow(h, p.id)).email).toBe(p.email);
      const [ticket] = await tickets('email_change_report');
      expect(JSON.parse(ticket!.data)).toMatchObject({ requested_email: 'robin.new@example.com', cancelled: true });
      expect(codeOf(await reportEmailChange(h.deps, web, reportSecret))).toBe('token_used');
    });

    it('admins start a change that the new inbox completes; never for a primary admin or themselves from Slack', async () => {
      const admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin' });
      const primary = await seedPerson(h, { role: 'primary_admin', displayName: 'Pat Primary' });
      const adminActor = await actorOf(h, admin.id);
      expect(await adminRequestEmailChange(h.deps, adminActor, p.id, 'robin.new@example.com')).toMatchObject({ ok: true });
      expect((await accountRow(h, p.id)).email).toBe(p.email);
      expect(h.effects.last('email_change_confirm', p.id).to).toBe('robin.new@example.com');
      expect(codeOf(await adminRequestEmailChange(h.deps, adminActor, primary.id, 'pat.new@example.com'))).toBe('primary_admin_protected');
      expect(codeOf(await adminRequestEmailChange(h.deps, adminActor, admin.id, 'dana.new@example.com'))).toBe('self_admin_action');
      expect(codeOf(await adminRequestEmailChange(h.deps, await actorOf(h, p.id), admin.id, 'dana.new@example.com'))).toBe('forbidden');
      expect(await auditRows(h, { action: 'refused:change_email' })).toHaveLength(3);
    });

    it('the CLI sets an address at once, tells both, and refuses a taken one', async () => {
      const other = await seedPerson(h, { displayName: 'Other Holder' });
      expect(codeOf(await setEmailFromServer(h.deps, CLI_ACTOR, p.id, other.email))).toBe('account_exists');
      const out = await setEmailFromServer(h.deps, CLI_ACTOR, p.id, 'robin.cli@example.com');
      expect(codeOf(out)).toBe('ok');
      expect((await accountRow(h, p.id)).email).toBe('robin.cli@example.com');
      expect(h.effects.of('email_changed', p.id)).toHaveLength(2);
    });

    it('a burst of 10 confirmations of one link changes the address once', async () => {
      await request('robin.new@example.com');
      const secret = secretOfLink(h.effects.last('email_change_confirm', p.id).secret, 'confirm-email');
      const outs = await Promise.all(Array.from({ length: 10 }, () => confirmEmailChange(h.deps, web, secret)));
      expect(outs.filter((o) => o.ok)).toHaveLength(1);
      expect(h.effects.of('email_changed', p.id)).toHaveLength(2);
      expect(await auditRows(h, { action: 'change_email', target: p.id })).toHaveLength(1);
    });

    it('two accounts racing for one free address: one gets it, the other a polite refusal and a ticket', async () => {
      const q = await seedPerson(h, { displayName: 'Quinn Rival' });
      const secrets: string[] = [];
      for (const who of [p, q]) {
        const link = await issueChangePasswordLink(h.deps, CLI_ACTOR, who.id);
        if (!link.ok) throw new Error(link.code);
        await requestOwnEmailChange(h.deps, web, secretOfLink(link.link, 'change-password'), { currentPassword: who.password, pin: who.pin, newEmail: 'shared@example.com' });
        secrets.push(secretOfLink(h.effects.last('email_change_confirm', who.id).secret, 'confirm-email'));
      }
      // The last one sent is the one that must not sneak past the store's unique index.
      const outs = await Promise.all(secrets.map((s) => confirmEmailChange(h.deps, web, s)));
      expect(outs.map(codeOf).sort()).toEqual(['email_not_available', 'ok']);
      const holders = await h.deps.db.selectFrom('accounts').select('id').where('email', '=', 'shared@example.com').execute();
      expect(holders).toHaveLength(1);
      expect(await tickets('email_conflict')).toHaveLength(1);
    });

    it('sends at most 3 confirmation links an hour, even under a burst', async () => {
      // Through the admin path: the owner's own path needs a change link each time, itself 3 an hour.
      const admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin' });
      const adminActor = await actorOf(h, admin.id);
      const outs = await Promise.all(Array.from({ length: 10 }, (_, i) => adminRequestEmailChange(h.deps, adminActor, p.id, `burst${i}@example.com`)));
      expect(outs.filter((o) => o.ok).length).toBe(3);
      expect(outs.filter((o) => !o.ok).map(codeOf)).toEqual(Array(7).fill('link_limit'));
      expect(h.effects.of('email_change_confirm', p.id)).toHaveLength(3);
    });
      it('moving a pending account to its right address sends the activation there, and the old link dies', async () => {
      const created = await createAccount(h.deps, CLI_ACTOR, { email: 'new.hire@wrong.example', displayName: 'New Hire' });
      if (!created.ok) throw new Error(created.code);
      const oldLink = secretOfLink(h.effects.last('activation', created.account.id).secret, 'activate');
      const admin = await seedPerson(h, { role: 'admin', displayName: 'Dana Admin' });
      expect(codeOf(await adminRequestEmailChange(h.deps, await actorOf(h, admin.id), created.account.id, 'new.hire@right.example'))).toBe('ok');
      const confirm = secretOfLink(h.effects.last('email_change_confirm', created.account.id).secret, 'confirm-email');
      expect(codeOf(await confirmEmailChange(h.deps, web, confirm))).toBe('ok');
      const fresh = h.effects.last('activation', created.account.id);
      expect(fresh.to).toBe('new.hire@right.example');
      expect(secretOfLink(fresh.secret, 'activate')).not.toBe(oldLink);
      expect(codeOf(await activateAccount(h.deps, web, oldLink, { password: 'quartz meadow lantern 19 fig', pin: '40718293', securityQuestion: 'First pet?', securityAnswer: 'Biscuit' }))).toBe('token_invalid');
    });
});
});
