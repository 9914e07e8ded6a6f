/**
 * Schema steps of every load into PostgreSQL, all inside the caller's transaction
 * (PostgreSQL DDL is transactional: until COMMIT, the old data is still there and a failure
 * anywhere rolls everything back).
 *
 * The `public` schema is dropped with everything in it and recreated from the committed
 * migrations — the same DDL as a fresh install — so nothing but the app's own objects
 * survives a restore: not a function, trigger, extra constraint or index that got there
 * any other way. (The app's role owns its database, so it may drop and create `public`.)
 * Primary keys, unique constraints, indexes and foreign keys are then set aside and
 * recreated after the data is loaded: bulk COPY into bare tables and one index build per
 * index is several times faster than maintaining them row by row.
 */
import type pg from "pg";
import { loadMigrations } from "../../db/schema.ts";
import { TABLES, q } from "../../db/tables.ts";
import { latestSchemaVersion } from "../../db/migrate.ts";
import { log } from "../../log.ts";

export type DeferredDdl = { constraints: string[]; indexes: string[]; foreignKeys: string[] };

/** The schema at `version` (its migrations only), keys, indexes and foreign keys set aside. */
export async function recreateBareSchema(
  client: pg.ClientBase,
  version: number = latestSchemaVersion("postgresql"),
): Promise<DeferredDdl> {
  await client.query("DROP SCHEMA IF EXISTS public CASCADE");
  // Exactly as PostgreSQL 15 creates it: owned by whoever owns the database, usable by all,
  // so that pg_dump of the result is the same as of a fresh install (no SCHEMA entry).
  await client.query("CREATE SCHEMA public AUTHORIZATION pg_database_owner");
  await client.query("GRANT USAGE ON SCHEMA public TO PUBLIC");
  await client.query("COMMENT ON SCHEMA public IS 'standard public schema'");
  for (const m of loadMigrations("postgresql").filter((m) => m.version <= version)) await client.query(m.sql);
  log("PG_MIGRATION", `schema ${version} built from the committed migrations`);

  const { rows: cons } = await client.query<{ tbl: string; name: string; type: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, contype AS type, pg_get_constraintdef(oid) AS def
       FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')`,
  );
  const { rows: idx } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      WHERE c.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  const deferred: DeferredDdl = { constraints: [], indexes: [], foreignKeys: [] };
  // Drop in dependency order: foreign keys, then plain indexes, then keys.
  for (const c of cons.filter((c) => c.type === "f")) {
    await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`);
    deferred.foreignKeys.push(`ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}`);
  }
  for (const i of idx) {
    await client.query(`DROP INDEX ${i.name}`);
    deferred.indexes.push(i.def);
  }
  for (const c of cons.filter((c) => c.type !== "f")) {
    await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`);
    deferred.constraints.push(`ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}`);
  }
  return deferred;
}

export async function applyDeferredDdl(client: pg.ClientBase, ddl: DeferredDdl): Promise<void> {
  for (const sql of [...ddl.constraints, ...ddl.indexes, ...ddl.foreignKeys]) await client.query(sql);
  log("PG_MIGRATION", `keys, ${ddl.indexes.length} indexes and ${ddl.foreignKeys.length} foreign keys created`);
}

/** Every sequence just past its table's largest id; an empty table's next id is 1. */
export async function resetSequences(client: pg.ClientBase): Promise<void> {
  for (const t of TABLES) {
    if (!t.idColumn) continue;
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${q(t.idColumn)}), 1), max(${q(t.idColumn)}) IS NOT NULL) FROM ${q(t.name)}`,
      [t.name, t.idColumn],
    );
  }
  log("PG_MIGRATION", "sequences reset past the largest ids");
}
