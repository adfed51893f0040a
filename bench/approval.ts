// An admin's Approve, as the person waiting sees it: N locked users each ask /unlock (a
// card in the helpdesk channel), then an admin approves them one after the other; for each,
// ms from sending the click to the card's chat.update reaching Slack. p99 over the N.
import { ACTIONS } from '../handlers/ids.js';
import type { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import { buttonClick, commandBody, interactionBody, newTriggerId, post, sign } from '../test/support/slack-requests.js';
import { percentile, type Report } from './report.js';
import type { BenchAccount } from './seed.js';
import type { ServerUnderTest } from './server.js';

export const BENCH_HELPDESK = 'C0BENCHDESK';

export async function benchApprovals(report: Report, server: ServerUnderTest, slack: SlackEmulator, users: BenchAccount[], admin: BenchAccount): Promise<void> {
  const { db, policy } = server.control.deps;
  const events = `${server.url}/slack/events`;
  const ids = users.map((u) => u.id);
  await db.updateTable('accounts').set({ locked_until: Date.now() + 3_600_000, failed_count: policy.lockout.threshold, failure_window_start: Date.now() }).where('id', 'in', ids).execute();
  for (const user of users) {
    const body = commandBody({ command: '/unlock', text: '', user_id: user.slackId!, trigger_id: newTriggerId(), response_url: slack.responseUrl(`approve-${user.id}`) });
    const answer = await post(events, sign(body, 'application/x-www-form-urlencoded', { nowMs: Date.now() }));
    if (answer.status !== 200) throw new Error(`/unlock answered ${answer.status}`);
  }
  // The cards are posted once each listener has run.
  const until = Date.now() + 60_000;
  let tickets: { id: string; message_ts: string | null }[] = [];
  while (Date.now() < until) {
    tickets = await db.selectFrom('tickets').select(['id', 'message_ts']).where('kind', '=', 'unlock').where('account_id', 'in', ids).where('status', '=', 'open').execute();
    if (tickets.length === users.length && tickets.every((t) => t.message_ts)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (tickets.length !== users.length) throw new Error(`only ${tickets.length} of ${users.length} unlock cards were posted`);

  const latencies: number[] = [];
  for (const ticket of tickets) {
    const ts = ticket.message_ts!;
    const start = Date.now();
    const updated = slack.waitForCall('chat.update', (c) => c.args.ts === ts && c.at >= start, 30_000);
    const payload = buttonClick({ user_id: admin.slackId!, action_id: ACTIONS.approve, value: ticket.id, channel: BENCH_HELPDESK, message_ts: ts });
    const answer = await post(events, sign(interactionBody({ ...payload, response_url: slack.responseUrl(`click-${ticket.id}`) }), 'application/x-www-form-urlencoded', { nowMs: Date.now() }));
    if (answer.status !== 200) throw new Error(`Approve answered ${answer.status}`);
    latencies.push((await updated).at - start);
  }
  report.info(`${users.length} Approve clicks in sequence: click → card updated p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
  report.ratio('approval_click_to_card_p99_ms', percentile(latencies, 99), { atMost: 300 });
}
