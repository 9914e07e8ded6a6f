/**
 * Every table of the app's schema, in dependency order (parents first), with each column's
 * logical type. Backup verification, checksums, the SQLite → PostgreSQL copy and the JSON
 * lines export all walk this one list; a test checks it against the migrated schema of both
 * engines, so a model change that forgets it fails the suite.
 */
export type ColumnType = "int" | "bigint" | "text" | "bool" | "datetime";

export type Column = {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The table whose `id` this column points to (a foreign key of the app's schema). */
  references?: string;
};

export type Table = {
  name: string;
  /** Integer primary key backed by a sequence on PostgreSQL (null for app_meta). */
  idColumn: string | null;
  columns: Column[];
};

const col = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });
const ref = (name: string, table: string, nullable = false): Column => ({
  ...col(name, "int", nullable),
  references: table,
});

export const TABLES: readonly Table[] = [
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
];

export const TABLE_NAMES = TABLES.map((t) => t.name);

export function getTable(name: string): Table {
  const table = TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`unknown table ${name}`);
  return table;
}

/** Double-quoted identifier; our names are fixed, but quote anyway so reserved words work. */
export const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
