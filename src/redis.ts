// Redis connections, and the fallback that starts a local redis-server for `npm start`
// on a machine where none answers (the embedded default), as the README promises.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  // BullMQ workers need maxRetriesPerRequest: null; it also suits everything else here,
  // since a command waits for a reconnect instead of failing after 20 tries.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
}

/** True when something accepts TCP connections at the URL's host and port. */
export function isReachable(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export type LocalRedisOutcome = 'reachable' | 'started' | 'missing-binary' | 'not-local';

/**
 * When nothing answers at a local REDIS_URL, start `redis-server` there (no persistence
 * beyond DATA_DIR, noeviction as BullMQ requires). Only for loopback URLs: a remote
 * Redis that is down is an operator's problem, not ours to paper over.
 */
export async function ensureLocalRedis(url: string, dataDir: string): Promise<LocalRedisOutcome> {
  if (await isReachable(url)) return 'reachable';
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return 'not-local';
  const dir = path.resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const run = spawnSync(
    'redis-server',
    [
      '--port', port || '6379',
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--save', '',
      '--appendonly', 'yes',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'yes',
      '--pidfile', path.join(dir, 'redis.pid'),
      '--logfile', path.join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  if (run.error) return 'missing-binary';
  for (let i = 0; i < 50; i++) {
    if (await isReachable(url, 200)) return 'started';
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'missing-binary';
}
