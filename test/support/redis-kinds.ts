// The two kinds of Redis a test may run on: the suite's single server, or a private
// 3-master Redis Cluster (redis-cluster://…) that this test file starts on first use and
// stops after its last test. Tests parametrise over REDIS_KINDS the way they do over
// STORE_KINDS, and pass `REDIS_URL: redisUrlOf(kind)` to testConfig / startTestApp.
import { afterAll, beforeAll, inject } from 'vitest';
import { startPrivateCluster, type PrivateCluster } from './private-servers.js';

export const REDIS_KINDS = ['single', 'cluster'] as const;
export type RedisKind = (typeof REDIS_KINDS)[number];

let cluster: PrivateCluster | undefined;
let starting: Promise<PrivateCluster> | undefined;

// Registered when a test file imports this module: the file's Cluster, if one was
// started, stops after the file's last test (every file has its own, vitest isolates them).
afterAll(async () => {
  const started = starting;
  starting = undefined;
  cluster = undefined;
  await (await started?.catch(() => undefined))?.destroy();
});

/**
 * Call inside a describe: for 'cluster', starts the file's Cluster before the describe's
 * tests (about 2 s, once per file). Returns the URL getter.
 */
export function useRedis(kind: RedisKind): () => string {
  if (kind === 'single') return () => inject('redisUrl');
  beforeAll(async () => {
    starting ??= startPrivateCluster();
    cluster = await starting;
  }, 30_000);
  return () => {
    if (!cluster) throw new Error('the Cluster is not started yet: ask for its URL in a hook or a test');
    return cluster.url;
  };
}
