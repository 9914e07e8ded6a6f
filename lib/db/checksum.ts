/**
 * The one checksum definition: per table, the row count and a multiset hash of its rows —
 * the SHA-256 of each row, summed lane by lane (4 × 64-bit, modulo 2^64). A sum does not
 * depend on row order, so the same digest comes from an indexed table, from a pg_dump
 * archive's COPY stream (heap order) and from a migration's copy stream, with no sort; row
 * ids are part of every row and unique, so no two rows can cancel out. Each value is
 * normalised so that the same data gives the same digest on SQLite, PostgreSQL and COPY text:
 *   NULL → \N · integers (64-bit) → decimal · booleans → t/f ·
 *   DateTime → ISO-8601 UTC with milliseconds (`2026-11-28T20:15:08.882Z`), whichever of
 *   SQLite's forms it was stored in (Prisma's `...T...882+00:00`, SQLite's own
 *   `2026-11-28 20:15:14`, or epoch milliseconds) · text → JSON string.
 * Verification after a restore or migration, the tests and the benchmark all use it.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { TABLES, q, type Column, type Table } from "./tables.ts";
import type { DatabaseTarget } from "./url.ts";

export type TableChecksum = { rows: number; sha256: string };
export type Checksums = Record<string, TableChecksum>;

export function normaliseDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value)).toISOString();
  const text = String(value).trim();
  // SQLite CURRENT_TIMESTAMP and PostgreSQL text: "YYYY-MM-DD HH:MM:SS[.fff]" (UTC, no zone).
  const m = /^(\d{4,})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!m) return `invalid:${text}`;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = (frac ?? ".000").slice(1).padEnd(3, "0").slice(0, 3);
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${!zone || zone === "Z" ? "Z" : zone}`;
  if (!zone || zone === "Z" || zone === "+00:00" || zone === "+0000") return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? `invalid:${text}` : date.toISOString();
}

export function normaliseValue(column: Column, value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  switch (column.type) {
    case "int":
    case "bigint":
      return typeof value === "string" ? value : String(value);
    case "bool":
      if (value === true || value === 1 || value === 1n || value === "t" || value === "1" || value === "true")
        return "t";
      if (value === false || value === 0 || value === 0n || value === "f" || value === "0" || value === "false")
        return "f";
      return `invalid:${String(value)}`;
    case "datetime":
      return normaliseDateTime(value);
    case "text":
      return JSON.stringify(String(value));
  }
}

/** Incremental checksum of one table, fed row by row (values in column order). */
export class TableHasher {
  private lanes = [0n, 0n, 0n, 0n];
  rows = 0;
  constructor(readonly table: Table) {}
  addRow(values: readonly unknown[]) {
    const cols = this.table.columns;
    let line = "";
    for (let i = 0; i < cols.length; i++) line += (i ? "\t" : "") + normaliseValue(cols[i]!, values[i]);
    this.addLine(line);
  }
  /** A row already normalised into one line. */
  addLine(line: string) {
    const digest = createHash("sha256").update(line).digest();
    for (let i = 0; i < 4; i++) this.lanes[i] = BigInt.asUintN(64, this.lanes[i]! + digest.readBigUInt64BE(i * 8));
    this.rows++;
  }
  digest(): TableChecksum {
    return { rows: this.rows, sha256: this.lanes.map((l) => l.toString(16).padStart(16, "0")).join("") };
  }
}

export function sqliteChecksums(db: Database.Database, tables: readonly Table[] = TABLES): Checksums {
  const out: Checksums = {};
  for (const table of tables) {
    const hasher = new TableHasher(table);
    const cols = table.columns.map((c) => q(c.name)).join(", ");
    const stmt = db.prepare(`SELECT ${cols} FROM ${q(table.name)}`).raw(true);
    stmt.safeIntegers(true);
    for (const row of stmt.iterate()) hasher.addRow(row as unknown[]);
    out[table.name] = hasher.digest();
  }
  return out;
}

export async function postgresChecksums(client: pg.ClientBase, tables: readonly Table[] = TABLES): Promise<Checksums> {
  const out: Checksums = {};
  for (const table of tables) {
    const hasher = new TableHasher(table);
    // Cast everything to text in the database: 64-bit integers and timestamps arrive exact.
    const cols = table.columns
      .map((c) =>
        c.type === "datetime"
          ? `to_char(${q(c.name)}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
          : c.type === "bool"
            ? `CASE WHEN ${q(c.name)} THEN 't' ELSE 'f' END`
            : `${q(c.name)}::text`,
      )
      .join(", ");
    // A cursor keeps memory flat on million-row tables.
    const cursorName = `wimm_checksum_${table.name}`;
    await client.query("BEGIN READ ONLY");
    try {
      await client.query(`DECLARE ${cursorName} NO SCROLL CURSOR FOR SELECT ${cols} FROM ${q(table.name)}`);
      for (;;) {
        const { rows } = await client.query({ text: `FETCH 20000 FROM ${cursorName}`, rowMode: "array" });
        for (const row of rows as unknown[][]) hasher.addRow(row);
        if (rows.length < 20000) break;
      }
    } finally {
      await client.query("COMMIT");
    }
    out[table.name] = hasher.digest();
  }
  return out;
}

export async function computeChecksums(target: DatabaseTarget, tables: readonly Table[] = TABLES): Promise<Checksums> {
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    try {
      return sqliteChecksums(db, tables);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return await postgresChecksums(client, tables);
  } finally {
    await client.end();
  }
}

/** Tables whose count or digest differ, for a verification message. */
export function diffChecksums(expected: Checksums, actual: Checksums, skip: string[] = []): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    if (skip.includes(name)) continue;
    const got = actual[name];
    if (!got) problems.push(`${name}: missing`);
    else if (got.rows !== want.rows) problems.push(`${name}: ${got.rows} rows, expected ${want.rows}`);
    else if (got.sha256 !== want.sha256) problems.push(`${name}: checksum differs`);
  }
  return problems;
}
