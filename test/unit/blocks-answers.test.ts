// The small answers that had no unit test of their own: the failure notice, the lock
// report, an admin's direct action, a message shown in a modal, the ticket list, the
// helpdesk's confirmations, and the words for ticket kinds and statuses — each in English
// and French, within Slack's limits, user text escaped.
import { describe, expect, it } from 'vitest';
import { adminActionDoneMessage, mfaClearedNoticeMessage } from '../../handlers/blocks/admin-action-result.js';
import { answerTitle, messageModal } from '../../handlers/blocks/answer-modal.js';
import { failureMessage } from '../../handlers/blocks/failure-notice.js';
import { activationResentMessage, helpdeskActionDoneMessage } from '../../handlers/blocks/helpdesk-answers.js';
import { limitProblems, viewLimitProblems } from '../../handlers/blocks/limits.js';
import { lockReportAnswer, lockReportDetail, lockReportDetailOf, lockReportFacts, lockReportThreadLine } from '../../handlers/blocks/lock-report.js';
import { cardLink, TICKET_LIST_SIZE, ticketListMessage, type ListedTicket } from '../../handlers/blocks/ticket-list.js';
import { kindNoun, kindTitle, statusLabel } from '../../handlers/blocks/ticket-words.js';
import { BLOCKS, VIEWS } from '../../handlers/ids.js';
import { blockWithId, hasText, textOf } from '../support/slack-find.js';

const HOSTILE = '<!channel> <@U123> & <script>x</script> '.repeat(60);
const LOCALES = ['en', 'fr'] as const;
const NOW = Date.UTC(2026, 10, 25, 9, 40);

describe('failure notice', () => {
  it('gives the reference to quote, in both languages', () => {
    for (const locale of LOCALES) {
      const m = failureMessage('KD-0123ABCD', locale);
      expect(textOf(m.blocks)).toContain('`KD-0123ABCD`');
      expect(limitProblems(m.blocks)).toEqual([]);
    }
    expect(failureMessage('KD-1', 'en').text).toMatch(/something went wrong on our side/);
    expect(failureMessage('KD-1', 'fr').text).toMatch(/un problème est survenu/);
  });
});

describe('lock report', () => {
  it('says which lock, in UTC, and where the failed attempts came from', () => {
    expect(lockReportDetail({ lockedUntil: Date.UTC(2026, 10, 25, 11, 32), failedFrom: ['203.0.113.7', '198.51.100.2'] })).toBe(
      'The owner reports that the lock of their account until 25 Nov, 11:32 UTC was not them: someone else may be trying their password. Recent failed attempts came from 203.0.113.7, 198.51.100.2.',
    );
    expect(lockReportDetail({ lockedUntil: null, failedFrom: [] })).toMatch(/^The owner reports that a lock of their account was not them/);
  });

  it('keeps facts in the ticket, and words them in the channel’s language', () => {
    const facts = lockReportFacts({ lockedUntil: Date.UTC(2026, 10, 25, 11, 32), failedFrom: ['203.0.113.7', '198.51.100.2'] });
    expect(facts).toEqual({ reported_lock: true, reported_lock_until: Date.UTC(2026, 10, 25, 11, 32), failed_from: '203.0.113.7, 198.51.100.2' });
    expect(lockReportDetailOf(facts, 'en')).toMatch(/^The owner reports that the lock of their account until 25 Nov, 11:32 UTC was not them.*203\.0\.113\.7, 198\.51\.100\.2\.$/);
    expect(lockReportDetailOf(facts, 'fr')).toMatch(/^Le titulaire signale que le verrouillage de son compte jusqu’au .* UTC n’était pas de son fait.*203\.0\.113\.7, 198\.51\.100\.2\.$/);
    expect(lockReportDetailOf({ reported_lock: true, reported_lock_until: null, failed_from: '' }, 'fr')).toMatch(/^Le titulaire signale qu[e’] ?un verrouillage/);
    expect(lockReportDetailOf({ detail: 'older ticket' }, 'en')).toBeNull();
  });

  it('answers a first report and a further one differently; a thread line escapes the detail', () => {
    for (const locale of LOCALES) {
      expect(textOf(lockReportAnswer({ created: true, locale }))).not.toBe(textOf(lockReportAnswer({ created: false, locale })));
    }
    expect(hasText(lockReportAnswer({ created: true, locale: 'en' }), /helpdesk has your report/)).toBe(true);
    expect(hasText(lockReportAnswer({ created: false, locale: 'en' }), /added this to the ticket/)).toBe(true);
    const line = lockReportThreadLine(HOSTILE);
    expect(textOf(line)).not.toMatch(/<[!@]|<script>/);
    expect(limitProblems(line.blocks)).toEqual([]);
  });
});

describe('admin direct action', () => {
  const target = { display_name: HOSTILE, email: 'alice@example.com' };
  it('tells the admin what was done to whom, masked, and whether the person was told', () => {
    for (const locale of LOCALES) {
      for (const m of [
        adminActionDoneMessage({ action: 'clear_mfa', target, told: true, locale }),
        adminActionDoneMessage({ action: 'issue_access_key', target, told: true, locale }),
        adminActionDoneMessage({ action: 'issue_access_key', target, told: false, locale }),
      ]) {
        expect(textOf(m)).toContain('a***@example.com');
        expect(textOf(m)).not.toContain('alice@example.com');
        expect(textOf(m)).not.toMatch(/<[!@]|<script>/);
        expect(limitProblems(m.blocks)).toEqual([]);
      }
    }
    expect(textOf(adminActionDoneMessage({ action: 'issue_access_key', target, told: false, locale: 'en' }))).toMatch(/could not message them/);
  });

  it('tells the person who cleared their MFA, escaped', () => {
    const m = mfaClearedNoticeMessage({ byName: '<!here> Dana', locale: 'en' });
    expect(textOf(m)).toMatch(/\*&lt;!here&gt; Dana\* cleared the MFA device/);
    expect(textOf(mfaClearedNoticeMessage({ byName: 'Dana', locale: 'fr' }))).toMatch(/a réinitialisé l’appareil MFA/);
  });
});

describe('message modal', () => {
  it('shows a message under a short title, with a Close and no submit', () => {
    for (const locale of LOCALES) {
      for (const kind of ['login_help', 'request', 'keydesk'] as const) {
        const view = messageModal({ title: answerTitle(kind, locale), message: failureMessage('KD-1', locale), locale });
        expect(view.callback_id).toBe(VIEWS.notice);
        expect(view.submit).toBeUndefined();
        expect(viewLimitProblems(view)).toEqual([]);
      }
    }
    expect(messageModal({ title: 'x', message: failureMessage('KD-1', 'fr'), locale: 'fr' }).close?.text).toBe('Fermer');
  });
});

describe('ticket list', () => {
  const ticket = (i: number): ListedTicket => ({
    id: `t-${i}`, kind: 'unlock', status: i % 2 ? 'claimed' : 'open', requester_slack_id: 'U100ALICE', created_at: NOW, channel: 'C0HELPDESK', message_ts: '1764064800.000100',
  });

  it('links each ticket to its card, with its id; says when there is none', () => {
    const m = ticketListMessage({ tickets: [ticket(0)], workspaceUrl: 'https://acme.slack.com', tz: 'UTC', locale: 'en' });
    expect(blockWithId(m.blocks, BLOCKS.ticketList)).toBeDefined();
    expect(textOf(m)).toContain('<https://acme.slack.com/archives/C0HELPDESK/p1764064800000100|Unlock request>');
    expect(textOf(m)).toContain('`t-0`');
    expect(textOf(ticketListMessage({ tickets: [], tz: 'UTC', locale: 'fr' }))).toMatch(/Aucun ticket ouvert/);
  });

  it('links nothing it cannot build from a real channel and ts', () => {
    expect(cardLink(null, ticket(0))).toBeNull();
    expect(cardLink('https://acme.slack.com', { channel: 'not a channel', message_ts: '1.2' })).toBeNull();
    expect(textOf(ticketListMessage({ tickets: [ticket(0)], tz: 'UTC', locale: 'en' }))).toContain('*Unlock request*');
  });

  it(`shows at most ${TICKET_LIST_SIZE} lines and says more are open, within Slack's limits`, () => {
    const m = ticketListMessage({ tickets: Array.from({ length: 60 }, (_, i) => ticket(i)), workspaceUrl: 'https://acme.slack.com', tz: 'Europe/Paris', locale: 'en' });
    expect(m.blocks.filter((b) => b.type === 'section')).toHaveLength(TICKET_LIST_SIZE);
    expect(textOf(m)).toMatch(/More tickets are open/);
    expect(m.text).toBe(`Open tickets: ${TICKET_LIST_SIZE}+`);
    expect(limitProblems(m.blocks)).toEqual([]);
  });
});

describe('helpdesk confirmations', () => {
  it('says what a confirmed action did, to whom, escaped', () => {
    const m = helpdeskActionDoneMessage({ action: 'reset_password', targetName: '<!channel>', policy: 'random', sentTo: 'a***@example.com', locale: 'en' });
    expect(textOf(m)).toMatch(/Password reset for \*&lt;!channel&gt;\*: we emailed a\*\*\*@example\.com a temporary password/);
    expect(textOf(helpdeskActionDoneMessage({ action: 'unlock', targetName: 'Alice', wasLocked: false, locale: 'en' }))).toMatch(/was no longer locked/);
    expect(textOf(activationResentMessage('p***@example.com', 'en'))).toMatch(/p\*\*\*@example\.com/);
  });
});

describe('ticket words', () => {
  it('names every kind and status in both languages, and falls back for an unknown one', () => {
    expect(kindTitle('unlock', 'fr')).toBe('Demande de déverrouillage');
    expect(kindNoun('access_key', 'en')).toBe('access key request');
    expect(statusLabel('open', 'en')).toMatch(/Open/);
    expect(kindTitle('frobnicate', 'en')).toEqual(expect.any(String));
    expect(statusLabel('frobnicate', 'fr')).toEqual(expect.any(String));
  });
});
