// REDIS_URL=redis-cluster://… end to end: the reachability check asks every seed node,
// `npm start`'s local fallback never starts a Cluster, and connectRedis gives a Cluster
// client whose commands (and the worker connection check) behave as on one server.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertWorkerConnection } from '../../jobs/connection.js';
import { connectRedis, ensureLocalRedis, isReachable } from '../../src/redis.js';
import { freePort } from '../support/free-port.js';
import { startPrivateCluster, type PrivateCluster } from '../support/private-servers.js';

describe('a redis-cluster:// REDIS_URL', () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    const started = Date.now();
    cluster = await startPrivateCluster();
    console.log(`3-master Cluster up in ${Date.now() - started} ms`);
  }, 30_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('is reachable when any seed node answers, and not when none does', async () => {
    const dead = await freePort();
    const [first] = cluster.ports;
    expect(await isReachable(`redis-cluster://127.0.0.1:${dead},127.0.0.1:${first}`)).toBe(true);
    expect(await isReachable(`redis-cluster://127.0.0.1:${dead}`)).toBe(false);
    // The suite's single server, named as a one-node Cluster seed, still accepts TCP.
    const single = new URL(inject('redisUrl'));
    expect(await isReachable(`redis-cluster://127.0.0.1:${single.port || 6379}`)).toBe(true);
  });

  it('is never started locally: a Cluster that does not answer is "not-local"', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-cluster-fallback-'));
    try {
      expect(await ensureLocalRedis(`redis-cluster://127.0.0.1:${await freePort()}`, dir)).toBe('not-local');
      expect(readdirSync(dir)).toEqual([]);
      expect(await ensureLocalRedis(cluster.url, dir)).toBe('reachable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects a Cluster client fit for workers, with a password-less URL and a trailing slash', async () => {
    const redis = connectRedis(`${cluster.url}/`, { connectionName: 'keydesk-test' });
    try {
      expect(redis).toBeInstanceOf(Cluster);
      expect(() => assertWorkerConnection(redis)).not.toThrow();
      await redis.set('{kdtest-connect}:a', '1', 'EX', 60);
      expect(await redis.get('{kdtest-connect}:a')).toBe('1');
      expect((redis as Cluster).nodes('master')).toHaveLength(3);
    } finally {
      redis.disconnect();
    }
  });

  it('logs in to every node with the URL\'s percent-encoded password', async () => {
    const locked = await startPrivateCluster({ password: 'p@ss:word' });
    const withPassword = connectRedis(locked.url.replace('//', '//:p%40ss%3Aword@'));
    try {
      await withPassword.set('{kdtest-auth}:a', '1', 'EX', 60);
      expect(await withPassword.get('{kdtest-auth}:a')).toBe('1');
    } finally {
      withPassword.disconnect();
      await locked.destroy();
    }
  }, 30_000);

  it('refuses a worker connection that may give up on a command', () => {
    const redis = connectRedis(cluster.url, { maxRetriesPerRequest: 3, lazyConnect: true });
    try {
      expect(() => assertWorkerConnection(redis)).toThrow(/maxRetriesPerRequest: null/);
    } finally {
      redis.disconnect();
    }
  });
});
