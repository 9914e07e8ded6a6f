/**
 * The copy phase of the SQLite → PostgreSQL migration: every table streamed into
 * `COPY ... FROM STDIN`. SQLite itself writes each row as one canonical COPY text line (see
 * lib/db/checksum.ts), so JavaScript only batches strings and hashes each line on the way:
 * the source's checksums come out of the same pass, with no second read. Memory stays
 * flat: at most one batch of lines is held at a time, and COPY's backpressure is honoured.
 */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { TableHasher, sqliteCanonicalSelect, type Checksums } from "../../db/checksum.ts";
import { TABLES, q, type Table } from "../../db/tables.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";

const BATCH_CHARS = 512 * 1024;

/** A source of canonical lines per table: a SQLite file here, JSON lines in lib/migration/jsonl.ts. */
export type LineSource = (table: Table) => Iterable<string> | AsyncIterable<string>;

export function sqliteLineSource(db: Database.Database): LineSource {
  return (table) => db.prepare(sqliteCanonicalSelect(table)).pluck().iterate() as Iterable<string>;
}

/** Tables that are never carried over: sessions end with every restore. */
export const NOT_CARRIED = new Set(["sessions"]);

/** Copies every carried table; returns the checksums of the lines that went in. */
export async function copyTablesToPostgres(client: pg.ClientBase, source: LineSource): Promise<Checksums> {
  const checksums: Checksums = {};
  for (const table of TABLES) {
    const hasher = new TableHasher(table);
    if (!NOT_CARRIED.has(table.name)) await copyTable(client, table, source(table), hasher);
    checksums[table.name] = hasher.digest();
    log("PG_MIGRATION", `copied ${table.name}: ${hasher.rows} rows`);
  }
  return checksums;
}

async function copyTable(
  client: pg.ClientBase,
  table: Table,
  lines: Iterable<string> | AsyncIterable<string>,
  hasher: TableHasher,
) {
  const columns = table.columns.map((c) => q(c.name)).join(", ");
  const stream = client.query(copyFrom(`COPY ${q(table.name)} (${columns}) FROM STDIN`));
  let failed: Error | undefined;
  stream.on("error", (error: Error) => (failed = error));
  let batch = "";
  for await (const line of lines) {
    hasher.addLine(line); // each canonical line is hashed as it goes by (lib/db/pg-hash.ts)
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
}
