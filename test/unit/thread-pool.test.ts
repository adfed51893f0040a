// dist/main.cjs reads HASH_CONCURRENCY before config.ts can (thread-pool.ts has no imports,
// so the launcher stays a few lines): both must read it alike.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sizeThreadPool, threadPoolSize } from '../../src/thread-pool.js';

describe('threadPoolSize', () => {
  it.each(['', ' ', '1', '2', '3', ' 8 ', '64', '0x10'])('reads HASH_CONCURRENCY=%j as config.ts does', (value) => {
    expect(threadPoolSize({ HASH_CONCURRENCY: value })).toBe(loadConfig({ NODE_ENV: 'test', HASH_CONCURRENCY: value }).argon2.concurrency);
  });

  it.each(['0', '65', '2.5', 'two', '-1'])('falls back to 2 for %j, which config.ts refuses', (value) => {
    expect(() => loadConfig({ NODE_ENV: 'test', HASH_CONCURRENCY: value })).toThrow(/HASH_CONCURRENCY/);
    expect(threadPoolSize({ HASH_CONCURRENCY: value })).toBe(2);
  });

  it('is 2 when unset, and UV_THREADPOOL_SIZE set by the operator is kept', () => {
    expect(threadPoolSize({})).toBe(2);
    const env: Record<string, string> = { HASH_CONCURRENCY: '4' };
    sizeThreadPool(env);
    expect(env.UV_THREADPOOL_SIZE).toBe('4');
    const own: Record<string, string> = { HASH_CONCURRENCY: '4', UV_THREADPOOL_SIZE: '16' };
    sizeThreadPool(own);
    expect(own.UV_THREADPOOL_SIZE).toBe('16');
  });
});
