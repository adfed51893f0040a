// Opens the store: PostgreSQL when DATABASE_URL is set, else SQLite (WAL) under DATA_DIR.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './schema.js';

// Each store's driver is loaded only when that store is opened: a process runs one of them,
// and pg costs the SQLite server 2.7 MB of heap (better-sqlite3 and its addon ~1 MB the other
// way round). Both are CommonJS, so a synchronous require keeps openStore synchronous.
const requireDriver = createRequire(import.meta.url);

export type Store = Kysely<Database>;
export type StoreKind = 'postgres' | 'sqlite';

export interface StoreOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /**
   * Told when an idle pooled PostgreSQL connection breaks (the server restarted or went
   * away). Without a listener pg's Pool would crash the process on that 'error' event; the
   * pool drops the client and connects afresh on the next query either way.
   */
  onIdleError?: (err: Error) => void;
}

// int8 (bigint) comes back from pg as a string; every bigint we store is an ms-epoch time
// or a small counter, well inside 2^53, so a number is exact and matches SQLite.
const INT8_OID = 20;

/**
 * SQLite transactions start with BEGIN IMMEDIATE: a deferred BEGIN that reads and then
 * writes fails at once with SQLITE_BUSY when another process (the CLI beside `npm start`)
 * wrote in between, whatever the busy timeout; taking the write lock first makes it wait.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

export function openStore(options: StoreOptions): { db: Store; kind: StoreKind } {
  if (options.databaseUrl) {
    const pg = requireDriver('pg') as typeof import('pg');
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
          oid === INT8_OID ? Number : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
      },
      // A server that is down refuses at once; one that hangs must not hold a request forever.
      connectionTimeoutMillis: 5_000,
    });
    pool.on('error', (err) => options.onIdleError?.(err));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const Sqlite = requireDriver('better-sqlite3') as typeof SQLite;
  const file = new Sqlite(path.join(options.dataDir, 'keydesk.sqlite'));
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('foreign_keys = ON');
  file.pragma('synchronous = NORMAL');
  return { db: new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(file) }) }), kind: 'sqlite' };
}

/** How many prepared statements a SQLite store keeps (each a few KiB in SQLite's heap). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The file with its prepared statements kept, least recently used out first. Kysely's
 * SQLite driver prepares every query anew, and preparing (parsing and planning the SQL)
 * cost about as much as running it: 8% of the server's CPU while a thousand locks ended
 * (bench/unlock.ts, profiled). Reusing a statement is safe here: the driver runs one query
 * at a time on its single connection, and a statement holds no state between runs.
 * A statement with a literal inlined is its own SQL each time and simply ages out.
 */
export function withStatementCache(file: SQLite.Database, size = STATEMENT_CACHE_SIZE): Pick<SQLite.Database, 'prepare' | 'close'> {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string) {
      let statement = kept.get(source);
      if (statement) {
        kept.delete(source); // to the back of the line
      } else {
        statement = file.prepare(source);
        if (kept.size >= size) kept.delete(kept.keys().next().value!);
      }
      kept.set(source, statement);
      return statement;
    },
    close() {
      kept.clear();
      file.close();
    },
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}

/**
 * A number bound as a parameter with its type said: PostgreSQL cannot type a bare parameter
 * inside CASE or in a select list. Bound, not inlined, so the SQL stays the same from one
 * call to the next (SQLite prepares it once, see withStatementCache).
 */
export const bigintParam = (n: number) => sql<number>`cast(${Math.trunc(n)} as bigint)`;

/** True on PostgreSQL (where a statement may do what SQLite needs a transaction for). */
export function isPostgres(db: Store): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A cheap round trip, for /healthz. */
export async function pingStore(db: Store): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Node's codes for a server that isn't there or hung up. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether an error says the store is out of reach (PostgreSQL down, restarting, refusing
 * connections) rather than that a query is wrong: the caller answers 503 and retries later.
 * SQLSTATE class 08 is "connection exception"; 57P01-57P03 are an administrator's shutdown,
 * a crash shutdown and "cannot connect now" (starting up); 53300 is too many connections.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) return true;
  // pg's own words when a connection ends under a query or can't be had in time.
  return /^(Connection terminated|timeout exceeded when trying to connect)/.test(err.message);
}
