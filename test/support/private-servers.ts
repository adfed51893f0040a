// Servers a fault test owns alone, so it may stop and restart them under the app: a
// redis-server with AOF (appendfsync always) and a PostgreSQL cluster made with initdb,
// each on a free port in its own temp folder. Never the suite's shared Redis or PostgreSQL.
// stop() + start() restart on the same port and data; destroy() kills and removes all.
// Also a private 3-master Redis Cluster, for the tests that run on one.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isReachable } from '../../src/redis.js';
import { freePort } from './free-port.js';
import { pgBinDir } from './services.js';
import { waitFor } from './wait.js';

export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the server (its data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Kills it with SIGKILL, as a crash would (Redis only; what was fsynced stays). */
  crash?(): Promise<void>;
  /** Stops it if running and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const pidfile = path.join(dir, 'redis.pid');
  const start = async (): Promise<void> => {
    execFileSync('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--maxmemory-policy', 'noeviction', '--daemonize', 'yes', '--pidfile', pidfile,
      '--logfile', path.join(dir, 'redis.log'),
    ]);
    await waitFor(() => isReachable(url, 200), 10_000);
    // Loading the AOF: PING answers LOADING until the data is back.
    await waitFor(() => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG', 10_000);
  };
  const stop = async (): Promise<void> => {
    // SHUTDOWN (not NOSAVE: nothing to save with --save '', and the AOF is fsynced on every write).
    spawnSync('redis-cli', ['-p', String(port), 'shutdown'], { timeout: 5_000 });
    await waitFor(async () => !(await isReachable(url, 200)), 10_000);
  };
  const crash = async (): Promise<void> => {
    killPidFile(pidfile);
    await waitFor(async () => !(await isReachable(url, 200)), 10_000);
  };
  await start();
  let destroyed = false;
  return {
    url, port, dir, stop, start, crash,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (await isReachable(url, 200)) {
        spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { timeout: 5_000 });
        // Only a server that still answers is killed by pid (a stale pid file names nobody of ours).
        if (await isReachable(url, 200)) killPidFile(pidfile);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startPrivatePostgres(): Promise<PrivateServer> {
  const bin = pgBinDir();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-fault-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: its tools run as postgres, in a folder it owns.
  const run = async (cmd: string, args: string[]): Promise<void> => {
    const exe = path.join(bin, cmd);
    if (asRoot) await execFileAsync('runuser', ['-u', 'postgres', '--', exe, ...args]);
    else await execFileAsync(exe, args);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  await run('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const start = async (): Promise<void> => {
    await run('pg_ctl', [
      '-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ]);
  };
  const running = () => existsSync(path.join(data, 'postmaster.pid'));
  const stop = async (): Promise<void> => {
    await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  };
  await start();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port, dir, stop, start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        if (running()) await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        killPidFile(path.join(data, 'postmaster.pid'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const execFileAsync = promisify(execFile);

/** Kills the process a pid file names (the first line), if it still runs. */
function killPidFile(file: string): void {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export interface PrivateCluster {
  /** redis-cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 */
  readonly url: string;
  readonly ports: readonly number[];
  /** Kills the three servers and removes their folder; safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * A Redis Cluster of three masters (no replicas) on free ports, made with
 * `redis-cli --cluster create`, without persistence: for tests that run the queues, rate
 * limits and de-duplication on a Cluster. About a second to start.
 */
export async function startPrivateCluster(options: { password?: string } = {}): Promise<PrivateCluster> {
  const auth = options.password === undefined ? [] : ['-a', options.password, '--no-auth-warning'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-cluster-'));
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = await freeClusterPort();
    if (!ports.includes(port)) ports.push(port);
  }
  const pidfile = (port: number) => path.join(dir, `redis-${port}.pid`);
  const destroy = async (): Promise<void> => {
    for (const port of ports) killPidFile(pidfile(port));
    // SIGKILLed servers free their ports at once; wait, so the next test may reuse them.
    for (const port of ports) await waitFor(async () => !(await isReachable(`redis://127.0.0.1:${port}`, 200)), 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      execFileSync('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000',
        '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
        '--daemonize', 'yes', '--pidfile', pidfile(port), '--logfile', path.join(dir, `redis-${port}.log`),
        ...(options.password === undefined ? [] : ['--requirepass', options.password, '--masterauth', options.password]),
      ]);
    }
    for (const port of ports) await waitFor(() => isReachable(`redis://127.0.0.1:${port}`, 200), 10_000);
    await execFileAsync('redis-cli', [...auth, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 });
    // `create` returns once the slots are assigned; each node says ok once it has heard of all.
    await waitFor(
      () => ports.every((p) => spawnSync('redis-cli', [...auth, '-p', String(p), 'cluster', 'info']).stdout?.toString().includes('cluster_state:ok')),
      20_000,
    );
  } catch (err) {
    await destroy();
    throw err;
  }
  let destroyed = false;
  return {
    url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await destroy();
    },
  };
}

/** A port free for a Cluster node: it also listens on port + 10000 (the cluster bus). */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await canListen(port)) && (await canListen(port + 10_000))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
