/**
 * The shape of a live schema, read from the engine's catalog and normalised so that two
 * databases built different ways (committed migrations vs. Prisma's DDL; a restore vs. a
 * fresh start) can be compared with one `toEqual`.
 */
import type { DatabaseTarget } from "../../lib/db/url.ts";
import { querySql } from "./databases.ts";

export type SchemaShape = Record<string, { columns: string[]; indexes: string[]; constraints: string[] }>;

export async function describeSchema(target: DatabaseTarget): Promise<SchemaShape> {
  return target.engine === "sqlite" ? describeSqlite(target) : describePostgres(target);
}

async function describeSqlite(target: DatabaseTarget): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const tables = await querySql<{ name: string }>(
    target,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  for (const { name } of tables) {
    const columns = (
      await querySql<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(
        target,
        'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)',
        [name],
      )
    ).map(
      (c) => `${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""}${c.pk ? ` PK${c.pk}` : ""} DEFAULT ${c.dflt_value}`,
    );
    const indexes: string[] = [];
    for (const ix of await querySql<{ name: string; unique: number; origin: string }>(
      target,
      'SELECT name, "unique", origin FROM pragma_index_list(?)',
      [name],
    )) {
      const cols = (
        await querySql<{ name: string }>(target, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", [ix.name])
      )
        .map((c) => c.name)
        .join(",");
      indexes.push(`${ix.name} ${ix.unique ? "UNIQUE " : ""}${ix.origin} (${cols})`);
    }
    const constraints = (
      await querySql<{ table: string; from: string; to: string; on_update: string; on_delete: string }>(
        target,
        'SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)',
        [name],
      )
    ).map((f) => `FK ${f.from} -> ${f.table}(${f.to}) ON UPDATE ${f.on_update} ON DELETE ${f.on_delete}`);
    const autoincrement = (
      await querySql<{ sql: string }>(target, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
    )[0]?.sql.includes("AUTOINCREMENT");
    if (autoincrement) constraints.push("AUTOINCREMENT");
    shape[name] = { columns: columns.sort(), indexes: indexes.sort(), constraints: constraints.sort() };
  }
  return shape;
}

async function describePostgres(target: DatabaseTarget): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const columns = await querySql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    target,
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  for (const c of columns) {
    shape[c.table_name] ??= { columns: [], indexes: [], constraints: [] };
    shape[c.table_name]!.columns.push(
      `${c.column_name} ${c.data_type}${c.is_nullable === "NO" ? " NOT NULL" : ""} DEFAULT ${c.column_default}`,
    );
  }
  for (const ix of await querySql<{ tablename: string; indexdef: string }>(
    target,
    "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
  )) {
    shape[ix.tablename]?.indexes.push(ix.indexdef);
  }
  for (const c of await querySql<{ table_name: string; conname: string; def: string }>(
    target,
    `SELECT rel.relname AS table_name, con.conname, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
     JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = 'public'`,
  )) {
    shape[c.table_name]?.constraints.push(`${c.conname} ${c.def}`);
  }
  for (const t of Object.values(shape)) {
    t.indexes.sort();
    t.constraints.sort();
  }
  return shape;
}
