/**
 * Schema steps of every load into PostgreSQL, all inside the caller's transaction
 * (PostgreSQL DDL is transactional: until COMMIT, the old data is still there and a failure
 * anywhere rolls everything back).
 *
 * The target schema — `public`, the live one, for a restore; a scratch schema of the same
 * database for a drill — is dropped with everything in it and recreated from the committed
 * migrations — the same DDL as a fresh install — so nothing but the app's own objects
 * survives a restore: not a function, trigger, extra constraint or index that got there
 * any other way. (The app's role owns its database, so it may drop and create schemas.)
 * Primary keys, unique constraints, indexes and foreign keys are then set aside and
 * recreated after the data is loaded: bulk COPY into bare tables and one index build per
 * index is several times faster than maintaining them row by row.
 *
 * Names. The committed migrations and the app's own statements name tables unqualified, so
 * the caller's `search_path` decides where they land: the target schema alone
 * (setTargetSearchPath), except while migrations run, which also see the schema of the
 * extensions they use (pg_trgm's operator class, `gin_trgm_ops`: an extension lives in one
 * schema of the database, normally `public`). Catalog reads here name the target schema
 * explicitly. A load into a scratch schema must never touch `public`: the loader proves it
 * before COMMIT (guard-schema.ts).
 */
import type pg from "pg";
import { loadMigrations } from "../../db/schema.ts";
import { TABLES, q } from "../../db/tables.ts";
import { MIGRATION_EXTENSIONS, latestSchemaVersion } from "../../db/migrate.ts";
import { log } from "../../log.ts";

export type DeferredDdl = { constraints: string[]; indexes: string[]; foreignKeys: string[] };

/** The live schema, where the app's tables are; the default target of every load. */
export const LIVE_SCHEMA = "public";

/**
 * A target schema's name, checked before it goes anywhere near SQL: lower-case letters,
 * digits and underscores only, at most 63 bytes (PostgreSQL's limit), never `pg_…`
 * (reserved for the system). Returns the name, or throws: a bad name is a bug of the caller.
 */
export function checkSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name) || name.startsWith("pg_"))
    throw new Error(`not a usable schema name: ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

/** Unqualified names resolve in the target schema and nowhere else (pg_catalog aside). */
export async function setTargetSearchPath(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`SET LOCAL search_path = ${q(checkSchemaName(schema))}`);
}

/**
 * Runs committed migrations with the target schema first on the search path and, after it,
 * the schemas where the extensions they use are installed (their CREATE TABLE lands in the
 * target; `gin_trgm_ops` is found where pg_trgm lives); then the target alone again.
 * For `public` this is `public` alone whenever pg_trgm is there (or not yet installed:
 * the migration installs it there), as it always was.
 * Into any other schema, an extension that is not installed is refused: the migration would
 * install it in `public`.
 */
export async function withMigrationSearchPath<T>(
  client: pg.ClientBase,
  schema: string,
  run: () => Promise<T>,
): Promise<T> {
  const { rows } = await client.query<{ extname: string; schema: string }>(
    `SELECT e.extname, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = ANY($1::text[])`,
    [[...MIGRATION_EXTENSIONS]],
  );
  if (schema !== LIVE_SCHEMA) {
    const missing = MIGRATION_EXTENSIONS.filter((e) => !rows.some((r) => r.extname === e));
    if (missing.length)
      throw new Error(
        `the extension ${missing.join(", ")} is not installed in this database: the migrations would install it in ${LIVE_SCHEMA}, not in ${schema}`,
      );
  }
  const path = [...new Set([checkSchemaName(schema), ...rows.map((r) => r.schema)])];
  await client.query(`SET LOCAL search_path = ${path.map(q).join(", ")}`);
  const result = await run();
  await setTargetSearchPath(client, schema);
  return result;
}

/**
 * The target schema at `version` (its migrations only), keys, indexes and foreign keys set
 * aside. The caller has set the search path to the target schema (setTargetSearchPath).
 */
export async function recreateBareSchema(
  client: pg.ClientBase,
  version: number = latestSchemaVersion("postgresql"),
  schema: string = LIVE_SCHEMA,
): Promise<DeferredDdl> {
  const target = q(checkSchemaName(schema));
  await client.query(`DROP SCHEMA IF EXISTS ${target} CASCADE`);
  if (schema === LIVE_SCHEMA) {
    // Exactly as PostgreSQL 15 creates it: owned by whoever owns the database, usable by all,
    // so that pg_dump of the result is the same as of a fresh install (no SCHEMA entry).
    await client.query("CREATE SCHEMA public AUTHORIZATION pg_database_owner");
    await client.query("GRANT USAGE ON SCHEMA public TO PUBLIC");
    await client.query("COMMENT ON SCHEMA public IS 'standard public schema'");
  } else {
    // A scratch copy of the family's data: the app's role's own, granted to nobody.
    await client.query(`CREATE SCHEMA ${target}`);
  }
  await withMigrationSearchPath(client, schema, async () => {
    for (const m of loadMigrations("postgresql").filter((m) => m.version <= version)) await client.query(m.sql);
  });
  log("PG_MIGRATION", `schema ${version} built from the committed migrations in ${schema}`);

  // Read with the target alone on the search path: the definitions name what is outside it
  // in full (public.gin_trgm_ops), and the tables here by the names that resolve to the target.
  const { rows: cons } = await client.query<{ tbl: string; name: string; type: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, contype AS type, pg_get_constraintdef(oid) AS def
       FROM pg_constraint
      WHERE connamespace = $1::regnamespace AND contype IN ('p', 'u', 'f')`,
    [target],
  );
  const { rows: idx } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      WHERE c.relnamespace = $1::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [target],
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

/**
 * Every sequence of the target schema just past its table's largest id; an empty table's
 * next id is 1. Named in full, not through the search path: setval is not transactional
 * (a ROLLBACK does not undo it), so it must never reach a sequence of another schema.
 */
export async function resetSequences(client: pg.ClientBase, schema: string = LIVE_SCHEMA): Promise<void> {
  const target = q(checkSchemaName(schema));
  for (const t of TABLES) {
    if (!t.idColumn) continue;
    const table = `${target}.${q(t.name)}`;
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${q(t.idColumn)}), 1), max(${q(t.idColumn)}) IS NOT NULL) FROM ${table}`,
      [table, t.idColumn],
    );
  }
  log("PG_MIGRATION", "sequences reset past the largest ids");
}
