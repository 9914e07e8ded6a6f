/**
 * The copy phase of every load into PostgreSQL: each block of the record stream (records.ts)
 * streamed into `COPY ... FROM STDIN`, with the app's own column list. The lines are already
 * canonical COPY text (lib/db/checksum.ts), so JavaScript only batches strings and hashes each line on the way:
 * the source's checksums come out of the same pass, with no second read. Memory stays
 * flat: at most one batch of lines is held at a time, and COPY's backpressure is honoured.
 */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { EMPTY_TABLE, TableHasher, escapeCopyText, unescapeCopyText, type Checksums } from "../../db/checksum.ts";
import { LATEST_SCHEMA_VERSION, q, storedColumnNames, tablesAt, type Table } from "../../db/tables.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";
import type { BalanceTally } from "./money-check.ts";
import type { RestoreProgress } from "./progress.ts";
import { BlockTally, type RecordSource } from "./records.ts";

const BATCH_CHARS = 512 * 1024;

/** Copies every block of the stream; returns the checksums of the lines that went in. */
export async function copyTablesToPostgres(
  client: pg.ClientBase,
  records: RecordSource,
  version: number = LATEST_SCHEMA_VERSION,
  balances?: BalanceTally,
  progress?: RestoreProgress,
): Promise<Checksums> {
  const checksums: Checksums = {};
  for (const table of tablesAt(version)) checksums[table.name] = EMPTY_TABLE;
  const tally = new BlockTally(version);
  for await (const { table, lines } of records) {
    tally.take(table);
    const hasher = new TableHasher(table);
    await copyTable(client, table, lines, hasher, balances?.observer(table) ?? null, progress);
    checksums[table.name] = hasher.digest();
    log("PG_MIGRATION", `copied ${table.name}: ${hasher.rows} rows`);
    crashPoint("mid-replace"); // test-only: dies with some tables in, others not
  }
  tally.finish();
  return checksums;
}

async function copyTable(
  client: pg.ClientBase,
  table: Table,
  lines: Iterable<string> | AsyncIterable<string>,
  hasher: TableHasher,
  observe: ((line: string) => void) | null,
  progress: RestoreProgress | undefined,
) {
  const columns = storedColumnNames(table).map(q).join(", ");
  const stream = client.query(copyFrom(`COPY ${q(table.name)} (${columns}) FROM STDIN`));
  const withDerived = derivedAppender(table);
  let failed: Error | undefined;
  stream.on("error", (error: Error) => (failed = error));
  let batch = "";
  let counted = 0; // rows of this table already reported to `progress`
  for await (const line of lines) {
    hasher.addLine(line); // each canonical line is hashed as it goes by (lib/db/pg-hash.ts)
    if (observe) observe(line); // and its money summed (money-check.ts)
    batch += (withDerived ? withDerived(line) : line) + "\n";
    if (batch.length >= BATCH_CHARS) {
      if (failed) break;
      const ok = stream.write(batch);
      batch = "";
      progress?.advance(hasher.rows - counted);
      counted = hasher.rows;
      crashPoint("mid-replace"); // test-only: dies with COPY half done
      if (!ok) await Promise.race([once(stream, "drain"), once(stream, "error")]);
    }
  }
  if (failed) throw failed;
  if (batch) stream.write(batch);
  stream.end();
  await finished(stream);
  progress?.advance(hasher.rows - counted);
}

/**
 * The derived fields of a table (lib/db/tables.ts), appended to each canonical line: the
 * app's own computation from the row, never a value read from the backup. Null when the
 * table has none.
 */
function derivedAppender(table: Table): ((line: string) => string) | null {
  if (!table.derived.length) return null;
  const sources = table.derived.map((d) => ({
    at: table.columns.findIndex((c) => c.name === d.from),
    derive: d.derive,
  }));
  return (line) => {
    const fields = line.split("\t");
    let out = line;
    for (const { at, derive } of sources) {
      const field = fields[at]!;
      out += "\t" + (field === "\\N" ? "" : escapeCopyText(derive(unescapeCopyText(field))));
    }
    return out;
  };
}
