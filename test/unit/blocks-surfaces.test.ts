// The other surfaces: the /password modal (no secret inputs), access-key reveal, lock
// notice, Home tab, user status card, admin confirm modal, usage answers — each within
// Slack's limits with hostile user text, and in French.
import { describe, expect, it } from 'vitest';
import { confirmAdminActionModal, ADMIN_ACTIONS } from '../../handlers/blocks/confirm-admin-action.js';
import type { Button, KnownBlock } from '../../handlers/blocks/elements.js';
import { homeView } from '../../handlers/blocks/home.js';
import { keyRevealMessage, keyRevealModal, keyRevealRefusedModal, keyRevealedMessage } from '../../handlers/blocks/key-reveal.js';
import { limitProblems, viewLimitProblems } from '../../handlers/blocks/limits.js';
import { lockNoticeMessage, unlockNoticeMessage } from '../../handlers/blocks/lock-notice.js';
import type { LockedAccount } from '../../handlers/blocks/locked-list.js';
import { noAccountMessage, noticeMessage, noticeModal } from '../../handlers/blocks/notice.js';
import { changeLinkMessage, passwordModal, passwordModalDone } from '../../handlers/blocks/password-modal.js';
import { helpMessage, SLASH_COMMANDS, usageMessage } from '../../handlers/blocks/usage.js';
import { userStatusCard, type StatusAccount } from '../../handlers/blocks/user-status.js';
import { ACTIONS, VIEWS } from '../../handlers/ids.js';
import type { AccessKeyRow, TicketRow } from '../../src/store/schema.js';
import { KEY_LIST_SIZE, keyListMessage } from '../../handlers/blocks/access-keys.js';

const NOW = Date.UTC(2026, 10, 25, 9, 40);
const HOSTILE = '<!channel> <@U123> & <script>x</script> @here '.repeat(120);
const KEY = `kd_${'a1'.repeat(12)}_${'Z9'.repeat(21)}x`;

const actionIds = (blocks: readonly KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]) : b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : [])).map((b) => b.action_id);
const harmless = (value: unknown) => {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/<[!#]|<@U123>|<script>/);
  expect(text).not.toMatch(/@(here|channel)\b/);
};

describe('/password modal', () => {
  it('offers three buttons (change, forgot, I can’t answer) and not a single input', () => {
    for (const locale of ['en', 'fr'] as const) {
      const view = passwordModal(locale);
      expect(view.callback_id).toBe(VIEWS.password);
      expect(view.blocks.some((b) => b.type === 'input')).toBe(false);
      expect(view.submit).toBeUndefined();
      expect(actionIds(view.blocks as KnownBlock[])).toEqual([ACTIONS.passwordChange, ACTIONS.passwordForgot, ACTIONS.cantAnswer]);
      expect(viewLimitProblems(view)).toEqual([]);
    }
    expect(JSON.stringify(passwordModal('fr'))).toContain('J’ai oublié mon mot de passe');
  });

  it('says only the masked address for "I forgot", and escapes a refusal', () => {
    expect(JSON.stringify(passwordModalDone('en', { sent: 'email', maskedEmail: 'u***@example.com' }))).toContain('We emailed u***@example.com');
    expect(JSON.stringify(passwordModalDone('fr', { sent: 'dm', section: 'password' }))).toContain('message direct');
    harmless(passwordModalDone('en', { refused: HOSTILE }));
    expect(viewLimitProblems(passwordModalDone('en', { refused: HOSTILE }))).toEqual([]);
  });

  it('DMs the change link as a link, and refuses anything that is not a plain URL', () => {
    const link = 'https://keydesk.test/change/abcDEF123_-xyz';
    const message = changeLinkMessage({ link, expiresAt: NOW + 15 * 60_000, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    expect(JSON.stringify(message.blocks)).toContain(`<${link}|Change your password>`);
    expect(JSON.stringify(message.blocks)).toContain('until 10:55');
    expect(message.text).not.toContain(link);
    expect(() => changeLinkMessage({ link: 'https://x.test/a|<!channel>', expiresAt: NOW, now: NOW, tz: 'UTC', locale: 'en' })).toThrow();
    expect(() => changeLinkMessage({ link: 'javascript:alert(1)', expiresAt: NOW, now: NOW, tz: 'UTC', locale: 'en' })).toThrow();
  });
});

describe('access key reveal', () => {
  it('DMs a "Reveal once" button carrying only the key id, and shows the key once in a modal with a warning', () => {
    const dm = keyRevealMessage({ keyId: 'a1'.repeat(12), locale: 'en' });
    expect(dm.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]) : []))).toMatchObject([{ action_id: ACTIONS.revealKey, value: 'a1'.repeat(12), text: { text: 'Reveal once' } }]);
    const view = keyRevealModal({ accessKey: KEY, locale: 'en' });
    const text = JSON.stringify(view);
    expect(text).toContain(KEY);
    expect(text).toMatch(/store it in a password manager/);
    expect(text).toMatch(/will not be shown again/);
    expect(viewLimitProblems(view)).toEqual([]);
    expect(JSON.stringify(keyRevealModal({ accessKey: KEY, locale: 'fr' }))).toContain('Elle ne sera plus affichée');
    expect(() => keyRevealModal({ accessKey: 'kd_x_<!channel>', locale: 'en' })).toThrow();
    expect(() => keyRevealMessage({ keyId: '<!here>', locale: 'en' })).toThrow();
    expect(JSON.stringify(keyRevealedMessage({ keyId: 'a1'.repeat(12), at: NOW, now: NOW, tz: 'UTC', locale: 'en' }))).not.toContain(ACTIONS.revealKey);
    harmless(keyRevealRefusedModal({ message: HOSTILE, locale: 'en' }));
  });
});

describe('lock notice', () => {
  const lockedAt = Date.UTC(2026, 10, 25, 9, 32);
  const lockedUntil = Date.UTC(2026, 10, 25, 10, 32);
  const sec = (ms: number) => Math.floor(ms / 1000);

  it('says when it locked and when it unlocks as Slack date tokens (each reader’s own zone), with Request unlock and Report', () => {
    const notice = lockNoticeMessage({ failures: 5, lockedAt, lockedUntil, locale: 'en' });
    const section = JSON.stringify(notice.blocks[0]);
    expect(section).toContain(
      `locked after 5 failed attempts <!date^${sec(lockedAt)}^{date_short_pretty} at {time}|25 Nov, 09:32 UTC> (last attempt from an unknown address); it unlocks <!date^${sec(lockedUntil)}^{date_short_pretty} at {time}|25 Nov, 10:32 UTC>.`,
    );
    // The notification text carries the fallbacks, never half a token.
    expect(notice.text).toContain('locked after 5 failed attempts 25 Nov, 09:32 UTC (last attempt from an unknown address); it unlocks 25 Nov, 10:32 UTC.');
    expect(notice.text).not.toContain('<!date');
    const from = lockNoticeMessage({ failures: 5, lockedAt, lockedUntil, clientAddress: '203.0.113.9', locale: 'en' });
    expect(from.text).toContain('(last attempt from `203.0.113.9`)');
    const hostile = lockNoticeMessage({ failures: 5, lockedAt: NOW, lockedUntil: NOW + 1, clientAddress: '<!channel>', locale: 'en' });
    expect(hostile.text).toContain('`&lt;!channel&gt;`');
    expect(actionIds(notice.blocks)).toEqual([ACTIONS.requestUnlock, ACTIONS.reportLock]);
    expect(limitProblems(notice.blocks)).toEqual([]);
    const fr = lockNoticeMessage({ failures: 5, lockedAt, lockedUntil, locale: 'fr' });
    expect(JSON.stringify(fr.blocks[0])).toContain(`échouées <!date^${sec(lockedAt)}^{date_short_pretty} à {time}|25 nov., 09:32 UTC> (dernière tentative depuis une adresse inconnue) ; il se déverrouille <!date^${sec(lockedUntil)}^{date_short_pretty} à {time}|25 nov., 10:32 UTC>.`);
    const frFrom = lockNoticeMessage({ failures: 5, lockedAt: NOW, lockedUntil: NOW + 1, clientAddress: '198.51.100.4', locale: 'fr' });
    expect(frFrom.text).toContain('(dernière tentative depuis `198.51.100.4`)');
    expect(unlockNoticeMessage({ how: 'unlock', at: lockedUntil, locale: 'en' }).text).toBe(':unlock: An admin unlocked your account 25 Nov, 10:32 UTC. You can sign in again.');
    expect(unlockNoticeMessage({ how: 'expired', at: NOW, locale: 'fr' }).text).toContain('de lui-même');
  });

  it('keeps a long notice’s notification text whole-token: the cut never lands inside a date', () => {
    const notice = lockNoticeMessage({ failures: 5, lockedAt, lockedUntil, clientAddress: 'x'.repeat(64), locale: 'fr' });
    expect(notice.text.length).toBeLessThanOrEqual(300);
    expect(notice.text).not.toMatch(/<!date|\^/);
  });
});

describe('access key list', () => {
  const keys = Array.from({ length: 60 }, (_, i): AccessKeyRow => ({
    id: i.toString(16).padStart(24, 'a'),
    account_id: 'acc',
    created_by: 'cli',
    created_at: NOW - i * 60_000,
    status: (['active', 'pending_reveal', 'revoked'] as const)[i % 3]!,
    secret_hash: null,
    hash_key_id: null,
    revealed_at: null,
    expires_at: i % 4 === 0 ? NOW + 3_600_000 : null,
    revoked_at: null,
    last_used_at: i % 2 ? NOW - 1000 : null,
    replaced_by: null,
  }));

  it('stays within a message’s limits with many keys, escaped, in both languages; dead keys get no buttons', () => {
    for (const locale of ['en', 'fr'] as const) {
      const message = keyListMessage({ keys, ownerName: HOSTILE, now: NOW, tz: 'Europe/Paris', locale });
      expect(limitProblems(message.blocks)).toEqual([]);
      harmless(message);
      const ids = actionIds(message.blocks);
      expect(ids.filter((id) => id === ACTIONS.revokeKey)).toHaveLength(KEY_LIST_SIZE - Math.floor(KEY_LIST_SIZE / 3));
    }
    expect(JSON.stringify(keyListMessage({ keys: keys.slice(0, 1), ownerName: null, now: NOW, tz: 'UTC', locale: 'fr' }))).toContain('remplacée, expire dans 1 h');
    expect(JSON.stringify(keyListMessage({ keys: [], ownerName: null, now: NOW, tz: 'UTC', locale: 'en' }))).toContain('No access key yet');
  });

  it('adds the viewer’s keys to a full admin Home tab within 100 blocks', () => {
    const view = homeView({
      viewer: { displayName: HOSTILE, role: 'admin', state: { reason: 'fine', attempts: [] } },
      openTickets: Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, kind: 'access_key_leak' as const, status: 'open' as const, requester_slack_id: null, created_at: NOW })),
      openTicketCount: 50,
      locked: Array.from({ length: 50 }, (_, i) => ({ id: `a${i}`, display_name: HOSTILE, email: HOSTILE, locked_until: NOW + 60_000, failed_count: 5 })),
      lockedCount: 50,
      activeSessions: 2,
      accessKeys: keys,
      now: NOW,
      tz: 'UTC',
      locale: 'fr',
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(viewLimitProblems(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('Vos clés d’accès (60)');
    expect(actionIds(view.blocks as KnownBlock[])).toContain(ACTIONS.lockedPage);
  });
});

type HomeTicket = Pick<TicketRow, 'id' | 'kind' | 'status' | 'requester_slack_id' | 'created_at'>;

describe('Home tab', () => {
  const locked: LockedAccount[] = Array.from({ length: 200 }, (_, i) => ({ id: `a${i}`, display_name: HOSTILE, email: HOSTILE, locked_until: NOW + 60_000, failed_count: 5 }));
  const tickets = Array.from({ length: 200 }, (_, i): HomeTicket => ({ id: `t${i}`, kind: 'unlock', status: i % 2 ? 'claimed' : 'open', requester_slack_id: 'U0USER01', created_at: NOW }));

  it('shows a user their status and self-service buttons, and no helpdesk lists', () => {
    const view = homeView({ viewer: { displayName: 'Uma', role: 'user', state: { reason: 'locked', lockedUntil: NOW + 3_600_000 } }, openTickets: tickets, locked, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    expect(view.type).toBe('home');
    expect(JSON.stringify(view)).toContain('locked until *11:40*');
    const ids = actionIds(view.blocks as KnownBlock[]);
    expect(ids[0]).toBe(ACTIONS.requestUnlock);
    expect(ids).toContain(ACTIONS.homeRefresh);
    expect(ids).not.toContain(ACTIONS.unlockRow);
    expect(ids).not.toContain(ACTIONS.claim);
  });

  it('adds open tickets and locked accounts for an admin, within 100 blocks, escaped', () => {
    const view = homeView({
      viewer: { displayName: HOSTILE, role: 'admin', state: { reason: 'fine', attempts: [] } },
      openTickets: tickets,
      openTicketCount: 200,
      locked,
      lockedCount: 200,
      activeSessions: 3,
      now: NOW,
      tz: 'UTC',
      locale: 'en',
    });
    expect(JSON.stringify(view)).toContain('3 active sessions');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(viewLimitProblems(view)).toEqual([]);
    harmless(view);
    const ids = actionIds(view.blocks as KnownBlock[]);
    expect(ids.filter((id) => id === ACTIONS.unlockRow).length).toBeGreaterThan(0);
    expect(ids.filter((id) => id === ACTIONS.claim).length).toBeGreaterThan(0);
    expect(ids).toContain(ACTIONS.lockedPage);
  });

  it('shows the active sessions only when there is one or more, in each language, with a confirmed Sign out everywhere', () => {
    const home = (activeSessions: number, locale: 'en' | 'fr') =>
      homeView({ viewer: { displayName: 'Uma', role: 'user', state: { reason: 'fine', attempts: [] } }, activeSessions, now: NOW, tz: 'UTC', locale });
    expect(actionIds(home(0, 'en').blocks as KnownBlock[])).not.toContain(ACTIONS.homeSignOutEverywhere);
    expect(JSON.stringify(home(0, 'en'))).not.toContain('active session');
    expect(JSON.stringify(home(1, 'en'))).toContain('*1 active session* signed');
    expect(JSON.stringify(home(2, 'en'))).toContain('*2 active sessions*');
    expect(JSON.stringify(home(1, 'fr'))).toContain('*1 session active*');
    expect(JSON.stringify(home(5, 'fr'))).toContain('*5 sessions actives*');
    for (const view of [home(1, 'en'), home(7, 'fr')]) {
      expect(actionIds(view.blocks as KnownBlock[])).toContain(ACTIONS.homeSignOutEverywhere);
      expect(JSON.stringify(view)).toContain('"confirm":{');
      expect(viewLimitProblems(view)).toEqual([]);
    }
  });

  it('gives an agent the lists without Unlock buttons, and someone with no account a polite word', () => {
    const agent = homeView({ viewer: { displayName: 'Alex', role: 'agent', state: { reason: 'fine', attempts: [] } }, openTickets: tickets.slice(0, 2), locked: locked.slice(0, 2), now: NOW, tz: 'UTC', locale: 'fr' });
    expect(actionIds(agent.blocks as KnownBlock[])).not.toContain(ACTIONS.unlockRow);
    expect(JSON.stringify(agent)).toContain('Tickets ouverts (2)');
    const nobody = homeView({ viewer: null, now: NOW, tz: 'UTC', locale: 'en' });
    expect(JSON.stringify(nobody)).toContain('No keydesk account is linked');
  });
});

describe('user status card', () => {
  const account: StatusAccount = {
    id: 'acc-1',
    display_name: HOSTILE,
    email: 'uma@example.com',
    role: 'user',
    status: 'disabled',
    disabled_reason: 'email_conflict',
    locked_until: NOW + 3_600_000,
    must_change_password: 1,
    slack_user_id: 'U0USER01',
    failed_count: 5,
  };
  it('shows the account’s state, escaped, with Unlock for admins only', () => {
    const card = userStatusCard({ account, mfaEnrolled: false, attempts: [{ at: NOW, client_address: '<!here>', result: 'locked' }], viewerIsAdmin: true, now: NOW, tz: 'Europe/Paris', locale: 'en' });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('email address is also used by another account');
    expect(text).toContain(':lock: until 11:40 (CET)');
    expect(actionIds(card.blocks)).toEqual([ACTIONS.unlockRow]);
    harmless(card);
    expect(limitProblems(card.blocks)).toEqual([]);
    expect(actionIds(userStatusCard({ account, mfaEnrolled: true, viewerIsAdmin: false, now: NOW, tz: 'UTC', locale: 'fr' }).blocks)).toEqual([]);
  });
});

describe('admin confirm modal and notices', () => {
  it.each(ADMIN_ACTIONS)('confirms %s with "Yes", the target escaped and masked', (action) => {
    const view = confirmAdminActionModal({ action, target: { display_name: HOSTILE, email: 'uma@example.com' }, reason: 'payment', note: HOSTILE, privateMetadata: '{"a":1}', locale: 'en' });
    expect(view).toMatchObject({ callback_id: VIEWS.confirmAdminAction, submit: { text: 'Yes' }, private_metadata: '{"a":1}' });
    expect(JSON.stringify(view)).toContain('u***@example.com');
    harmless(view);
    expect(viewLimitProblems(view)).toEqual([]);
  });

  it('refuses private metadata over 3,000 characters', () => {
    expect(() => confirmAdminActionModal({ action: 'unlock', target: { display_name: 'x', email: 'x@example.com' }, privateMetadata: 'x'.repeat(3001), locale: 'fr' })).toThrow();
  });

  it('escapes a notice and keeps it short', () => {
    harmless(noticeMessage(HOSTILE));
    expect(limitProblems(noticeMessage(HOSTILE).blocks)).toEqual([]);
    expect(viewLimitProblems(noticeModal({ title: 'A title longer than twenty-four', text: HOSTILE, locale: 'en' }))).toEqual([]);
    expect(noAccountMessage('fr').text).toContain('Je n’ai pas trouvé de compte keydesk');
  });
});

describe('usage answers', () => {
  it.each(SLASH_COMMANDS)('answers %s briefly in both languages', (command) => {
    for (const locale of ['en', 'fr'] as const) {
      const message = usageMessage(command, locale);
      expect(JSON.stringify(message.blocks)).toContain(command);
      expect(limitProblems(message.blocks)).toEqual([]);
    }
  });

  it('quotes a bad argument escaped and cut, even at 5,000 characters', () => {
    const message = usageMessage('/helpdesk', 'en', { what: 'unknown', got: HOSTILE });
    harmless(message);
    expect(message.text.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(message.blocks)).toContain('/helpdesk locked');
    expect(usageMessage('/unlock', 'fr', { what: 'no_such_user', got: '@nobody' }).text).toContain('Aucun compte keydesk ne correspond à “@nobody”');
    const help = helpMessage('en');
    expect(JSON.stringify(help.blocks)).toContain('/helpdesk disable @user &lt;reason&gt; [note]');
    expect(JSON.stringify(help.blocks)).not.toMatch(/<(reason|motif)>/);
  });
});
