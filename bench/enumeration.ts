// Enumeration by timing, measured: POST /api/v1/login over HTTP against the real app at
// the production argon2 parameters (the Config defaults), 200 alternating probes per pair
// (a quick run: a few), one at a time. Prints the ratio of median latencies (goal 0.85..1.15):
//   unknown login            vs known login + wrong password
//   locked login (right pw)  vs known login + wrong password
// It goes through the HTTP API, so it measures whatever login() does today.
import { findAccountById } from '../src/store/accounts.js';
import type { Report } from './report.js';
import { PASSWORD, seedAccounts } from './seed.js';
import { postJson } from './http-client.js';
import type { ServerUnderTest } from './server.js';

const WARM_UP = 10;
const WRONG = 'copper lantern meadow 17 softly';

/** One login over HTTP; its latency in ms. Every probe here must be refused (401). */
async function probe(url: string, login: string, password: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await postJson(`${url}/api/v1/login`, { login, password });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 401) throw new Error(`bench probe for ${login} answered ${res.status}, not 401`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Probe = () => Promise<number>;

/** `probes` of each, alternating, with the pair's order swapped every round so drift hits both alike. */
async function alternate(a: Probe, b: Probe, probes: number): Promise<{ a: number; b: number }> {
  for (let i = 0; i < WARM_UP; i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < probes; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: median(as), b: median(bs) };
}

export async function benchEnumeration(report: Report, server: ServerUnderTest, opts: { probes: number }): Promise<void> {
  const { control } = server;
  const [known, lockedAccount] = await seedAccounts(control, 2, { prefix: 'enum' });
  const knownId = known!.id;
  const lockedId = lockedAccount!.id;
  // Locked in the store (the server's threshold is out of reach by guesses, see run.ts), for a
  // day, well past the bench; its expiry job is never queued.
  await control.db.updateTable('accounts').set({ locked_until: Date.now() + 86_400_000 }).where('id', '=', lockedId).execute();

  const knownProbe: Probe = () => probe(server.url, known!.email, WRONG);
  const unknown: Probe = () => probe(server.url, 'nobody-here@example.com', WRONG);
  // The locked account's right password: what an attacker who guessed it would see.
  const locked: Probe = () => probe(server.url, lockedAccount!.email, PASSWORD);

  const u = await alternate(unknown, knownProbe, opts.probes);
  const l = await alternate(locked, knownProbe, opts.probes);

  const knownAccount = await findAccountById(control.db, knownId);
  if (knownAccount?.locked_until !== null) throw new Error('the known account locked during the bench: the ratios are void');

  report.info(`login over HTTP, ${opts.probes} alternating probes each, median ms: unknown ${u.a.toFixed(1)}, known+wrong ${u.b.toFixed(1)}; locked ${l.a.toFixed(1)}, known+wrong ${l.b.toFixed(1)}`);
  report.ratio('enumeration_unknown_vs_known', u.a / u.b, { from: 0.85, to: 1.15 });
  report.ratio('enumeration_locked_vs_known', l.a / l.b, { from: 0.85, to: 1.15 });
}
