/**
 * How big the next backup of the live database will be, at most, for the free-space check
 * (check-free-space.ts). The reading is thin I/O; the estimate is a pure function of what was
 * read, tested on its own.
 *
 *   SQLite     → page_count × page_size: the database as a reader sees it, the pages still in
 *                the -wal file included. `VACUUM INTO` copies exactly that, minus the free
 *                pages, so it is an upper bound that is never far off. The file's size plus
 *                the -wal's would count every old version of a page the WAL still holds.
 *   PostgreSQL → pg_database_size: the data on disk, indexes and dead rows included. A
 *                `pg_dump -Fc` holds no index data and is compressed, so it is usually much
 *                smaller; but compression is no promise (attachments are already compressed),
 *                and the bound must not be below the truth.
 */
import type Database from "better-sqlite3";
import type pg from "pg";

export type DatabaseSize =
  { engine: "sqlite"; pageCount: number; pageSize: number } | { engine: "postgresql"; databaseBytes: number };

export function estimateBackupBytes(size: DatabaseSize): number {
  const bytes = size.engine === "sqlite" ? size.pageCount * size.pageSize : size.databaseBytes;
  // A nonsense size would pass any free-space check: stop instead (a bug, not a state of the disk).
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`estimateBackupBytes: ${bytes} bytes`);
  return bytes;
}

/** On an open connection to the live database (read-only is enough). */
export function readSqliteSize(db: Database.Database): DatabaseSize {
  return {
    engine: "sqlite",
    pageCount: Number(db.pragma("page_count", { simple: true })),
    pageSize: Number(db.pragma("page_size", { simple: true })),
  };
}

export async function readPostgresSize(client: pg.ClientBase): Promise<DatabaseSize> {
  // bigint arrives as text from pg; a family's database is far below 2^53 bytes.
  const result = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database())::text AS bytes");
  return { engine: "postgresql", databaseBytes: Number(result.rows[0]?.bytes) };
}
