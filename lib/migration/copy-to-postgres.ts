/**
 * The copy phase of the SQLite → PostgreSQL migration: every table streamed into
 * `COPY ... FROM STDIN`. SQLite itself writes each row as one canonical COPY text line (see
 * lib/db/checksum.ts), so JavaScript only batches strings (the source's checksums are
 * computed beside it, by the validation child, and compared before COMMIT). Memory stays
 * flat: at most one batch of lines is held at a time, and COPY's backpressure is honoured.
 */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { sqliteCanonicalSelect } from "../db/checksum.ts";
import { TABLES, q, type Table } from "../db/tables.ts";
import { log } from "../log.ts";
import { crashPoint } from "../restore/journal.ts";

const BATCH_CHARS = 512 * 1024;

/** A source of canonical lines per table: a SQLite file here, JSON lines in lib/migration/jsonl.ts. */
export type LineSource = (table: Table) => Iterable<string> | AsyncIterable<string>;

export function sqliteLineSource(db: Database.Database): LineSource {
  return (table) => db.prepare(sqliteCanonicalSelect(table)).pluck().iterate() as Iterable<string>;
}

/** Tables that are never carried over: sessions end with every restore. */
export const NOT_CARRIED = new Set(["sessions"]);

export async function copyTablesToPostgres(client: pg.ClientBase, source: LineSource): Promise<void> {
  for (const table of TABLES) {
    if (NOT_CARRIED.has(table.name)) continue;
    const rows = await copyTable(client, table, source(table));
    log("PG_MIGRATION", `copied ${table.name}: ${rows} rows`);
  }
}

async function copyTable(client: pg.ClientBase, table: Table, lines: Iterable<string> | AsyncIterable<string>) {
  const columns = table.columns.map((c) => q(c.name)).join(", ");
  const stream = client.query(copyFrom(`COPY ${q(table.name)} (${columns}) FROM STDIN`));
  let failed: Error | undefined;
  stream.on("error", (error: Error) => (failed = error));
  let batch = "";
  let rows = 0;
  for await (const line of lines) {
    rows++;
    batch += line + "\n";
    if (batch.length >= BATCH_CHARS) {
      if (failed) break;
      const ok = stream.write(batch);
      batch = "";
      crashPoint("mid-replace"); // test-only: dies with COPY half done
      if (!ok) await Promise.race([once(stream, "drain"), once(stream, "error")]);
    }
  }
  if (failed) throw failed;
  if (batch) stream.write(batch);
  stream.end();
  await finished(stream);
  return rows;
}
