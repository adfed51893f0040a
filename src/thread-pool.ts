// The size dist/main.cjs gives libuv's thread pool before the server's modules load (the
// pool starts on its first use, and Node's ES module loader is one: an ESM entry is too
// late to set it, hence a CommonJS launcher). argon2id runs in that pool, HASH_CONCURRENCY
// at a time, and glibc gives each pool thread its own malloc arena, which keeps the ~19 MiB
// a hash used after it is freed: with libuv's default of 4 threads and 2 hashes at a time,
// the hashes rotate over all 4 and the process holds 4 such blocks instead of 2. Measured
// (bench, 2 cores): peak RSS 280 → 247 MiB, and logins at concurrency 8 and 32 from
// 0.84–0.87 to 0.95–0.97 of raw argon2id, as two hashes no longer share a core with a
// third. What else uses the pool (dns.lookup of the SMTP and Slack hosts, zlib) waits
// behind at most HASH_CONCURRENCY hashes. An operator's own UV_THREADPOOL_SIZE wins.
// No imports: the launcher stays a few lines of CommonJS (a unit test holds it to config.ts).

/** HASH_CONCURRENCY as config.ts reads it (an integer 1–64, default 2); its default when invalid, since config.ts then refuses to start anyway. */
export function threadPoolSize(env: Record<string, string | undefined>): number {
  const raw = env.HASH_CONCURRENCY?.trim();
  if (!raw) return 2;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 2;
}

export function sizeThreadPool(env: Record<string, string | undefined> = process.env): void {
  if (env.UV_THREADPOOL_SIZE === undefined || env.UV_THREADPOOL_SIZE === '') env.UV_THREADPOOL_SIZE = String(threadPoolSize(env));
}
