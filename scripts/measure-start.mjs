// Cold start and idle memory of a way of starting keydesk, measured from outside:
//   node scripts/measure-start.mjs [--runs 3] [--settle 5] -- <command…>
// Each run gets a fresh DATA_DIR (SQLite default store) and a private redis-server, spawns
// the command, times spawn → first `GET /healthz` 200, waits `--settle` seconds, then reads
// VmRSS of the process listening on the port and the sum over its process tree (npm and
// tsx put parents in front of it). Prints each run and the medians. Plain node on purpose:
// it measures the ways of starting, so it must not itself need one of them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash < 0 || dash === args.length - 1) {
  process.stderr.write('usage: node scripts/measure-start.mjs [--runs N] [--settle S] -- <command…>\n');
  process.exit(2);
}
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i < dash ? Number(args[i + 1]) : fallback;
};
const runs = option('--runs', 3);
const settleMs = option('--settle', 5) * 1000;
const command = args.slice(dash + 1);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssKiB(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid) {
  const kids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised name, which may hold spaces) is the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return kids;
}

function tree(pid) {
  return [pid, ...childrenOf(pid).flatMap(tree)];
}

function socketInodes(pid) {
  const out = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const r = spawnSync('readlink', [`/proc/${pid}/fd/${fd}`], { encoding: 'utf8' });
    const m = /^socket:\[(\d+)\]/.exec(r.stdout.trim());
    if (m) out.push(m[1]);
  }
  return out;
}

async function healthy(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return res.status === 200;
  } catch {
    return false;
  }
}

async function once() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-measure-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  const pidfile = path.join(dir, 'redis.pid');
  spawnSync('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--daemonize', 'yes', '--pidfile', pidfile], { stdio: 'ignore' });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: path.join(dir, 'data'), REDIS_URL: `redis://127.0.0.1:${redisPort}`, LOG_LEVEL: 'warn' };
  const t0 = process.hrtime.bigint();
  const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
      if (await healthy(port)) break;
      await sleep(10);
    }
    const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
    await sleep(settleMs);
    const pids = tree(child.pid);
    const server = pids.find((pid) => socketInodes(pid).length > 0 && listensOn(pid, port)) ?? child.pid;
    const serverMiB = rssKiB(server) / 1024;
    const treeMiB = pids.reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024;
    return { startMs, serverMiB, treeMiB, processes: pids.length };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    try {
      process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGTERM');
    } catch {
      // Redis did not start or already stopped.
    }
    await sleep(100);
    rmSync(dir, { recursive: true, force: true });
  }
}

function listensOn(pid, port) {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const mine = new Set(socketInodes(pid));
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex) && cols[3] === '0A' && mine.has(cols[9])) return true;
    }
  }
  return false;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (let i = 0; i < runs; i++) {
  const r = await once();
  results.push(r);
  console.log(`run ${i + 1}: start ${r.startMs.toFixed(0)} ms, server RSS ${r.serverMiB.toFixed(1)} MiB, tree RSS ${r.treeMiB.toFixed(1)} MiB (${r.processes} processes)`);
}
console.log(`median of ${runs}: start ${median(results.map((r) => r.startMs)).toFixed(0)} ms, server RSS ${median(results.map((r) => r.serverMiB)).toFixed(1)} MiB, tree RSS ${median(results.map((r) => r.treeMiB)).toFixed(1)} MiB — ${command.join(' ')}`);
