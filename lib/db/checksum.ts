/**
 * The one checksum definition, used by restore verification, the migration, the tests and
 * the benchmark alike.
 *
 * Each row is written as one canonical line — PostgreSQL COPY text format with fixed value
 * forms — so the same data gives the same line wherever it lives:
 *   NULL       → \N
 *   integers   → decimal (64-bit exact)
 *   booleans   → t / f
 *   DateTime   → `YYYY-MM-DD HH:MM:SS.mmm` in UTC, whichever form SQLite holds it in
 *                (Prisma's `2026-11-28T20:15:08.882+00:00`, SQLite's `2026-11-28 20:15:14`,
 *                epoch milliseconds)
 *   text       → as is, with `\` tab newline and carriage return escaped as `\\ \t \n \r`
 *   columns    → joined by a tab, in the order of lib/db/tables.ts
 * SQLite and PostgreSQL build these lines themselves in SQL (fast, no per-value JavaScript);
 * a line is also exactly what the SQLite → PostgreSQL migration feeds to COPY.
 *
 * A table's checksum is its row count and a multiset hash of its lines: two 64-bit hashes
 * of each line — PostgreSQL's own `hashtextextended(line, 0)` and `(line, 1)`, i.e. 128 bits
 * per row — each summed over the table modulo 2^64. A sum does not depend on row order, so
 * no ORDER BY is needed and the digest of a heap-ordered pg_dump stream, an indexed table or
 * a copy stream agree; ids are part of each line and unique, so rows cannot cancel out.
 * PostgreSQL computes it natively, in parallel workers; JavaScript computes the same hash
 * (lib/db/pg-hash.ts) for SQLite rows and archive streams. This guards against our own
 * mistakes and damaged data — it is not a cryptographic signature of the file.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { hashBytesExtended, utf8 } from "./pg-hash.ts";
import { TABLES, q, type Column, type Table } from "./tables.ts";
import type { DatabaseTarget } from "./url.ts";

export type TableChecksum = { rows: number; sha256: string };
export type Checksums = Record<string, TableChecksum>;

// ---------------------------------------------------------------------------- JavaScript

/** Any stored DateTime form → `YYYY-MM-DD HH:MM:SS.mmm` (UTC), or `invalid:<text>`. */
export function canonicalDateTime(value: unknown): string {
  if (value instanceof Date) return isoToCanonical(value.toISOString());
  if (typeof value === "number" || typeof value === "bigint") {
    const d = new Date(Number(value));
    return Number.isNaN(d.getTime()) ? `invalid:${String(value)}` : isoToCanonical(d.toISOString());
  }
  const text = String(value).trim();
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!m) return `invalid:${text}`;
  const [, y, mo, d, h, mi, s = "00", frac, zone] = m;
  const ms = (frac ?? ".000").slice(1).padEnd(3, "0").slice(0, 3);
  if (!zone || zone === "Z" || /^[+-]00:?00$/.test(zone)) return `${y}-${mo}-${d} ${h}:${mi}:${s}.${ms}`;
  const date = new Date(
    `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`,
  );
  return Number.isNaN(date.getTime()) ? `invalid:${text}` : isoToCanonical(date.toISOString());
}

function isoToCanonical(iso: string): string {
  // 2026-11-28T20:15:08.882Z → 2026-11-28 20:15:08.882
  return iso.slice(0, 10) + " " + iso.slice(11, 23);
}

export function escapeCopyText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** The inverse of escapeCopyText: a canonical text field back to its text. */
export function unescapeCopyText(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(/\\([\\tnr])/g, (_, c: string) =>
    c === "t" ? "\t" : c === "n" ? "\n" : c === "r" ? "\r" : "\\",
  );
}

export function canonicalValue(column: Column, value: unknown): string {
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
      return canonicalDateTime(value);
    case "text":
      return escapeCopyText(String(value));
  }
}

export function canonicalLine(table: Table, values: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < table.columns.length; i++) line += (i ? "\t" : "") + canonicalValue(table.columns[i]!, values[i]);
  return line;
}

/** Incremental checksum of one table, fed canonical lines (or typed values). */
const TWO_32 = 4294967296;

export class TableHasher {
  // Two 64-bit lane sums, each kept as high and low unsigned 32-bit halves (no BigInt per row).
  private hi0 = 0;
  private lo0 = 0;
  private hi1 = 0;
  private lo1 = 0;
  rows = 0;
  constructor(readonly table: Table) {}
  addRow(values: readonly unknown[]) {
    this.addLine(canonicalLine(this.table, values));
  }
  addLine(line: string) {
    const { bytes, length } = utf8(line);
    let [h, l] = hashBytesExtended(bytes, length, 0, 0);
    this.lo0 += l;
    if (this.lo0 >= TWO_32) {
      this.lo0 -= TWO_32;
      h++;
    }
    this.hi0 = (this.hi0 + h) >>> 0;
    [h, l] = hashBytesExtended(bytes, length, 0, 1);
    this.lo1 += l;
    if (this.lo1 >= TWO_32) {
      this.lo1 -= TWO_32;
      h++;
    }
    this.hi1 = (this.hi1 + h) >>> 0;
    this.rows++;
  }
  digest(): TableChecksum {
    return { rows: this.rows, sha256: hex32(this.hi0) + hex32(this.lo0) + hex32(this.hi1) + hex32(this.lo1) };
  }
}

/** The checksum of a table with no rows (both engines agree on it). */
export const EMPTY_TABLE: TableChecksum = { rows: 0, sha256: "0".repeat(32) };

const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const hex64 = (n: bigint) => BigInt.asUintN(64, n).toString(16).padStart(16, "0");

// ---------------------------------------------------------------------------- SQLite

const DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]";

/** SQL producing a column's canonical form on SQLite. */
export function sqliteCanonicalExpr(column: Column): string {
  const c = q(column.name);
  let expr: string;
  switch (column.type) {
    case "int":
    case "bigint":
      expr = `CAST(${c} AS TEXT)`;
      break;
    case "bool":
      expr = `CASE ${c} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE 'invalid:' || ${c} END`;
      break;
    case "datetime":
      // Epoch milliseconds are split exactly (a float division would round); text goes
      // through strftime, which understands both ISO forms and applies a zone offset.
      // Text must look like a date (and time) before strftime sees it: strftime also reads
      // date words such as `now`, which would turn into the moment of reading.
      expr =
        `CASE typeof(${c}) ` +
        `WHEN 'integer' THEN coalesce(strftime('%Y-%m-%d %H:%M:%S', (${c} - ((${c} % 1000) + 1000) % 1000) / 1000, 'unixepoch') || printf('.%03d', ((${c} % 1000) + 1000) % 1000), 'invalid:' || ${c}) ` +
        `WHEN 'text' THEN CASE WHEN ${c} GLOB '${DATE_GLOB}[ T][0-9][0-9]:[0-9][0-9]*' ` +
        `THEN coalesce(strftime('%Y-%m-%d %H:%M:%f', ${c}), 'invalid:' || ${c}) ELSE 'invalid:' || ${c} END ` +
        `ELSE 'invalid:' || ${c} END`;
      break;
    case "text":
      expr = `replace(replace(replace(replace(${c}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r')`;
      break;
  }
  return `coalesce(${expr}, '\\N')`;
}

/** `SELECT <canonical line> FROM <table>` for SQLite. */
export function sqliteCanonicalSelect(table: Table): string {
  return `SELECT ${table.columns.map(sqliteCanonicalExpr).join(" || char(9) || ")} FROM ${q(table.name)}`;
}

export function sqliteChecksums(db: Database.Database, tables: readonly Table[] = TABLES): Checksums {
  const out: Checksums = {};
  for (const table of tables) {
    const hasher = new TableHasher(table);
    for (const line of db.prepare(sqliteCanonicalSelect(table)).pluck().iterate()) hasher.addLine(line as string);
    out[table.name] = hasher.digest();
  }
  return out;
}

// ---------------------------------------------------------------------------- PostgreSQL

export function postgresCanonicalExpr(column: Column): string {
  const c = q(column.name);
  let expr: string;
  switch (column.type) {
    case "int":
    case "bigint":
      expr = `${c}::text`;
      break;
    case "bool":
      expr = `CASE WHEN ${c} THEN 't' WHEN NOT ${c} THEN 'f' END`;
      break;
    case "datetime":
      expr = `to_char(${c}, 'YYYY-MM-DD HH24:MI:SS.MS')`;
      break;
    case "text":
      expr = `replace(replace(replace(replace(${c}, '\\', '\\\\'), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r')`;
      break;
  }
  return `coalesce(${expr}, '\\N')`;
}

/**
 * PostgreSQL computes the checksum itself: the same canonical line, hashed twice with
 * hashtextextended, each summed as numeric (exact) and reduced mod 2^64 here. One aggregate
 * query per table, run with parallel workers; no row crosses the wire.
 */
export function postgresChecksumQuery(table: Table): string {
  const line = table.columns.map(postgresCanonicalExpr).join(" || chr(9) || ");
  return `SELECT count(*)::text AS n,
                 coalesce(sum(hashtextextended(line, 0)::numeric), 0)::text AS l0,
                 coalesce(sum(hashtextextended(line, 1)::numeric), 0)::text AS l1
          FROM (SELECT ${line} AS line FROM ${q(table.name)}) rows`;
}

export async function postgresChecksums(client: pg.ClientBase, tables: readonly Table[] = TABLES): Promise<Checksums> {
  const out: Checksums = {};
  for (const table of tables) {
    const { rows } = await client.query<{ n: string; l0: string; l1: string }>(postgresChecksumQuery(table));
    const r = rows[0]!;
    // A sum of signed 64-bit values, reduced mod 2^64, equals the unsigned lane sum.
    out[table.name] = { rows: Number(r.n), sha256: hex64(BigInt(r.l0)) + hex64(BigInt(r.l1)) };
  }
  return out;
}

// ---------------------------------------------------------------------------- both

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
