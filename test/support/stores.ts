// A fresh store per test: a new PostgreSQL database on the suite's server, or a SQLite
// file in a new temp folder. Both are migrated; destroy() removes what was made.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store, type StoreKind } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations.js';

export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  kind: StoreKind;
  db: Store;
  /** What to put in DATABASE_URL / DATA_DIR to open this same store elsewhere. */
  databaseUrl: string | undefined;
  dataDir: string;
  destroy(): Promise<void>;
}

/**
 * The server the suite's set-up found or started; outside vitest (the bench) the same
 * default the set-up tries first.
 */
function pgAdminUrl(): string {
  if (process.env.VITEST) return inject('pgAdminUrl');
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

export async function createTestStore(kind: StoreKind, options: { migrate?: boolean } = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `kd_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(pgAdminUrl());
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const { db } = openStore({ databaseUrl, dataDir });
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    kind,
    db,
    databaseUrl,
    dataDir,
    async destroy() {
      await db.destroy();
      if (dbName) {
        // pg's pool.end() resolves before its connections have closed; a plain DROP waits
        // (up to 5 s) for those backends to go, where FORCE would kill them mid-close and
        // their clients would throw an uncaught "terminating connection" error.
        await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
