import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { hasHashTag, parseRedisUrl, redactRedisUrl, redisUrlSchema } from '../../src/redis-url.js';

describe('parseRedisUrl', () => {
  it('keeps a single server URL as it is, for ioredis to read', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6380/2', node: { host: '127.0.0.1', port: 6380 } });
    expect(parseRedisUrl('rediss://:pw@cache.example.com')).toMatchObject({ kind: 'single', node: { host: 'cache.example.com', port: 6379 } });
  });

  it('reads several nodes of a Cluster', () => {
    expect(parseRedisUrl('redis-cluster://10.0.0.1:7000,10.0.0.2:7001,redis-3.internal:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'redis-3.internal', port: 7002 },
      ],
      tls: false,
    });
  });

  it('reads a user and a percent-encoded password, IPv6 nodes, TLS and a trailing slash', () => {
    expect(parseRedisUrl('rediss-cluster://app:p%40ss%3Aw@[::1]:7000,h2:7001/')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'h2', port: 7001 },
      ],
      username: 'app',
      password: 'p@ss:w',
      tls: true,
    });
    expect(parseRedisUrl('redis-cluster://:secret@h1:1')).toMatchObject({ password: 'secret', nodes: [{ host: 'h1', port: 1 }] });
    expect(parseRedisUrl('redis-cluster://:secret@h1:1')).not.toHaveProperty('username');
  });

  it.each([
    ['http://h1:1', 'the scheme must be redis://, rediss://, redis-cluster:// or rediss-cluster://'],
    ['h1:1,h2:2', 'the scheme must be redis://'],
    ['redis-cluster://', 'no node is given'],
    ['redis-cluster://h1:7000,h2', 'node 2 ("h2") needs host:port'],
    ['redis-cluster://h1:7000,,h2:1', 'node 2 ("") needs host:port'],
    ['redis-cluster://h1:0', 'node 1 ("h1:0") has no valid port'],
    ['redis-cluster://h1:99999', 'has no valid port'],
    ['redis-cluster://h_1:7000', 'node 1 ("h_1:7000") has no valid host'],
    ['redis-cluster://h1:7000/1', 'a Cluster URL takes no path, database or query'],
    ['redis-cluster://h1:7000?tls=true', 'takes no path, database or query'],
    ['redis-cluster://u:%zz@h1:7000', 'the password is not valid percent-encoding'],
    ['redis://[nope', 'the URL does not parse'],
  ])('refuses %s with a message that says why', (raw, message) => {
    expect(() => parseRedisUrl(raw)).toThrow(message);
    const parsed = redisUrlSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });
});

it('prints a URL without its user and password', () => {
  expect(redactRedisUrl('redis-cluster://app:s3cret@h1:7000,h2:7001')).toBe('redis-cluster://…@h1:7000,h2:7001');
  expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
});

describe('REDIS_URL in the config', () => {
  it('accepts a Cluster URL with the default, hash-tagged prefix', () => {
    const c = loadConfig({ REDIS_URL: 'redis-cluster://127.0.0.1:7000,127.0.0.1:7001' });
    expect(c.redisUrl).toBe('redis-cluster://127.0.0.1:7000,127.0.0.1:7001');
    expect(c.queuePrefix).toBe('{keydesk}');
  });

  it('names the part that is wrong, without the password', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://u:hunter2@h1:7000,h2' })).toThrow(
      'config: REDIS_URL must be a redis:// or rediss:// URL, or redis-cluster://host:port,host:port,… (rediss-cluster:// for TLS): node 2 ("h2") needs host:port (got "redis-cluster://…@h1:7000,h2")',
    );
  });

  it('refuses a prefix without a hash tag on a Cluster, where BullMQ needs one slot per queue', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://h1:7000', QUEUE_PREFIX: 'keydesk' })).toThrow('config: QUEUE_PREFIX must hold a hash tag');
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://h1:7000', QUEUE_PREFIX: '{}keydesk' })).toThrow('QUEUE_PREFIX');
    expect(loadConfig({ REDIS_URL: 'redis://h1:7000', QUEUE_PREFIX: 'keydesk' }).queuePrefix).toBe('keydesk');
  });

  it.each([
    ['{keydesk}', true],
    ['{kdtest-ab12}', true],
    ['x{a}', true],
    ['{}', false],
    ['{}{a}', false],
    ['keydesk', false],
    ['{keydesk', false],
  ])('hasHashTag(%s) is %s (Redis: the first "{" to the next "}")', (prefix, tagged) => {
    expect(hasHashTag(prefix)).toBe(tagged);
  });
});
