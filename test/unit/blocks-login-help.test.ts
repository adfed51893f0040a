// `/login-help`: the right reason in the right order, the lock's end in the user's own time
// zone, the button that helps, the last failed attempts, and French.
import { describe, expect, it } from 'vitest';
import type { Button } from '../../handlers/blocks/elements.js';
import { limitProblems } from '../../handlers/blocks/limits.js';
import { loginHelpMessage } from '../../handlers/blocks/login-help.js';
import { loginHelpState, type LoginHelpAccount, type LoginHelpState } from '../../src/core/login-help.js';
import { ACTIONS } from '../../handlers/ids.js';

const NOW = Date.UTC(2026, 10, 25, 9, 40);
const LOCKED_UNTIL = Date.UTC(2026, 10, 25, 10, 32);

const active: LoginHelpAccount = { status: 'active', disabled_reason: null, locked_until: null, must_change_password: 0 };
const facts = { now: NOW, mfaRequired: false, mfaEnrolled: false };

const actionIds = (state: LoginHelpState, locale: 'en' | 'fr' = 'en') =>
  loginHelpMessage(state, { locale, tz: 'UTC', now: NOW }).blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]).map((e) => e.action_id) : []));

describe('loginHelpState', () => {
  it.each([
    ['a lock first, even on a disabled account', { ...active, status: 'disabled', locked_until: LOCKED_UNTIL }, facts, 'locked'],
    ['an ended lock is no lock', { ...active, locked_until: NOW - 1 }, facts, 'fine'],
    ['disabled', { ...active, status: 'disabled', disabled_reason: 'payment' }, facts, 'disabled'],
    ['not activated', { ...active, status: 'pending_activation' }, facts, 'not_activated'],
    ['must change password', { ...active, must_change_password: 1 }, { ...facts, mfaRequired: true }, 'must_change_password'],
    ['MFA required, not enrolled', active, { ...facts, mfaRequired: true }, 'mfa_not_enrolled'],
    ['MFA required and enrolled', active, { ...facts, mfaRequired: true, mfaEnrolled: true }, 'fine'],
    ['fine', active, facts, 'fine'],
  ] as const)('%s', (_, account, given, reason) => {
    expect(loginHelpState(account, given).reason).toBe(reason);
  });
});

describe('loginHelpMessage', () => {
  it('shows the lock end in the user’s time zone, with "Request unlock"', () => {
    const state: LoginHelpState = { reason: 'locked', lockedUntil: LOCKED_UNTIL };
    const paris = loginHelpMessage(state, { locale: 'en', tz: 'Europe/Paris', now: NOW }).text;
    const newYork = loginHelpMessage(state, { locale: 'en', tz: 'America/New_York', now: NOW }).text;
    expect(paris).toContain('*11:32* (CET)');
    expect(newYork).toContain('*05:32* (GMT-5)');
    expect(loginHelpMessage(state, { locale: 'en', tz: 'Not/AZone', now: NOW }).text).toContain('*10:32* (UTC)');
    expect(actionIds(state)).toEqual([ACTIONS.requestUnlock]);
    // A lock ending on another local day shows its date.
    expect(loginHelpMessage({ reason: 'locked', lockedUntil: Date.UTC(2026, 10, 26, 1, 15) }, { locale: 'en', tz: 'UTC', now: NOW }).text).toContain('26 Nov, 01:15');
  });

  it.each([
    [{ reason: 'disabled', disabledReason: 'payment' }, /disabled because of a billing problem/, [ACTIONS.askHelpdesk]],
    [{ reason: 'disabled', disabledReason: null }, /disabled for a reason not recorded/, [ACTIONS.askHelpdesk]],
    [{ reason: 'not_activated' }, /not activated/, [ACTIONS.resendActivation]],
    [{ reason: 'must_change_password' }, /must change your password/, [ACTIONS.passwordChange]],
    [{ reason: 'mfa_not_enrolled' }, /authenticator app/, [ACTIONS.requestMfaReset]],
  ] as [LoginHelpState, RegExp, string[]][])('explains %o', (state, pattern, buttons) => {
    const message = loginHelpMessage(state, { locale: 'en', tz: 'UTC', now: NOW });
    expect(message.text).toMatch(pattern);
    expect(actionIds(state)).toEqual(buttons);
    expect(limitProblems(message.blocks)).toEqual([]);
  });

  it('says the account looks fine and lists the last failed attempts, time and place (escaped)', () => {
    const attempts = [
      { at: Date.UTC(2026, 10, 25, 9, 30), client_address: '203.0.113.5', result: 'wrong_password' },
      { at: Date.UTC(2026, 10, 25, 9, 20), client_address: null, result: 'success' },
      { at: Date.UTC(2026, 10, 24, 18, 5), client_address: '<!here>', result: 'wrong_otp' },
    ];
    const message = loginHelpMessage({ reason: 'fine', attempts }, { locale: 'en', tz: 'Europe/Paris', now: NOW });
    const text = JSON.stringify(message.blocks);
    expect(message.text).toMatch(/looks fine/);
    expect(text).toContain('25 Nov, 10:30 — `203.0.113.5` — wrong password');
    expect(text).toContain('24 Nov, 19:05 — `&lt;!here&gt;` — wrong MFA code');
    expect(text).not.toContain('10:20');
    expect(loginHelpMessage({ reason: 'fine', attempts: [] }, { locale: 'en', tz: 'UTC', now: NOW }).blocks).toHaveLength(3);
    expect(actionIds({ reason: 'fine', attempts })).toEqual([ACTIONS.askHelpdesk]);
    expect(text).toContain('Ask the helpdesk');
  });

  it('renders in French', () => {
    const locked = loginHelpMessage({ reason: 'locked', lockedUntil: LOCKED_UNTIL }, { locale: 'fr', tz: 'Europe/Paris', now: NOW });
    expect(locked.text).toContain('Votre compte est verrouillé');
    expect(locked.text).toContain('*11:32* (UTC+1)');
    expect(JSON.stringify(locked.blocks)).toContain('Demander le déverrouillage');
    expect(loginHelpMessage({ reason: 'disabled', disabledReason: 'admin' }, { locale: 'fr', tz: 'UTC', now: NOW }).text).toContain('parce qu’un administrateur l’a désactivé');
    const fine = loginHelpMessage({ reason: 'fine', attempts: [{ at: NOW, client_address: '192.0.2.1', result: 'wrong_password' }] }, { locale: 'fr', tz: 'UTC', now: NOW });
    expect(JSON.stringify(fine.blocks)).toContain('mot de passe incorrect');
  });
});
