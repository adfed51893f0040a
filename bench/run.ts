// `npm run bench`: every ratio keydesk promises, measured in one run on this machine, each
// printed as `ratio <name>: <value> (goal …)`, then `bench: N met, M missed`.
// `npm run bench -- --quick` (what `npm test` runs) does the same on tiny samples and judges
// nothing: it keeps the bench working, it measures nothing worth quoting.
// `--only login,ack,memory,enumeration,email,approval,unlock` runs some parts (for a
// before/after on one figure); the memory figures need the login and ack loads.
//
// The app runs as in production, in its own process (bench/server.ts), with Slack pointed
// at the local emulator and email at a local SMTP sink, both in this process. Needs Redis
// (REDIS_URL or 127.0.0.1:6379) and PostgreSQL (as the tests find it).
import { startSlackEmulator } from '../src/sandbox/slack-emulator.js';
import { startSmtpSink } from '../test/support/smtp-sink.js';
import { SIGNING_SECRET, benchAck } from './ack.js';
import { BENCH_HELPDESK, benchApprovals } from './approval.js';
import { benchEmail } from './email.js';
import { benchEnumeration } from './enumeration.js';
import { benchLogins } from './login.js';
import { Report } from './report.js';
import { seedAccounts } from './seed.js';
import { startServer, type ServerUnderTest } from './server.js';
import { benchUnlocks } from './unlock.js';

const quick = process.argv.includes('--quick');
const PARTS = ['login', 'ack', 'memory', 'enumeration', 'email', 'approval', 'unlock'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;
if (only?.some((p) => !(PARTS as readonly string[]).includes(p))) {
  console.error(`bench: --only takes some of ${PARTS.join(',')}`);
  process.exit(2);
}
const wants = (part: (typeof PARTS)[number]) => only === null || only.includes(part) || (part !== 'memory' && only.includes('memory') && (part === 'login' || part === 'ack'));
const size = quick
  ? { loginMs: 150, burst: 20, rounds: 1, emails: 20, approvals: 3, unlocks: 10, unlockLeadMs: 1_500, probes: 4, settleMs: 200, idleMs: 400 }
  : { loginMs: 5_000, burst: 200, rounds: 3, emails: 1_000, approvals: 50, unlocks: 1_000, unlockLeadMs: 5_000, probes: 200, settleMs: 5_000, idleMs: 30_000 };

const report = new Report(quick);
const slack = await startSlackEmulator();
// Light: the sink keeps Message-IDs only, so the harness takes less of the machine than what it measures.
const sink = await startSmtpSink({ light: true });
const env = {
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_API_URL: slack.url,
  HELPDESK_CHANNEL: BENCH_HELPDESK,
  SMTP_URL: sink.url,
  SMTP_TLS: 'off',
  // The enumeration bench's known account takes hundreds of wrong passwords and must stay unlocked.
  LOCKOUT_THRESHOLD: '1000',
};

/** Waits until the server's email and notify queues have nothing waiting or running. */
async function queuesIdle(server: ServerUnderTest): Promise<void> {
  const { email, notify } = server.control.queues;
  for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const counts = await Promise.all([email, notify].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
  }
  throw new Error('the server still had queued email or notices after 120 s');
}

try {
  const sqlite = await startServer({ kind: 'sqlite', name: 'sqlite', env });
  try {
    console.log(`keydesk under measure: ${sqlite.runs}, SQLite; ${quick ? 'quick run (tiny samples)' : 'full run'}`);
    // Idle is the server at rest, not starting: V8 keeps the young generation it grew while
    // the modules loaded (and the old generation uncompacted) until its memory reducer runs,
    // some 15-20 s after start here. Both figures are shown; the ratio is the one at rest.
    await new Promise((r) => setTimeout(r, size.settleMs));
    const justStarted = sqlite.rssMb();
    if (wants('memory')) await new Promise((r) => setTimeout(r, size.idleMs - size.settleMs));
    report.info(`idle: ${justStarted.toFixed(0)} MiB resident ${size.settleMs / 1000} s after start${wants('memory') ? `, ${sqlite.rssMb().toFixed(0)} MiB after ${size.idleMs / 1000} s` : ''}`);
    if (wants('memory')) report.ratio('rss_idle_mb', sqlite.rssMb(), { atMost: 120 });

    const loginAccounts = wants('login') ? await benchLogins(report, sqlite, 'sqlite', { ms: size.loginMs }) : await seedAccounts(sqlite.control, 32, { prefix: 'login-sqlite' });
    // A cohort of people per ack burst (the warm-up and each round): every burst's commands are their first.
    const people = await seedAccounts(sqlite.control, size.burst * (size.rounds + 1), { prefix: 'ack', slack });
    if (wants('ack')) await benchAck(report, sqlite, slack, people, loginAccounts, { size: size.burst, rounds: size.rounds });
    report.info(`peak under the login and ack loads: ${sqlite.peakRssMb().toFixed(0)} MiB resident`);
    if (wants('memory')) report.ratio('rss_peak_mb', sqlite.peakRssMb(), { atMost: 250 });

    if (wants('enumeration')) await benchEnumeration(report, sqlite, { probes: size.probes });
    // Each of the timed bursts below starts on a server with nothing left to do from the last.
    await queuesIdle(sqlite);
    if (wants('email')) await benchEmail(report, sqlite, sink, people, { count: size.emails });
    await queuesIdle(sqlite);
    if (wants('approval')) {
      const [admin] = await seedAccounts(sqlite.control, 1, { prefix: 'boss', role: 'admin', slack });
      await benchApprovals(report, sqlite, slack, await seedAccounts(sqlite.control, size.approvals, { prefix: 'ask', slack }), admin!);
    }
    if (wants('unlock')) {
      await queuesIdle(sqlite);
      slack.clear();
      await benchUnlocks(report, sqlite, slack, sink, await seedAccounts(sqlite.control, size.unlocks, { prefix: 'lock', slack }), { leadMs: size.unlockLeadMs });
    }
  } finally {
    await sqlite.stop();
  }

  if (wants('login')) {
    const pg = await startServer({ kind: 'postgres', name: 'pg', env });
    try {
      await benchLogins(report, pg, 'postgres', { ms: size.loginMs });
    } finally {
      await pg.stop();
    }
  }
} finally {
  await sink.close();
  await slack.close();
}
console.log(report.summary());
