// Benchmarks that print ratios measured in one run (`npm run bench`):
// 1. argon2id at the production parameters: ms per hash and per verify, and the
//    throughput gain of the bounded concurrency (2) over one at a time.
// 2. whoami (HMAC access key) against login (argon2id password) on the same store:
//    why access keys need no argon2 — the ratio shows how much faster a key check is.
// 3. enumeration by timing (bench/enumeration.ts): login over HTTP for an unknown and a
//    locked login against a known one with a wrong password, as ratios of medians.
// Needs Redis (REDIS_URL or 127.0.0.1:6379); uses an embedded SQLite store in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { issueAccessKey, revealAccessKey, verifyAccessKey } from '../src/core/access-keys.js';
import { activateAccount, createAccount } from '../src/core/accounts.js';
import { actorFromAccount } from '../src/core/authority.js';
import { CLI_ACTOR, webActor } from '../src/core/deps.js';
import { Hasher } from '../src/core/hashing.js';
import { findAccountById } from '../src/store/accounts.js';
import { login } from '../src/core/login.js';
import { issueToken } from '../src/core/tokens.js';
import { createLogger } from '../src/logger.js';
import { benchEnumeration } from './enumeration.js';
import { deleteKeysWithPrefix } from '../test/support/redis-keys.js';

const OWASP = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

async function timed(n: number, fn: (i: number) => Promise<unknown>, parallel = 1): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function benchArgon2(): Promise<void> {
  const one = new Hasher({ ...OWASP, concurrency: 1 });
  const two = new Hasher({ ...OWASP, concurrency: 2 });
  await one.hash('warm-up password value');
  const n = 40;
  const serialMs = await timed(n, (i) => one.hash(`password number ${i}`));
  const hash = await one.hash('correct horse battery staple');
  const verifyMs = await timed(n, () => one.verify(hash, 'correct horse battery staple'));
  const boundedMs = await timed(n, (i) => two.hash(`password number ${i}`), 8);
  console.log(`argon2id m=19456 KiB t=2 p=1: ${(serialMs / n).toFixed(1)} ms/hash, ${(verifyMs / n).toFixed(1)} ms/verify (serial, ${n} each)`);
  console.log(`  throughput: ${((n / serialMs) * 1000).toFixed(1)} hashes/s at concurrency 1, ${((n / boundedMs) * 1000).toFixed(1)} at 2 (8 callers queued)`);
  console.log(`  ratio concurrency-2 / concurrency-1 throughput: ${(serialMs / boundedMs).toFixed(2)}x`);
}

async function benchKeyVsPassword(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: `{kdbench-${process.pid}}`, LOG_LEVEL: 'silent' });
  const app = await startApp({ config, logger: createLogger('silent'), http: false, workers: false });
  try {
    const { deps } = app;
    const created = await createAccount(deps, CLI_ACTOR, { email: 'bench@example.com', displayName: 'Bench Mark' });
    if (!created.ok) throw new Error(created.code);
    const token = await issueToken(deps, created.account.id, 'activation');
    // Not "bench": a password holding the account's name is refused, and the login timed
    // below would then run against an account that was never activated.
    const password = 'violet tandem harbour 42 quietly';
    const activated = await activateAccount(deps, webActor(null), token.secret, { password, pin: '4825', securityQuestion: 'Bench?', securityAnswer: 'bench answer' });
    if (!activated.ok) throw new Error(activated.code);
    const issued = await issueAccessKey(deps, CLI_ACTOR, created.account.id);
    if (!issued.ok) throw new Error(issued.code);
    const owner = (await findAccountById(deps.db, created.account.id))!;
    const revealed = await revealAccessKey(deps, actorFromAccount(owner), issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);

    const n = 40;
    const loginMs = await timed(n, () => login(deps, webActor('127.0.0.1'), { login: 'bench@example.com', password }));
    const keyN = 2000;
    const keyMs = await timed(keyN, () => verifyAccessKey(deps, revealed.accessKey));
    const perLogin = loginMs / n;
    const perKey = keyMs / keyN;
    console.log(`login (argon2id verify + store): ${perLogin.toFixed(2)} ms; whoami key check (HMAC + store): ${perKey.toFixed(3)} ms`);
    console.log(`  ratio login / key check: ${(perLogin / perKey).toFixed(0)}x`);
  } finally {
    await app.close();
    await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await benchArgon2();
await benchKeyVsPassword();
await benchEnumeration();
