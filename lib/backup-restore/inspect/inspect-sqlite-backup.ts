/**
 * Everything we learn from an uploaded SQLite file before touching the live database:
 * is it intact, is it this app's, at which schema version, who is in it (the preview) and
 * the checksum of every table (what the live database must equal after the restore).
 *
 * The file is untrusted: it is opened read-only, with trusted_schema off (no functions run
 * from its schema), cell-size checks on and memory mapping off (a corrupt page cannot make
 * us read out of bounds), and no SQL text from it is ever executed.
 */
import Database from "better-sqlite3";
import { TableHasher, sqliteCanonicalSelect, type Checksums } from "../../db/checksum.ts";
import { APP_ID, latestSchemaVersion, readMeta } from "../../db/schema.ts";
import { q, storedColumnNames, tablesAt, type Table } from "../../db/tables.ts";
import { versionRefusal, type BackupFacts } from "./backup-facts.ts";
import { NOT_CARRIED } from "../engine/records.ts";
import type { Preview, RefusalCode, RefusalValues } from "../vocabulary.ts";
import { RecordChecker } from "./check-records.ts";
import type { Finding } from "./preflight.ts";

export type SqliteInspection =
  | ({
      ok: true;
      preview: Preview;
      checksums: Checksums;
      /** Values the app cannot take (check-records.ts), when checksums were asked for. */
      findings: Finding[];
    } & BackupFacts)
  | { ok: false; code: RefusalCode; details?: string; values?: RefusalValues };

export function openUntrustedSqlite(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("query_only = ON");
  db.pragma("trusted_schema = OFF");
  db.pragma("cell_size_check = ON");
  db.pragma("mmap_size = 0");
  // A small page cache: validation reads each page about once, and the child stays light.
  db.pragma("cache_size = -2000");
  return db;
}

type Refusal = Extract<SqliteInspection, { ok: false }>;
export type SchemaObject = { type: string; name: string; tbl_name: string; sql: string | null };

/** How the isolated child tells its parent, on stderr, how many rows it has checked. */
export const PROGRESS_PREFIX = "#progress ";

/** Rows checked so far of the file's rows: told every few thousand rows while they are read. */
export type RowsChecked = (done: number, total: number) => void;

export function inspectSqliteBackup(
  path: string,
  options: { checksums?: boolean; onRows?: RowsChecked } = {},
): SqliteInspection {
  let db: Database.Database;
  try {
    db = openUntrustedSqlite(path);
  } catch (error) {
    return { ok: false, code: "SQLITE_CORRUPT", details: (error as Error).message };
  }
  try {
    const damaged = checkIntegrity(db);
    if (damaged) return damaged;
    const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master").all() as SchemaObject[];
    const facts = checkAppAndVersion(db, objects);
    if (!facts.ok) return facts;
    const tables = tablesAt(facts.schemaVersion);
    const refused = checkTables(db, objects, tables);
    if (refused) return refused;
    const family = db.prepare("SELECT id, name FROM families ORDER BY id LIMIT 1").get() as
      { id: number; name: string } | undefined;
    if (!family) return { ok: false, code: "NO_FAMILY" };
    const users = db.prepare("SELECT username, role FROM users ORDER BY id").all() as {
      username: string;
      role: string;
    }[];
    const { checksums, findings } = options.checksums
      ? hashAndCheck(db, tables, options.onRows)
      : { checksums: {}, findings: [] };
    return {
      ok: true,
      schemaVersion: facts.schemaVersion,
      ...(facts.appVersion ? { appVersion: facts.appVersion } : {}),
      ...(facts.createdAt ? { createdAt: facts.createdAt } : {}),
      rows: options.checksums
        ? Object.fromEntries(Object.entries(checksums).map(([name, c]) => [name, c.rows]))
        : countRows(db, tables),
      preview: { family: { name: family.name }, users },
      checksums,
      findings,
    };
  } catch (error) {
    // SQLITE_CORRUPT, SQLITE_NOTADB and friends while reading pages.
    return { ok: false, code: "SQLITE_CORRUPT", details: (error as Error).message };
  } finally {
    db.close();
  }
}

const ROWS_PER_REPORT = 10_000;

/**
 * One pass over every row, as the canonical lines a load would stream: each table's checksum
 * (what the live database must equal afterwards) and the value checks of check-records.ts.
 */
function hashAndCheck(
  db: Database.Database,
  tables: readonly Table[],
  onRows?: RowsChecked,
): { checksums: Checksums; findings: Finding[] } {
  const checksums: Checksums = {};
  const checker = new RecordChecker();
  // Counting first costs a fraction of the pass below, and gives the pass a total.
  const total = onRows ? Object.values(countRows(db, tables)).reduce((a, b) => a + b, 0) : 0;
  let done = 0;
  for (const table of tables) {
    const hasher = new TableHasher(table);
    const check = NOT_CARRIED.has(table.name) ? null : checker.table(table);
    for (const line of db.prepare(sqliteCanonicalSelect(table)).pluck().iterate() as Iterable<string>) {
      hasher.addLine(line);
      check?.(line);
      if (onRows && ++done % ROWS_PER_REPORT === 0) onRows(done, total);
    }
    checksums[table.name] = hasher.digest();
  }
  onRows?.(done, Math.max(done, total));
  return { checksums, findings: checker.findings() };
}

/** SQLite's own check of every page: a damaged file is refused before anything else is read. */
function checkIntegrity(db: Database.Database): Refusal | null {
  const integrity = db.pragma("integrity_check(20)", { simple: false }) as { integrity_check: string }[];
  if (integrity.length === 1 && integrity[0]?.integrity_check === "ok") return null;
  return {
    ok: false,
    code: "SQLITE_CORRUPT",
    details: integrity
      .map((r) => r.integrity_check)
      .join("; ")
      .slice(0, 500),
  };
}

function countRows(db: Database.Database, tables: readonly Table[]): Record<string, number> {
  return Object.fromEntries(
    tables.map((t) => [t.name, (db.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n]),
  );
}

/**
 * This app's marker, at a schema version this app reads (1 … latest: an older one is
 * upgraded by the restore), with what app_meta says about the file.
 */
export function checkAppAndVersion(
  db: Database.Database,
  objects: SchemaObject[],
): Refusal | ({ ok: true } & BackupFacts) {
  if (!objects.some((o) => o.name === "app_meta" && o.type === "table"))
    return { ok: false, code: "NOT_THIS_APP", details: "no app_meta table" };
  const rows = db.prepare("SELECT key, value FROM app_meta").all() as { key: string; value: string }[];
  const meta = readMeta(rows);
  if (meta.app !== APP_ID)
    return { ok: false, code: "NOT_THIS_APP", details: `app marker is "${meta.app ?? "missing"}"` };
  const refused = versionRefusal(meta.version, latestSchemaVersion("sqlite"));
  if (refused) return refused;
  const get = (key: string) => rows.find((r) => r.key === key)?.value;
  const appVersion = get("app_version");
  const createdAt = get("backup_created_at");
  return {
    ok: true,
    schemaVersion: meta.version,
    ...(appVersion ? { appVersion: String(appVersion) } : {}),
    ...(createdAt ? { createdAt: String(createdAt) } : {}),
  };
}

/** Every table of the app with exactly its columns, and nothing our schema never has (views, triggers). */
function checkTables(db: Database.Database, objects: SchemaObject[], tables: readonly Table[]): Refusal | null {
  // A virtual table runs its module's code when read: never one of ours.
  const kindOf = new Map(
    objects.map((o) => [o.name, /^\s*CREATE\s+VIRTUAL\b/i.test(o.sql ?? "") ? "virtual table" : o.type]),
  );
  for (const table of tables) {
    if (kindOf.get(table.name) !== "table") {
      return {
        ok: false,
        code: "SCHEMA_MISMATCH",
        details: `${table.name} is ${kindOf.get(table.name) ?? "missing"}, expected a table`,
      };
    }
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table.name) as { name: string }[]).map(
      (c) => c.name,
    );
    const expected = storedColumnNames(table);
    if (columns.length !== expected.length || expected.some((c) => !columns.includes(c))) {
      return {
        ok: false,
        code: "SCHEMA_MISMATCH",
        details: `${table.name} has columns (${columns.join(", ")}), expected (${expected.join(", ")})`,
      };
    }
  }
  const foreign = objects.filter((o) => o.type === "view" || o.type === "trigger");
  if (!foreign.length) return null;
  return {
    ok: false,
    code: "SCHEMA_MISMATCH",
    details: `unexpected ${foreign.map((o) => `${o.type} ${o.name}`).join(", ")}`.slice(0, 500),
  };
}

/**
 * What a SQLite file says about itself (`wimm detect`), read-only and refusing nothing: the
 * app marker, schema version, app version and creation time from its app_meta, and the rows
 * of each of the app's tables it holds. Null fields when the file is not this app's.
 */
export function readSqliteFacts(path: string): {
  app: string | null;
  schemaVersion: number | null;
  appVersion?: string;
  createdAt?: string;
  rows?: Record<string, number>;
} {
  const db = openUntrustedSqlite(path);
  try {
    const names = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    if (!names.has("app_meta")) return { app: null, schemaVersion: null };
    const rows = db.prepare("SELECT key, value FROM app_meta LIMIT 1000").all() as { key: string; value: unknown }[];
    const get = (key: string) => {
      const value = rows.find((r) => r.key === key)?.value;
      return value === undefined || value === null ? undefined : String(value);
    };
    const app = get("app") ?? null;
    if (app !== APP_ID) return { app, schemaVersion: null };
    const version = Number(get("schema_version"));
    const known = Number.isInteger(version) && version >= 1 && version <= latestSchemaVersion("sqlite");
    const tables = (known ? tablesAt(version) : tablesAt(latestSchemaVersion("sqlite"))).filter((t) =>
      names.has(t.name),
    );
    const appVersion = get("app_version");
    const createdAt = get("backup_created_at");
    return {
      app,
      schemaVersion: Number.isInteger(version) ? version : null,
      ...(appVersion ? { appVersion } : {}),
      ...(createdAt ? { createdAt } : {}),
      rows: countRows(db, tables),
    };
  } finally {
    db.close();
  }
}
