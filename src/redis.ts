// Redis connections, and the fallback that starts a local redis-server for `npm start`
// on a machine where none answers (the embedded default), as the README promises.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Cluster, Redis as SingleRedis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, type RedisNode } from './redis-url.js';

/**
 * What the app talks to: one server or a Redis Cluster (REDIS_URL=redis-cluster://…).
 * Both take the same commands; every key sits under the queue prefix's hash tag, so a
 * script or MULTI never spans two slots.
 */
export type Redis = SingleRedis | Cluster;

export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  // BullMQ workers need maxRetriesPerRequest: null; it also suits everything else here,
  // since a command waits for a reconnect instead of failing after 20 tries.
  const redisOptions: RedisOptions = { maxRetriesPerRequest: null, lazyConnect: false, ...options };
  const target = parseRedisUrl(url);
  if (target.kind === 'single') return new SingleRedis(url, redisOptions);
  return new Cluster(target.nodes, {
    lazyConnect: redisOptions.lazyConnect ?? false,
    redisOptions: {
      ...redisOptions,
      ...(target.username === undefined ? {} : { username: target.username }),
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}

/** The options a connection's commands run with (a Cluster keeps them per node). */
export function connectionOptions(redis: Redis): RedisOptions {
  return redis instanceof Cluster ? (redis.options.redisOptions ?? {}) : redis.options;
}

function nodeReachable({ host, port }: RedisNode, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host || '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * True when something accepts TCP connections at the URL's host and port; for a Cluster,
 * at any of its seed nodes (ioredis finds the rest from the one that answers).
 */
export async function isReachable(url: string, timeoutMs = 500): Promise<boolean> {
  const target = parseRedisUrl(url);
  const nodes = target.kind === 'single' ? [target.node] : target.nodes;
  const answers = await Promise.all(nodes.map((n) => nodeReachable(n, timeoutMs)));
  return answers.includes(true);
}

export type LocalRedisOutcome = 'reachable' | 'started' | 'missing-binary' | 'not-local';

/**
 * When nothing answers at a local REDIS_URL, start `redis-server` there (no persistence
 * beyond DATA_DIR, noeviction as BullMQ requires). Only for loopback URLs: a remote
 * Redis that is down is an operator's problem, not ours to paper over.
 */
export async function ensureLocalRedis(url: string, dataDir: string): Promise<LocalRedisOutcome> {
  if (await isReachable(url)) return 'reachable';
  const target = parseRedisUrl(url);
  // A Cluster is made by its operator (several servers and a slot map): never started here.
  if (target.kind === 'cluster') return 'not-local';
  const { host: hostname, port: portNumber } = target.node;
  const port = String(portNumber);
  if (!['127.0.0.1', 'localhost', '::1'].includes(hostname)) return 'not-local';
  const dir = path.resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const run = spawnSync(
    'redis-server',
    [
      '--port', port,
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
