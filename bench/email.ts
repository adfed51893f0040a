// The email pipeline against plain nodemailer: N emails from the moment the first is
// queued until the sink accepted the last, over the same N sent by a pooled nodemailer
// (5 connections of 100 messages, keydesk's pool settings) to the same sink, in this process. The worker renders, opens nothing
// (no secret in these), sends through its own pool; the sink parses every message either way.
import nodemailer from 'nodemailer';
import { renderEmail } from '../src/mail/render-email.js';
import type { SmtpSink } from '../test/support/smtp-sink.js';
import { cpuSeconds } from './cpu.js';
import type { Report } from './report.js';
import type { BenchAccount } from './seed.js';
import type { ServerUnderTest } from './server.js';

async function arrived(sink: SmtpSink, count: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (sink.messages.length < count) {
    if (Date.now() > until) throw new Error(`only ${sink.messages.length} of ${count} emails arrived within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchEmail(report: Report, server: ServerUnderTest, sink: SmtpSink, accounts: BenchAccount[], opts: { count: number }): Promise<void> {
  const { effects } = server.control.deps;
  // Raw first: the same message the worker renders, to distinct recipients.
  const rendered = renderEmail('password_changed', 'en', { publicUrl: server.url });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: 100 });
  let base = sink.messages.length;
  const rawCpu = cpuSeconds(server.pid);
  const rawStart = performance.now();
  await Promise.all(
    Array.from({ length: opts.count }, (_, i) =>
      transport.sendMail({ from: 'keydesk <keydesk@localhost>', to: accounts[i % accounts.length]!.email, subject: rendered.subject, text: rendered.text, html: rendered.html }),
    ),
  );
  await arrived(sink, base + opts.count, 120_000);
  const rawPerSec = (opts.count / (performance.now() - rawStart)) * 1000;
  const rawCpuMs = ((cpuSeconds(server.pid).self - rawCpu.self) * 1000) / opts.count;
  transport.close();

  base = sink.messages.length;
  const appCpu = cpuSeconds(server.pid);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: opts.count }, (_, i) => {
      const a = accounts[i % accounts.length]!;
      return effects.sendEmail({ kind: 'password_changed', accountId: a.id, to: a.email, locale: 'en' });
    }),
  );
  await arrived(sink, base + opts.count, 300_000);
  const perSec = (opts.count / (performance.now() - start)) * 1000;
  const after = cpuSeconds(server.pid);
  const per = (a: number, b: number) => (((a - b) * 1000) / opts.count).toFixed(2);
  report.info(`${opts.count} emails: ${perSec.toFixed(0)}/s queued → accepted by the sink, ${rawPerSec.toFixed(0)}/s raw pooled nodemailer (5 connections, 100 messages each, as keydesk's)`);
  report.info(`CPU per email: keydesk ${per(after.server, appCpu.server)} ms, Redis ${per(after.redis, appCpu.redis)} ms, this process (queuing, the sink) ${per(after.self, appCpu.self)} ms; raw (sender and sink) ${rawCpuMs.toFixed(2)} ms`);
  report.ratio('email_vs_raw_smtp', perSec / rawPerSec, { atLeast: 0.8 });
}
