/**
 * The frozen fixture backups of tests/fixtures/backups/schema-N/ (made once per schema
 * version by scripts/make-schema-fixtures.ts, never regenerated) and the one way their
 * rows are written down in `expected.json` and read back after a restore: through the app's
 * own Prisma client, one JSON value per column of lib/db/tables.ts, exact for 64-bit
 * integers and dates:
 *
 *   int      → JSON number (ids and foreign keys, all below 2^31)
 *   bigint   → decimal string ("-9007199254740991")
 *   bool     → true / false
 *   datetime → ISO 8601 in UTC with milliseconds ("1969-07-20T12:00:00.000Z")
 *   text     → JSON string, as is (no normalisation, no trimming)
 *   NULL     → null
 *
 * Rows are keyed by column name (the storage names, not Prisma's field names) and ordered by
 * `id` (app_meta by `key`, in code-unit order, whatever the database's collation).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Checksums } from "../../lib/db/checksum.ts";
import { createPrismaClient } from "../../lib/db/client.ts";
import { TABLES, type Column, type Table } from "../../lib/db/tables.ts";
import type { DatabaseTarget, Engine } from "../../lib/db/url.ts";
import { REPO_ROOT } from "./cli.ts";

export const FIXTURES_ROOT = join(REPO_ROOT, "tests", "fixtures", "backups");

export type JsonValue = string | number | boolean | null;
export type Row = Record<string, JsonValue>;
export type TableRows = Record<string, Row[]>;

/** One backup file of a fixture folder and what it must restore to. */
export type FixtureFile = {
  /** The engine whose `wimm backup` wrote it: a `.sqlite3` file or a `pg_dump -Fc` archive. */
  engine: Engine;
  bytes: number;
  sha256: string;
  /** Rows per table in the file (sessions: 0, backups never carry them). */
  rowCounts: Record<string, number>;
  /** lib/db/checksum.ts per table, as the instance that made the backup computed them. */
  checksums: Checksums;
  /** Every row of every table but sessions. */
  tables: TableRows;
};

export type FixtureExpectations = {
  format: "wimm-schema-fixture/1";
  schemaVersion: number;
  madeBy: { commit: string; script: string; at: string; node: string; postgres: string; pgDump: string };
  representation: string;
  /** Adversarial values the family holds, in words. */
  holds: string[];
  /** Columns whose values differ between the two files (made on two instances), and why. */
  engineDifferences: Record<string, string>;
  fixtures: Record<string, FixtureFile>;
};

export type FixtureFolder = { dir: string; name: string; schemaVersion: number; expected: FixtureExpectations };

/** Every tests/fixtures/backups/schema-N/ folder, oldest schema first. */
export function discoverFixtureFolders(root = FIXTURES_ROOT): FixtureFolder[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^schema-\d+$/.test(n))
    .map((name) => {
      const dir = join(root, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as FixtureExpectations;
      return { dir, name, schemaVersion: Number(name.slice("schema-".length)), expected };
    })
    .sort((a, b) => a.schemaVersion - b.schemaVersion);
}

/** The Prisma delegate of each table; a new table must be named here. */
const DELEGATES: Record<string, string> = {
  app_meta: "appMeta",
  families: "family",
  users: "user",
  sessions: "session",
  accounts: "account",
  categories: "category",
  transactions: "transaction",
  events: "event",
};

/** Prisma's field name of a column: the models map camelCase fields to snake_case columns. */
export const fieldName = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A value read through Prisma in the fixture representation; a value of the wrong JS type throws. */
export function toJsonValue(table: Table, column: Column, value: unknown): JsonValue {
  const where = `${table.name}.${column.name}`;
  if (value === null) {
    if (!column.nullable) throw new Error(`${where}: NULL in a NOT NULL column`);
    return null;
  }
  switch (column.type) {
    case "int":
      if (typeof value !== "number" || !Number.isSafeInteger(value))
        throw new Error(`${where}: expected an integer, got ${typeof value} ${String(value)}`);
      return value;
    case "bigint":
      if (typeof value !== "bigint")
        throw new Error(`${where}: expected a bigint, got ${typeof value} ${String(value)}`);
      return value.toString();
    case "bool":
      if (typeof value !== "boolean")
        throw new Error(`${where}: expected a boolean, got ${typeof value} ${String(value)}`);
      return value;
    case "datetime":
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        throw new Error(`${where}: expected a valid Date, got ${String(value)}`);
      return value.toISOString();
    case "text":
      if (typeof value !== "string") throw new Error(`${where}: expected a string, got ${typeof value}`);
      return value;
  }
}

function compareRows(table: Table): (a: Row, b: Row) => number {
  const key = table.idColumn ?? table.columns[0]!.name;
  return (a, b) => {
    const x = a[key]!;
    const y = b[key]!;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
  };
}

/**
 * Every row of every table, as the app reads it through its own Prisma client. A field
 * Prisma returns that lib/db/tables.ts does not list is kept under its own name, so it shows
 * up in a comparison instead of being dropped.
 */
export async function readTablesThroughPrisma(target: DatabaseTarget): Promise<TableRows> {
  const db = await createPrismaClient(target, { poolSize: 1 });
  try {
    const out: TableRows = {};
    for (const table of TABLES) {
      const delegateName = DELEGATES[table.name];
      if (!delegateName) throw new Error(`tests/helpers/schema-fixtures.ts: no Prisma delegate for ${table.name}`);
      const delegate = (db as unknown as Record<string, { findMany: () => Promise<Record<string, unknown>[]> }>)[
        delegateName
      ]!;
      const rows = await delegate.findMany();
      const known = new Set([...table.columns, ...table.derived].map((c) => fieldName(c.name)));
      out[table.name] = rows
        .map((record) => {
          const row: Row = {};
          for (const column of table.columns)
            row[column.name] = toJsonValue(table, column, record[fieldName(column.name)]);
          for (const derived of table.derived) {
            const value = record[fieldName(derived.name)];
            if (typeof value !== "string") throw new Error(`${table.name}.${derived.name}: expected a string`);
            row[derived.name] = value;
          }
          for (const [field, value] of Object.entries(record))
            if (!known.has(field)) row[`(unlisted field) ${field}`] = String(value);
          return row;
        })
        .sort(compareRows(table));
    }
    return out;
  } finally {
    await db.$disconnect();
  }
}
