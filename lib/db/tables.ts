/**
 * Every table of the app's schema at every schema version, in dependency order (parents
 * first), with each column's logical type. Backup verification, checksums, the loaders, the
 * readers of every backup kind and the JSON lines export all walk these lists; a test checks
 * each version against the schema its migrations build on both engines, so a model change
 * that forgets this file fails the suite.
 *
 * A backup is read with the tables of ITS schema version (a restore builds the schema at
 * that version, loads, then runs the later migrations: lib/db/migrate.ts); the app itself
 * works with the latest, TABLES.
 *
 * Columns are what a backup carries and what checksums cover. Derived columns (a folded
 * search text) are stored too but never carried: the app computes them from another column
 * on every write and every load, so a backup cannot plant a value in one.
 */
import { foldForSearch } from "./fold.ts";

export type ColumnType = "int" | "bigint" | "text" | "bool" | "datetime";

export type Column = {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The table whose `id` this column points to (a foreign key of the app's schema). */
  references?: string;
};

/** A stored text column computed by the app from another text column of its row. */
export type DerivedColumn = { name: string; from: string; derive: (text: string) => string };

export type Table = {
  name: string;
  /** Integer primary key backed by a sequence on PostgreSQL (null for app_meta). */
  idColumn: string | null;
  /** The carried columns, in canonical-line order. */
  columns: Column[];
  /** Stored beside them, never carried or checksummed. */
  derived: readonly DerivedColumn[];
};

const col = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });
const ref = (name: string, table: string, nullable = false): Column => ({
  ...col(name, "int", nullable),
  references: table,
});

const SCHEMA_1: readonly Table[] = [
  { name: "app_meta", idColumn: null, columns: [col("key", "text"), col("value", "text")] },
  {
    name: "families",
    idColumn: "id",
    columns: [col("id", "int"), col("name", "text"), col("currency", "text"), col("created_at", "datetime")],
  },
  {
    name: "users",
    idColumn: "id",
    columns: [
      col("id", "int"),
      ref("family_id", "families"),
      col("username", "text"),
      col("display_name", "text", true),
      col("password_hash", "text"),
      col("role", "text"),
      col("active", "bool"),
      col("created_at", "datetime"),
    ],
  },
  {
    name: "sessions",
    idColumn: "id",
    columns: [
      col("id", "int"),
      ref("user_id", "users"),
      col("token_hash", "text"),
      col("expires_at", "datetime"),
      col("created_at", "datetime"),
      col("last_seen_at", "datetime"),
    ],
  },
  {
    name: "accounts",
    idColumn: "id",
    columns: [
      col("id", "int"),
      ref("family_id", "families"),
      col("name", "text"),
      col("archived", "bool"),
      col("created_at", "datetime"),
    ],
  },
  {
    name: "categories",
    idColumn: "id",
    columns: [
      col("id", "int"),
      ref("family_id", "families"),
      col("name", "text"),
      col("archived", "bool"),
      col("created_at", "datetime"),
    ],
  },
  {
    name: "transactions",
    idColumn: "id",
    columns: [
      col("id", "int"),
      ref("account_id", "accounts"),
      ref("category_id", "categories", true),
      ref("user_id", "users"),
      col("amount_cents", "bigint"),
      col("description", "text"),
      col("occurred_at", "datetime"),
      col("reconciled", "bool"),
      col("created_at", "datetime"),
    ],
  },
  {
    name: "events",
    idColumn: "id",
    columns: [
      col("id", "int"),
      col("kind", "text"),
      col("message", "text"),
      col("details", "text", true),
      col("created_at", "datetime"),
    ],
  },
].map((t) => ({ ...t, derived: [] }));

/**
 * Schema 2: the family's time zone as a column (schema 1 kept it in app_meta), each user's
 * last sign-in, and the folded description for accent-insensitive search.
 */
const SCHEMA_2: readonly Table[] = evolve(SCHEMA_1, {
  families: { add: [col("time_zone", "text")] },
  users: { add: [col("last_sign_in_at", "datetime", true)] },
  transactions: { derive: [{ name: "search_text", from: "description", derive: foldForSearch }] },
});

/** The tables of each schema version the app knows, 1 to the latest. */
const SCHEMAS: readonly (readonly Table[])[] = [SCHEMA_1, SCHEMA_2];

export const LATEST_SCHEMA_VERSION = SCHEMAS.length;

/** The tables at a schema version (1 … LATEST_SCHEMA_VERSION). */
export function tablesAt(version: number): readonly Table[] {
  const tables = SCHEMAS[version - 1];
  if (!Number.isInteger(version) || !tables) throw new Error(`no schema version ${version}`);
  return tables;
}

export const TABLES: readonly Table[] = tablesAt(LATEST_SCHEMA_VERSION);

function evolve(
  tables: readonly Table[],
  changes: Record<string, { add?: Column[]; derive?: DerivedColumn[] }>,
): readonly Table[] {
  return tables.map((t) => {
    const change = changes[t.name];
    if (!change) return t;
    return { ...t, columns: [...t.columns, ...(change.add ?? [])], derived: [...t.derived, ...(change.derive ?? [])] };
  });
}

/** Every column a table stores: the carried ones, then the derived ones. */
export function storedColumnNames(table: Table): string[] {
  return [...table.columns.map((c) => c.name), ...table.derived.map((d) => d.name)];
}

export const TABLE_NAMES = TABLES.map((t) => t.name);

export function getTable(name: string, tables: readonly Table[] = TABLES): Table {
  const table = tables.find((t) => t.name === name);
  if (!table) throw new Error(`unknown table ${name}`);
  return table;
}

/** Double-quoted identifier; our names are fixed, but quote anyway so reserved words work. */
export const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
