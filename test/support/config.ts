// A Config for tests: cheap argon2 (NODE_ENV=test allows it), a fixed secrets key,
// the suite's Redis and the given store.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';

export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: inject('redisUrl'),
    SECRETS_KEY: TEST_SECRETS_KEY,
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // Each test gets its own queue namespace on the shared Redis.
    QUEUE_PREFIX: `{kdtest-${randomBytes(4).toString('hex')}}`,
    ...env,
  });
}
