/**
 * Pre-flight scan of a SQLite file before a migration to PostgreSQL: read-only, before
 * anything is dropped. SQLite stores whatever it is given in any column; PostgreSQL does not.
 * Every value PostgreSQL would reject or silently change is reported with its table, column
 * and row ids, so the family can see what to fix — and nothing is touched.
 */
import { isUtf8 } from "node:buffer";
import type Database from "better-sqlite3";
import { TABLES, q, type Column, type Table } from "../../db/tables.ts";

export type Finding = { table: string; column: string; problem: string; ids: string[] };

const INT32 = "BETWEEN -2147483648 AND 2147483647";

/** [problem, SQL condition that is true for an offending value]. */
function checks(column: Column): [string, string][] {
  const c = q(column.name);
  const list: [string, string][] = [];
  if (!column.nullable) list.push(["missing value (NULL)", `${c} IS NULL`]);
  switch (column.type) {
    case "int":
      list.push(["not a 32-bit integer", `${c} IS NOT NULL AND (typeof(${c}) <> 'integer' OR ${c} NOT ${INT32})`]);
      break;
    case "bigint":
      list.push(["not a 64-bit integer", `${c} IS NOT NULL AND typeof(${c}) <> 'integer'`]);
      break;
    case "bool":
      list.push(["not a boolean (0 or 1)", `${c} IS NOT NULL AND (typeof(${c}) <> 'integer' OR ${c} NOT IN (0, 1))`]);
      break;
    case "datetime":
      list.push([
        "not a date and time",
        `${c} IS NOT NULL AND NOT (typeof(${c}) = 'integer' OR (typeof(${c}) = 'text' AND strftime('%Y', ${c}) IS NOT NULL))`,
      ]);
      break;
    case "text":
      list.push(["not text", `${c} IS NOT NULL AND typeof(${c}) <> 'text'`]);
      list.push(["contains a NUL byte", `typeof(${c}) = 'text' AND instr(CAST(${c} AS BLOB), x'00') > 0`]);
      // Invalid UTF-8 is looked for separately, a thousand rows at a time (invalidUtf8Rows).
      break;
  }
  return list;
}

const MAX_IDS = 20;

/**
 * Row ids whose text in `column` is not valid UTF-8 (better-sqlite3 would silently turn such
 * bytes into U+FFFD, so they must be found before any row is read as a string). The bytes
 * of a thousand rows are joined with a newline and checked at once — an ASCII separator
 * keeps a joined chunk valid exactly when every value in it is — and only a failing chunk
 * is checked row by row. About four times faster than one check per row.
 */
function invalidUtf8Rows(db: Database.Database, table: Table, column: string, limit: number): string[] {
  const c = q(column);
  const id = table.idColumn ? q(table.idColumn) : "rowid";
  // Streamed chunk by chunk (memory stays flat however large the table); the failing
  // chunks, rare, are remembered and looked at row by row afterwards.
  const failing: number[] = [];
  const chunks = db.prepare(
    `SELECT rowid / 1000 AS chunk, CAST(group_concat(CAST(${c} AS BLOB), char(10)) AS BLOB) AS bytes
       FROM ${q(table.name)} WHERE typeof(${c}) = 'text' GROUP BY rowid / 1000`,
  );
  for (const { chunk, bytes } of chunks.iterate() as Iterable<{ chunk: number; bytes: Buffer | null }>) {
    if (bytes && !isUtf8(bytes)) failing.push(chunk);
  }
  const ids: string[] = [];
  const rowsOf = db.prepare(
    `SELECT ${id} AS id, CAST(${c} AS BLOB) AS bytes FROM ${q(table.name)}
      WHERE rowid / 1000 = ? AND typeof(${c}) = 'text'`,
  );
  for (const chunk of failing) {
    for (const row of rowsOf.all(chunk) as { id: number; bytes: Buffer }[]) {
      if (!isUtf8(row.bytes)) ids.push(String(row.id));
      if (ids.length >= limit) return ids;
    }
  }
  return ids;
}

export function preflightScan(db: Database.Database, tables: readonly Table[] = TABLES): Finding[] {
  const findings: Finding[] = [];
  for (const table of tables) {
    for (const column of table.columns.filter((col) => col.type === "text")) {
      const ids = invalidUtf8Rows(db, table, column.name, MAX_IDS);
      if (ids.length) findings.push({ table: table.name, column: column.name, problem: "invalid UTF-8", ids });
    }
  }
  for (const table of tables) {
    const id = table.idColumn ? q(table.idColumn) : "rowid";
    const all = table.columns.flatMap((column) =>
      checks(column).map(([problem, sql]) => ({ column: column.name, problem, sql })),
    );
    const flags = all.map((check, i) => `(${check.sql}) AS f${i}`).join(", ");
    const where = all.map((check) => `(${check.sql})`).join(" OR ");
    const rows = db
      .prepare(`SELECT ${id} AS id, ${flags} FROM ${q(table.name)} WHERE ${where} LIMIT 1000`)
      .all() as Record<string, unknown>[];
    for (const row of rows) {
      all.forEach((check, i) => {
        if (!row[`f${i}`]) return;
        let finding = findings.find(
          (f) => f.table === table.name && f.column === check.column && f.problem === check.problem,
        );
        if (!finding)
          findings.push((finding = { table: table.name, column: check.column, problem: check.problem, ids: [] }));
        if (finding.ids.length < MAX_IDS) finding.ids.push(String(row.id));
      });
    }
  }
  // Foreign keys pointing nowhere, by SQLite's own check of the file's declared keys.
  const orphans = db.pragma("foreign_key_check") as { table: string; rowid: number; parent: string; fkid: number }[];
  for (const o of orphans) {
    const column =
      (db.pragma(`foreign_key_list(${q(o.table)})`) as { id: number; from: string }[]).find((k) => k.id === o.fkid)
        ?.from ?? "?";
    let finding = findings.find((f) => f.table === o.table && f.column === column && f.problem.startsWith("points to"));
    if (!finding)
      findings.push((finding = { table: o.table, column, problem: `points to a missing ${o.parent} row`, ids: [] }));
    if (finding.ids.length < MAX_IDS) finding.ids.push(String(o.rowid));
  }
  return findings;
}

/** Findings of two passes over the same file, each problem once, its row ids joined. */
export function mergeFindings(...lists: Finding[][]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const f of lists.flat()) {
    const key = `${f.table}\0${f.column}\0${f.problem}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...f, ids: [...f.ids] });
    else for (const id of f.ids) if (seen.ids.length < MAX_IDS && !seen.ids.includes(id)) seen.ids.push(id);
  }
  return [...merged.values()];
}

/** `transactions.amount_cents: not a 64-bit integer (row ids 7, 9)`, one per finding. */
export function describeFindings(findings: Finding[]): string {
  return findings
    .map((f) => {
      const ids = f.ids.filter((id) => id !== "-");
      if (!ids.length) return `${f.table}.${f.column}: ${f.problem}`;
      return `${f.table}.${f.column}: ${f.problem} (row id${ids.length > 1 ? "s" : ""} ${ids.join(", ")}${ids.length >= MAX_IDS ? ", …" : ""})`;
    })
    .join("; ");
}
