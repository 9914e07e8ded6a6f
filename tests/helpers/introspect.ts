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

/**
 * Everything a database holds besides rows, for "the live schema is exactly a freshly created
 * database's, with nothing from a backup planted in it": the tables' shape above, plus every
 * other object as one sorted line each.
 *   SQLite      every sqlite_master row (type, name, table, its SQL with whitespace
 *               normalised), and the header's user_version and application_id
 *   PostgreSQL  functions and procedures in public (with a digest of their source),
 *               non-internal triggers and event triggers, sequences (type, bounds, owner
 *               column), views and materialized views, CHECK constraints, rules, policies
 *               and row security, extensions, schemas, types, operators, and table ACLs
 */
export type DatabaseShape = { tables: SchemaShape; objects: string[] };

export async function describeDatabase(target: DatabaseTarget): Promise<DatabaseShape> {
  const [tables, objects] = await Promise.all([
    describeSchema(target),
    target.engine === "sqlite" ? sqliteObjects(target) : postgresObjects(target),
  ]);
  return { tables, objects: objects.sort() };
}

const normaliseSql = (sql: string | null) => (sql === null ? "NULL" : sql.replace(/\s+/g, " ").trim());

async function sqliteObjects(target: DatabaseTarget): Promise<string[]> {
  const rows = await querySql<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    target,
    "SELECT type, name, tbl_name, sql FROM sqlite_master",
  );
  const [{ user_version }] = (await querySql<{ user_version: number }>(target, "PRAGMA user_version")) as [
    { user_version: number },
  ];
  const [{ application_id }] = (await querySql<{ application_id: number }>(target, "PRAGMA application_id")) as [
    { application_id: number },
  ];
  return [
    ...rows.map((r) => `${r.type} ${r.name} ON ${r.tbl_name}: ${normaliseSql(r.sql)}`),
    `pragma user_version ${user_version}`,
    `pragma application_id ${application_id}`,
  ];
}

/** [label, SQL returning one text column `line`] per kind of object. */
const POSTGRES_OBJECTS: [string, string][] = [
  [
    "function",
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') kind ' || p.prokind::text
            || ' language ' || l.lanname || CASE WHEN p.prosecdef THEN ' SECURITY DEFINER' ELSE '' END
            || ' source md5 ' || md5(coalesce(p.prosrc, '')) AS line
       FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
      WHERE p.pronamespace = 'public'::regnamespace`,
  ],
  [
    "trigger",
    `SELECT pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'D' THEN ' (disabled)' ELSE '' END AS line
       FROM pg_trigger t WHERE NOT t.tgisinternal`,
  ],
  [
    "event trigger",
    `SELECT evtname || ' ON ' || evtevent || ' ' || evtfoid::regproc::text AS line FROM pg_event_trigger`,
  ],
  [
    "sequence",
    `SELECT s.seqrelid::regclass::text || ' ' || format_type(s.seqtypid, NULL) || ' start ' || s.seqstart
            || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax
            || ' cache ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END
            || coalesce(' owned by ' || (SELECT d.refobjid::regclass::text || '.' || a.attname
                 FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i')), '') AS line
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
      WHERE c.relnamespace = 'public'::regnamespace`,
  ],
  [
    "view",
    `SELECT CASE c.relkind WHEN 'm' THEN 'materialized ' ELSE '' END || c.relname || ': '
            || regexp_replace(pg_get_viewdef(c.oid), '\\s+', ' ', 'g') AS line
       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')`,
  ],
  [
    "check",
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'c'`,
  ],
  [
    "rule",
    `SELECT tablename || ' ' || rulename || ': ' || definition AS line FROM pg_rules WHERE schemaname = 'public'`,
  ],
  [
    "policy",
    `SELECT tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') AS line
       FROM pg_policies WHERE schemaname = 'public'`,
  ],
  [
    "row security",
    `SELECT relname || CASE WHEN relforcerowsecurity THEN ' (forced)' ELSE '' END AS line
       FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relrowsecurity`,
  ],
  ["extension", `SELECT extname AS line FROM pg_extension WHERE extname <> 'plpgsql'`],
  [
    "schema",
    `SELECT nspname AS line FROM pg_namespace
      WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  ],
  [
    "type",
    `SELECT t.typname || ' ' || t.typtype::text AS line FROM pg_type t
       LEFT JOIN pg_class c ON c.oid = t.typrelid
      WHERE t.typnamespace = 'public'::regnamespace AND t.typelem = 0
        AND (t.typtype IN ('d', 'e', 'r', 'm') OR (t.typtype = 'c' AND c.relkind = 'c'))`,
  ],
  [
    "operator",
    `SELECT oprname || ' ' || oprleft::regtype::text || ' ' || oprright::regtype::text AS line
       FROM pg_operator WHERE oprnamespace = 'public'::regnamespace`,
  ],
  [
    "acl",
    `SELECT relname || ' ' || relacl::text AS line FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relacl IS NOT NULL`,
  ],
];

async function postgresObjects(target: DatabaseTarget): Promise<string[]> {
  const lines: string[] = [];
  for (const [label, sql] of POSTGRES_OBJECTS)
    for (const { line } of await querySql<{ line: string }>(target, sql)) lines.push(`${label} ${line}`);
  return lines;
}
