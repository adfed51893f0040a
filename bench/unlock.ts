// Locks that end together: N accounts locked until the same instant T, their expiry jobs
// queued as a real lock queues them. For each: seconds from T to the later of the lock
// being cleared (the `lock_expired` audit row's time) and the owner's DM being posted
// (the Slack emulator's record of chat.postMessage). p99 over the N.
import { percentile, type Report } from './report.js';
import type { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import type { SmtpSink } from '../test/support/smtp-sink.js';
import { cpuSeconds } from './cpu.js';
import type { BenchAccount } from './seed.js';
import type { ServerUnderTest } from './server.js';

export async function benchUnlocks(report: Report, server: ServerUnderTest, slack: SlackEmulator, sink: SmtpSink, accounts: BenchAccount[], opts: { leadMs: number }): Promise<void> {
  const { db, effects, policy } = server.control.deps;
  const lockedUntil = Date.now() + opts.leadMs;
  const ids = accounts.map((a) => a.id);
  await db.updateTable('accounts').set({ locked_until: lockedUntil, failed_count: policy.lockout.threshold, failure_window_start: Date.now() }).where('id', 'in', ids).execute();
  for (const id of ids) await effects.scheduleLockExpiry(id, lockedUntil);
  if (Date.now() >= lockedUntil) throw new Error('queuing the expiries took longer than the lead: raise it');

  const dmChannels = new Map(accounts.map((a) => [slack.dmChannelFor(a.slackId!), a.id]));
  // What the server spent until the last owner was told, and how many unlock emails it had
  // sent by then: the notices share its one thread with those emails.
  const cpuBefore = cpuSeconds(server.pid);
  const emailsBefore = sink.messages.length;
  const toldAt = new Map<string, number>();
  const until = lockedUntil + 120_000;
  while (toldAt.size < accounts.length && Date.now() < until) {
    for (const call of slack.callsTo('chat.postMessage')) {
      const id = dmChannels.get(String(call.response.channel));
      if (id && call.ok && call.at >= lockedUntil && !toldAt.has(id)) toldAt.set(id, call.at);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpuAfter = cpuSeconds(server.pid);
  const cpuMs = (cpuAfter.server - cpuBefore.server) * 1000;
  const wallS = (Math.max(...toldAt.values()) - lockedUntil) / 1000;
  const emailsByThen = sink.messages.length - emailsBefore;
  const cleared = await db.selectFrom('audit_log').select(['target_account_id', 'at']).where('action', '=', 'lock_expired').where('target_account_id', 'in', ids).execute();
  const clearedAt = new Map(cleared.map((r) => [r.target_account_id!, Number(r.at)]));
  const lateness = ids.map((id) => (Math.max(clearedAt.get(id) ?? Number.POSITIVE_INFINITY, toldAt.get(id) ?? Number.POSITIVE_INFINITY) - lockedUntil) / 1000);
  const late = (at: Map<string, number>) => ids.map((id) => ((at.get(id) ?? Number.POSITIVE_INFINITY) - lockedUntil) / 1000);
  report.info(`${accounts.length} locks ending at once: ${clearedAt.size} cleared, ${toldAt.size} told; lateness p50 ${percentile(lateness, 50).toFixed(2)} s, p99 ${percentile(lateness, 99).toFixed(2)} s, max ${percentile(lateness, 100).toFixed(2)} s`);
  report.info(`of which cleared p50 ${percentile(late(clearedAt), 50).toFixed(2)} s, p99 ${percentile(late(clearedAt), 99).toFixed(2)} s; told p50 ${percentile(late(toldAt), 50).toFixed(2)} s, p99 ${percentile(late(toldAt), 99).toFixed(2)} s`);
  // Where the notices' time went: waiting in the queue, then running (Slack calls, the store).
  // A sweep queues its notices in batch jobs; a lock cleared alone gets a job of its own.
  const jobs = (await server.control.queues.notify.getCompleted(0, accounts.length + 10)).filter((j) => (j.data.kind === 'account_unlocked' || j.data.kind === 'batch') && j.processedOn && j.finishedOn && j.timestamp >= lockedUntil);
  const waited = jobs.map((j) => (j.processedOn! - j.timestamp) / 1000);
  const ran = jobs.map((j) => (j.finishedOn! - j.processedOn!) / 1000);
  const queued = jobs.map((j) => (j.timestamp - lockedUntil) / 1000);
  report.info(`notices: queued p99 ${percentile(queued, 99).toFixed(2)} s after the end, waited p50 ${percentile(waited, 50).toFixed(2)} / p99 ${percentile(waited, 99).toFixed(2)} s, ran p50 ${(percentile(ran, 50) * 1000).toFixed(0)} / p99 ${(percentile(ran, 99) * 1000).toFixed(0)} ms (${jobs.length} jobs)`);
  report.info(`server CPU until the last was told: ${(cpuMs / 1000).toFixed(2)} s (main thread ${(cpuAfter.serverMain - cpuBefore.serverMain).toFixed(2)} s), ${(cpuMs / accounts.length).toFixed(2)} ms per lock; ${emailsByThen} of the ${accounts.length} unlock emails sent by then`);
  // The other side of each DM and email runs here (the Slack emulator, the SMTP sink), on the same two cores.
  report.info(`and in the same ${wallS.toFixed(2)} s: this process (Slack emulator, SMTP sink) ${(cpuAfter.self - cpuBefore.self).toFixed(2)} s of CPU, Redis ${(cpuAfter.redis - cpuBefore.redis).toFixed(2)} s`);
  report.ratio('unlock_lateness_p99_s', percentile(lateness, 99), { atMost: 0.5 });
}
