import { hash as argon2Hash, argon2id } from 'argon2';
import { describe, expect, it, vi } from 'vitest';
import { Hasher, normalizeAnswer, type HashParams } from '../../src/core/hashing.js';

// Pass-through wrapper around argon2 that counts how many hashes run at once.
const probe = vi.hoisted(() => ({ running: 0, max: 0, calls: 0 }));
vi.mock('argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('argon2')>();
  const hash = (async (plain: string, options: Parameters<typeof real.hash>[1]) => {
    probe.running++;
    probe.calls++;
    probe.max = Math.max(probe.max, probe.running);
    try {
      return await real.hash(plain, options);
    } finally {
      probe.running--;
    }
  }) as typeof real.hash;
  return { ...real, default: { ...real, hash }, hash };
});

const cheap: HashParams = { memoryKiB: 1024, timeCost: 1, parallelism: 1, concurrency: 2 };
const production: HashParams = { memoryKiB: 19_456, timeCost: 2, parallelism: 1, concurrency: 2 };

describe('Hasher', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = new Hasher(cheap);
    const encoded = await h.hash('purple tugboat');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await h.verify(encoded, 'purple tugboat')).toBe(true);
    expect(await h.verify(encoded, 'purple tugboaT')).toBe(false);
    expect(await h.hash('purple tugboat')).not.toBe(encoded); // salted
  });

  it('uses the production parameters (and reports their cost)', async () => {
    const h = new Hasher(production);
    const started = performance.now();
    const encoded = await h.hash('purple tugboat');
    const ms = performance.now() - started;
    expect(encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(h.needsRehash(encoded)).toBe(false);
    console.info(`argon2id m=19456 t=2 p=1: ${ms.toFixed(1)} ms a hash`);
  });

  it('never throws on a malformed hash', async () => {
    const h = new Hasher(cheap);
    for (const garbage of [
      '',
      'garbage',
      '$argon2id$v=19$m=1024,t=1,p=1$zzz',
      '$argon2id$v=19$m=1024,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
      '$2b$10$abcdefghijklmnopqrstuu5Ry0i9b0f7eIuJYz2n5m5bK6p7s1q2W',
    ]) {
      await expect(h.verify(garbage, 'x')).resolves.toBe(false);
    }
  });

  it('asks for a rehash when a stored hash is weaker than the configured parameters', async () => {
    const old = await argon2Hash('x', { type: argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
    expect(new Hasher(cheap).needsRehash(old)).toBe(false);
    expect(new Hasher({ ...cheap, memoryKiB: 2048 }).needsRehash(old)).toBe(true);
    expect(new Hasher({ ...cheap, timeCost: 2 }).needsRehash(old)).toBe(true);
    expect(new Hasher({ ...cheap, parallelism: 2 }).needsRehash(old)).toBe(true);
    expect(new Hasher(production).needsRehash(old)).toBe(true);
    // a stronger hash is left alone
    const strong = await argon2Hash('x', { type: argon2id, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    expect(new Hasher(cheap).needsRehash(strong)).toBe(false);
    expect(new Hasher(cheap).needsRehash('garbage')).toBe(true);
  });

  it('runs at most `concurrency` hashes at once; a burst queues', async () => {
    const h = new Hasher(cheap);
    probe.max = 0;
    const burst = Array.from({ length: 6 }, (_, i) => h.hash(`password ${i}`));
    await Promise.resolve();
    expect(h.running).toBe(2);
    expect(h.pending).toBe(4);
    const hashes = await Promise.all(burst);
    expect(new Set(hashes).size).toBe(6);
    expect(probe.max).toBe(2);
    expect(h.pending).toBe(0);
    expect(h.running).toBe(0);
  });

  it('verifyDummy costs a verify and says no', async () => {
    const h = new Hasher(cheap);
    probe.calls = 0;
    await expect(h.verifyDummy('anything')).resolves.toBe(false);
    await expect(Promise.all([h.verifyDummy('a'), h.verifyDummy('b'), h.verifyDummy('c')])).resolves.toEqual([
      false,
      false,
      false,
    ]);
    expect(probe.calls).toBe(1); // the dummy hash is made once, at the current parameters
  });
});

describe('normalizeAnswer', () => {
  it('folds accents, case, spaces and end punctuation', () => {
    expect(normalizeAnswer('  Café   de\tFlore! ')).toBe('cafe de flore');
    expect(normalizeAnswer('CAFE DE FLORE')).toBe('cafe de flore');
    expect(normalizeAnswer('«Ça va?»')).toBe('ca va');
    expect(normalizeAnswer('Saint-Étienne')).toBe('saint-etienne');
    expect(normalizeAnswer('Ｒｅｘ\u00a0ﬁdo.')).toBe('rex fido');
    expect(normalizeAnswer('...')).toBe('');
  });
});
