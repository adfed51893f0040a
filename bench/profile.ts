// Where a login's time goes, for when `login_vs_argon2_*` misses:
//   npx tsx bench/profile.ts [--store sqlite|postgres] [--concurrency 2] [--seconds 10]
// Runs the app as the bench does (node dist/main.cjs in its own process) under `node
// --cpu-prof`, drives logins over HTTP at the given concurrency, stops the server (the
// profile is written on exit), then prints the functions with the most self time, the
// share of the main thread left idle (time argon2 spends in libuv's pool shows as idle
// here), and the login latency next to one raw argon2id verify's.
//   npx tsx bench/profile.ts --summary <file.cpuprofile> [--busiest <seconds>]
// prints the same table for any profile, e.g. one of `BENCH_CPU_PROF_DIR=dir npm run bench
// -- --only unlock` (every server of that run is profiled); `--busiest 3` keeps only the 3 s
// with the least idle time (the burst, without start-up and seeding). `--keep` keeps the
// profile of a login run and prints where it is.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import type { StoreKind } from '../src/store/db.js';
import { loginOnce } from './login.js';
import { median, throughput } from './report.js';
import { PASSWORD, seedAccounts } from './seed.js';
import { startServer } from './server.js';
import { cpuSeconds } from './cpu.js';

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const kind = flag('--store', 'sqlite') as StoreKind;
const concurrency = Number(flag('--concurrency', '2'));
const seconds = Number(flag('--seconds', '10'));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const summaryAt = process.argv.indexOf('--summary');
if (summaryAt >= 0) {
  const profile = JSON.parse(readFileSync(process.argv[summaryAt + 1]!, 'utf8')) as CpuProfile;
  const busiest = process.argv.includes('--busiest') ? Number(flag('--busiest', '3')) : null;
  summarise(profile, busiest === null ? { from: 0, to: Number.POSITIVE_INFINITY } : busiestWindow(profile, busiest * 1e6));
} else {
  await profileLogins();
}

async function profileLogins(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-prof-'));
  const server = await startServer({ kind, name: `prof-${kind}`, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  let perLogin: number[] = [];
  let rawMs = 0;
  // V8 stamps samples in microseconds of CLOCK_MONOTONIC, the clock hrtime reads too: the
  // window keeps start-up, seeding and shutdown out of the figures.
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const window = { from: 0, to: 0 };
  try {
    const accounts = await seedAccounts(server.control, 32, { prefix: 'prof' });
    const hash = (await server.control.db.selectFrom('accounts').select('password_hash').where('id', '=', accounts[0]!.id).executeTakeFirstOrThrow()).password_hash!;
    const rawStart = performance.now();
    for (let i = 0; i < 20; i++) await argon2.verify(hash, PASSWORD);
    rawMs = (performance.now() - rawStart) / 20;
    await throughput(1_000, concurrency, (i) => loginOnce(server.url, accounts[i % accounts.length]!));
    const cpuBefore = cpuSeconds(server.pid);
    window.from = monotonicUs();
    const rate = await throughput(seconds * 1000, concurrency, async (i) => {
      const t = performance.now();
      await loginOnce(server.url, accounts[i % accounts.length]!);
      perLogin.push(performance.now() - t);
    });
    window.to = monotonicUs();
    const cpuAfter = cpuSeconds(server.pid);
    const logins = perLogin.length;
    const per = (k: keyof typeof cpuBefore) => (((cpuAfter[k] - cpuBefore[k]) * 1000) / logins).toFixed(2);
    console.log(`CPU per login: server ${per('server')} ms (argon2 included), postgres ${per('postgres')} ms, redis ${per('redis')} ms, this process ${per('self')} ms`);
    console.log(`${rate.toFixed(1)} logins/s at concurrency ${concurrency} on ${kind}`);
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile was written in ${dir}`);
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  if (process.argv.includes('--keep')) console.log(`profile kept: ${path.join(dir, file)}`);
  else rmSync(dir, { recursive: true, force: true });
  summarise(profile, window);
  perLogin = perLogin.sort((a, b) => a - b);
  console.log(`login latency median ${median(perLogin).toFixed(1)} ms; one raw argon2id verify ${rawMs.toFixed(1)} ms`);
}

/** Each sample's time stamp (µs, the profile's clock). */
function sampleTimes(profile: CpuProfile): number[] {
  let at = profile.startTime;
  return profile.timeDeltas.map((dt) => (at += dt));
}

/** The `lengthUs` stretch of the profile with the least idle time. */
function busiestWindow(profile: CpuProfile, lengthUs: number): { from: number; to: number } {
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const times = sampleTimes(profile);
  let best = { busy: -1, from: 0 };
  let busy = 0;
  let start = 0;
  for (let i = 0; i < times.length; i++) {
    if (!idleIds.has(profile.samples[i]!)) busy += profile.timeDeltas[i] ?? 0;
    while (times[i]! - times[start]! > lengthUs) {
      if (!idleIds.has(profile.samples[start]!)) busy -= profile.timeDeltas[start] ?? 0;
      start++;
    }
    if (busy > best.busy) best = { busy, from: times[start]! };
  }
  return { from: best.from, to: best.from + lengthUs };
}

function packageOf(file: string, functionName: string): string {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.startsWith('node:') ? 'node' : file ? 'keydesk' : functionName);
}

/**
 * Self time on the main thread by package and by function, over the samples inside
 * `window`; then by owner: the nearest package up the stack that is not Node's own, so the
 * stream and socket work nodemailer or undici asked for counts as theirs.
 */
function summarise(profile: CpuProfile, window: { from: number; to: number }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const owners = new Map<string, number>();
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < window.from || at > window.to) return;
    total += dt;
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += dt;
    const file = url.replace(/^file:\/\//, '');
    const where = url ? `${path.relative(process.cwd(), file)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = packageOf(file, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    if (functionName === '(idle)') return;
    let owner = 'node (no package on the stack)';
    for (let up: number | undefined = id; up !== undefined; up = parentOf.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (frame.url && !frame.url.startsWith('node:')) {
        owner = packageOf(frame.url.replace(/^file:\/\//, ''), frame.functionName);
        break;
      }
    }
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
  });
  console.log(`main thread: ${((100 * idle) / total).toFixed(1)}% idle over ${(total / 1e6).toFixed(1)} s`);
  console.log('self time by package:');
  for (const [name, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
  console.log('most self time on the main thread:');
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
  console.log('busy time by owner (nearest package up the stack):');
  for (const [name, us] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
}
