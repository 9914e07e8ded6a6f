/**
 * The live side of a restore preview, read and never written: no maintenance lock, no
 * write, no migration — one read transaction (SQLite: a deferred BEGIN on a read-only
 * connection; PostgreSQL: REPEATABLE READ READ ONLY), so counts, balances and rows all
 * come from the same moment while the app goes on writing beside it.
 *
 * The compared tables are read as the record stream is (canonical COPY lines, built by the
 * database itself as the checksums build them, lib/db/checksum.ts), a page of ids at a time,
 * and summarized by the same code as the backup's (summarize-records.ts).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { postgresCanonicalExpr, sqliteCanonicalExpr } from "../../db/checksum.ts";
import { readMeta, type MetaRow } from "../../db/schema.ts";
import { q, tablesAt, type Table } from "../../db/tables.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import type { TableBlock } from "../engine/records.ts";
import { COMPARED, summarizeRecords, type ComparedTables, type RecordSummary } from "./summarize-records.ts";

export type LiveData = { rows: Record<string, number>; summary: RecordSummary };

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

const PAGE = 5000;

/** `schemaVersion`: what the caller read before (the compared columns were chosen for it). */
export async function readLiveData(
  live: DatabaseTarget,
  schemaVersion: number,
  compared: ComparedTables,
): Promise<LiveData> {
  return inReadTransaction(live, async (query) => {
    const meta = readMeta((await query("SELECT key, value FROM app_meta")) as MetaRow[]);
    if (meta.version !== schemaVersion)
      throw new Error(`the live schema changed while reading (${schemaVersion} → ${meta.version})`);
    const rows: Record<string, number> = {};
    for (const t of tablesAt(schemaVersion))
      rows[t.name] = Number((await query(`SELECT count(*) AS n FROM ${q(t.name)}`))[0]!.n);
    const join = live.engine === "sqlite" ? " || char(9) || " : " || chr(9) || ";
    const expr = live.engine === "sqlite" ? sqliteCanonicalExpr : postgresCanonicalExpr;
    async function* pages(table: Table): AsyncGenerator<string> {
      const line = table.columns.map(expr).join(join);
      for (let after = -Infinity; ;) {
        const from = Number.isFinite(after) ? `WHERE id > ${after}` : "";
        const page = await query(`SELECT id, ${line} AS line FROM ${q(table.name)} ${from} ORDER BY id LIMIT ${PAGE}`);
        for (const r of page) yield r.line as string;
        if (page.length < PAGE) return;
        after = Number(page[page.length - 1]!.id);
      }
    }
    const blocks = (function* (): Generator<TableBlock> {
      for (const name of COMPARED) yield { table: compared[name], lines: pages(compared[name]) };
    })();
    return { rows, summary: await summarizeRecords(blocks, compared) };
  });
}

async function inReadTransaction<T>(live: DatabaseTarget, read: (query: Query) => Promise<T>): Promise<T> {
  if (live.engine === "sqlite") {
    const db = new Database(live.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    try {
      // Deferred: the first SELECT fixes the snapshot; a read-only connection never writes.
      db.exec("BEGIN");
      try {
        return await read(async (sql) => db.prepare(sql).all() as Record<string, unknown>[]);
      } finally {
        db.exec("ROLLBACK");
      }
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: live.url, application_name: "wimm-inspect" });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      return await read(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
    } finally {
      await client.query("ROLLBACK");
    }
  } finally {
    await client.end();
  }
}
