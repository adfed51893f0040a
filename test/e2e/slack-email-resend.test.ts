// An email that fails for good posts an "Email not delivered" card in the helpdesk
// channel with a Resend button; once the mail server is back, an agent's click queues the
// same email again (same Message-ID, the link inside it unchanged), the card closes and its
// thread says who resent how many. Real SMTP sink (stopped, then started), real BullMQ
// workers, signed Slack requests, both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTicketById } from '../../src/store/tickets.js';
import { ACTIONS } from '../../handlers/ids.js';
import { cards, seedCast, threadOf, type Cast } from '../support/helpdesk-fixtures.js';
import { HELPDESK, startSlackTestApp, type SlackTestApp } from '../support/slack-app.js';
import { buttonsOf, findButton, textOf } from '../support/slack-find.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { STORE_KINDS } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

describe.each(STORE_KINDS)('Resend on an email-failure card on %s', (kind) => {
  let t: SlackTestApp;
  let sink: SmtpSink;
  let cast: Cast;
  beforeAll(async () => {
    sink = await startSmtpSink();
    // Ten attempts 5 ms apart, doubling: an email fails for good within a few seconds.
    t = await startSlackTestApp(kind, { SMTP_URL: sink.url, SMTP_TLS: 'off', EMAIL_RETRY_BASE_MS: '5' });
    cast = await seedCast(t);
    await sink.waitFor(Object.keys(cast).length, 20_000); // their activation emails
    await sink.stop(); // the mail server is down when the next email goes out
  });
  afterAll(async () => {
    await t?.stop();
    await sink?.close();
  });

  it('posts the card with Resend; a burst of clicks resends once, with the same Message-ID', async () => {
    t.slack.clear();
    const link = 'http://127.0.0.1/reset/resend-test-link';
    await t.deps.effects.sendEmail({ kind: 'reset_link', accountId: cast.alice.id, to: cast.alice.email, locale: 'en', secret: link });
    const card = await waitFor(() => cards(t).find((c) => findButton(c.blocks, ACTIONS.resendEmail)), 20_000);
    expect(textOf(card.blocks)).toMatch(/Email not delivered/);
    expect(textOf(card.blocks)).toMatch(/reset_link email to a\*\*\*@/);
    expect(textOf(card.blocks)).not.toContain(link);
    const ticketId = findButton(card.blocks, ACTIONS.resendEmail)!.value!;
    expect(buttonsOf(card.blocks).map((b) => b.action_id)).toEqual([ACTIONS.claim, ACTIONS.resendEmail, ACTIONS.resolve]);

    // A user can't resend (agents and admins can).
    await t.click({ user_id: cast.alice.slackId, action_id: ACTIONS.resendEmail, value: ticketId, channel: HELPDESK, message_ts: card.ts });
    expect((await findTicketById(t.deps.db, ticketId))!.status).toBe('open');

    await sink.start();
    const click = (slackId: string) => t.click({ user_id: slackId, action_id: ACTIONS.resendEmail, value: ticketId, channel: HELPDESK, message_ts: card.ts });
    // Three agents click at once, the admin last.
    const replies = await Promise.all([click(cast.alex.slackId), click(cast.alex.slackId), click(cast.dana.slackId)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    const before = sink.messages.length;
    const message = await sink.waitFor((m) => m.text.includes(link), 20_000);
    expect(message.to).toEqual([cast.alice.email]);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.length - before).toBe(1);

    const ticket = await findTicketById(t.deps.db, ticketId);
    expect(ticket!.status).toBe('resolved');
    await waitFor(() => threadOf(t, card.ts).some((l) => /Queued again: 1 of 1 emails/.test(l)));
    expect(threadOf(t, card.ts).filter((l) => /resolved this/.test(l))).toHaveLength(1);
    const updated = t.slack.callsTo('chat.update').filter((c) => c.args.ts === card.ts).at(-1)!;
    expect(findButton(updated.args.blocks, ACTIONS.resendEmail)).toBeUndefined();
    // The message id is the one the failed tries used: derived from the job, which was queued once.
    const jobs = (await t.app.queues.email.getJobs(['completed'])).filter((j) => j.data.kind === 'reset_link');
    expect(jobs).toHaveLength(1);
    expect(message.messageId).toContain(jobs[0]!.id!);
  });
});
