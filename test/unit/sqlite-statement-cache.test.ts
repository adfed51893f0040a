// The SQLite store keeps its prepared statements (src/store/db.ts withStatementCache):
// the same SQL gets the same statement, the least recently used goes first, and queries,
// transactions and streams through kysely behave as without it.
import { createRequire } from 'node:module';
import type SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/store/db.js';

const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof SQLite;

describe('withStatementCache', () => {
  let file: SQLite.Database;
  afterEach(() => {
    if (file.open) file.close();
  });

  it('prepares each SQL once and evicts the least recently used past its size', () => {
    file = new Sqlite(':memory:');
    const prepared: string[] = [];
    const prepare = file.prepare.bind(file);
    file.prepare = ((source: string) => {
      prepared.push(source);
      return prepare(source);
    });
    const cache = withStatementCache(file, 2);
    const a = cache.prepare('select 1');
    expect(cache.prepare('select 1')).toBe(a);
    cache.prepare('select 2');
    cache.prepare('select 1'); // now the most recent
    cache.prepare('select 3'); // evicts select 2
    expect(cache.prepare('select 1')).toBe(a);
    cache.prepare('select 2');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
  });

  it('serves kysely: reads, writes, a rolled-back transaction and a stream', async () => {
    file = new Sqlite(':memory:');
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    for (let i = 1; i <= 5; i++) await db.insertInto('t').values({ id: i, v: `v${i}` }).execute();
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.updateTable('t').set({ v: 'changed' }).execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const rows = await db.selectFrom('t').selectAll().where('id', '>', 3).orderBy('id').execute();
    expect(rows).toEqual([{ id: 4, v: 'v4' }, { id: 5, v: 'v5' }]);
    const streamed: number[] = [];
    for await (const row of db.selectFrom('t').select('id').orderBy('id').stream()) streamed.push(row.id);
    expect(streamed).toEqual([1, 2, 3, 4, 5]);
    const counted = await db.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(counted.n).toBe(5);
    await db.destroy();
    expect(file.open).toBe(false);
  });
});
