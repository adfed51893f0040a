// Logins over HTTP against raw argon2id, same parameters, same concurrency, same run:
// how much of the hashing budget a login keeps for itself once HTTP, the store, the lockout
// and the session are around it. Each concurrency is measured raw, then over HTTP, then
// raw again, and the HTTP figure is set against the mean of the two raw ones, so a machine
// that slows down mid-run (the other core busy) hits both sides alike.
import argon2 from 'argon2';
import { loadConfig } from '../src/config.js';
import type { StoreKind } from '../src/store/db.js';
import { cpuSeconds } from './cpu.js';
import { postJson } from './http-client.js';
import { throughput, type Report } from './report.js';
import { PASSWORD, seedAccounts, type BenchAccount } from './seed.js';
import type { ServerUnderTest } from './server.js';

export const LOGIN_CONCURRENCIES = [2, 8, 32] as const;

/** One login that must succeed (200); anything else voids the figure. */
export async function loginOnce(url: string, account: BenchAccount): Promise<void> {
  const res = await postJson(`${url}/api/v1/login`, { login: account.email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`bench login answered ${res.status}`);
}

/** Background load for other benches: `parallel` loops of logins until stop() is called. */
export function loginLoad(url: string, accounts: BenchAccount[], parallel: number): { stop(): Promise<number> } {
  let running = true;
  let done = 0;
  const loops = Array.from({ length: parallel }, async (_, j) => {
    for (let i = j; running; i += parallel) {
      await loginOnce(url, accounts[i % accounts.length]!);
      done += 1;
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return done;
    },
  };
}

export async function benchLogins(report: Report, server: ServerUnderTest, kind: StoreKind, opts: { ms: number }): Promise<BenchAccount[]> {
  const accounts = await seedAccounts(server.control, 32, { prefix: `login-${kind}` });
  const { argon2: params } = loadConfig({});
  const hash = (await server.control.db.selectFrom('accounts').select('password_hash').where('id', '=', accounts[0]!.id).executeTakeFirstOrThrow()).password_hash!;
  let verifies = 0;
  let logins = 0;
  const rawVerify = async () => {
    if (!(await argon2.verify(hash, PASSWORD))) throw new Error('raw verify failed');
    verifies += 1;
  };
  const login = async (i: number) => {
    await loginOnce(server.url, accounts[i % accounts.length]!);
    logins += 1;
  };
  // Warm both paths (JIT, pools, the store's caches).
  await throughput(Math.min(500, opts.ms), 2, rawVerify);
  await throughput(Math.min(500, opts.ms), 2, login);
  for (const c of LOGIN_CONCURRENCIES) {
    const rawCpu = cpuSeconds(server.pid).self;
    verifies = 0;
    const rawBefore = await throughput(opts.ms, c, rawVerify);
    const perVerify = ((cpuSeconds(server.pid).self - rawCpu) * 1000) / verifies;
    const before = cpuSeconds(server.pid);
    logins = 0;
    const http = await throughput(opts.ms, c, login);
    const after = cpuSeconds(server.pid);
    const rawAfter = await throughput(opts.ms, c, rawVerify);
    const raw = (rawBefore + rawAfter) / 2;
    report.info(`logins at concurrency ${c} on ${kind}: ${http.toFixed(1)}/s over HTTP, ${raw.toFixed(1)}/s raw argon2id verify (m=${params.memoryKiB} KiB t=${params.timeCost} p=${params.parallelism})`);
    // Where a login's CPU went, all on the same cores: what the server spends around its
    // verify, and what the load generator, Redis and PostgreSQL take that the raw side
    // never pays. "If the server only hashed" is the ratio left once those are paid, with
    // the cores full.
    const per = (k: keyof typeof after) => ((after[k] - before[k]) * 1000) / logins;
    const others = per('self') + per('redis') + per('postgres');
    report.info(
      `  CPU per login: server ${per('server').toFixed(1)} ms (a raw verify ${perVerify.toFixed(1)} ms), load generator ${per('self').toFixed(1)}, Redis ${per('redis').toFixed(1)}, PostgreSQL ${per('postgres').toFixed(1)}; if the server only hashed: ${(perVerify / (perVerify + others)).toFixed(2)}`,
    );
    report.ratio(`login_vs_argon2_c${c}_${kind === 'postgres' ? 'pg' : 'sqlite'}`, http / raw, { atLeast: 0.9 });
  }
  return accounts;
}
