/**
 * Applying the schema: the committed SQL migrations of prisma/migrations/<engine>/, numbered
 * NNNN_name.sql, generated from prisma/schema.prisma by `npm run db:migration`.
 *
 * We apply committed SQL ourselves rather than spawn the Prisma CLI at run time: it is the
 * same DDL on first start, on `wimm seed` and when a restore or migration recreates the
 * schema; it needs no dev tooling on a production box; and it takes milliseconds instead of
 * the seconds the Wasm schema engine needs to boot. A test checks that the migrations
 * produce exactly what prisma/schema.prisma describes.
 *
 * The database records who wrote it and its schema version in `app_meta`; backups and
 * restores rely on both.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { APP_VERSION } from "../app-version.ts";
import { latestSchemaVersion, migratePostgres, migrateSqlite } from "./migrate.ts";
import type { DatabaseTarget, Engine } from "./url.ts";

export const APP_ID = "wimm-finance";

export { latestSchemaVersion, loadMigrations, migrationsDir, type Migration } from "./migrate.ts";

export class SchemaError extends Error {
  constructor(
    readonly code: "NOT_THIS_APP" | "NEWER_SCHEMA",
    message: string,
  ) {
    super(message);
  }
}

/**
 * The schema version a database is at (0: empty), read without changing anything; throws
 * SchemaError when it is not this app's. Start-up calls it to know whether migrations are
 * pending, and takes a safety backup first when they are (lib/app/bootstrap.ts).
 */
export async function readSchemaVersion(target: DatabaseTarget): Promise<number> {
  if (target.engine === "sqlite") {
    if (!existsSync(target.path)) return 0;
    const db = new Database(target.path, { readonly: true, timeout: 15000 });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all();
      if (!tables.length) return 0;
      if (!(tables as { name: string }[]).some((t) => t.name === "app_meta"))
        throw new SchemaError("NOT_THIS_APP", `${target.path} holds tables that are not WIMM-Finance's.`);
      const meta = readMeta(db.prepare("SELECT key, value FROM app_meta").all() as MetaRow[]);
      if (meta.app !== APP_ID) throw new SchemaError("NOT_THIS_APP", `${target.path} is not a WIMM-Finance database.`);
      return meta.version;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    if (!rows.length) return 0;
    if (!rows.some((r) => r.table_name === "app_meta"))
      throw new SchemaError("NOT_THIS_APP", "The PostgreSQL database holds tables that are not WIMM-Finance's.");
    const meta = readMeta((await client.query<MetaRow>("SELECT key, value FROM app_meta")).rows);
    if (meta.app !== APP_ID) throw new SchemaError("NOT_THIS_APP", "The PostgreSQL database is not WIMM-Finance's.");
    return meta.version;
  } finally {
    await client.end();
  }
}

export type EnsureSchemaResult = { created: boolean; applied: string[]; version: number };

/** Create the schema on an empty database, or bring an older one up to date. Idempotent. */
export async function ensureSchema(target: DatabaseTarget): Promise<EnsureSchemaResult> {
  return target.engine === "sqlite" ? ensureSqliteSchema(target.path) : ensurePostgresSchema(target.url);
}

function latestOrRefuse(engine: Engine, current: number): number {
  const latest = latestSchemaVersion(engine);
  if (current > latest) {
    throw new SchemaError(
      "NEWER_SCHEMA",
      `The database has schema version ${current}, newer than this app's ${latest}: upgrade WIMM-Finance first.`,
    );
  }
  return latest;
}

const META_SQL = (ph: (i: number) => string) =>
  `INSERT INTO app_meta (key, value) VALUES (${ph(1)}, ${ph(2)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

/**
 * The live SQLite file holds every password hash and transaction of the family, like the
 * backups (0600 in a 0700 folder): a new folder is made 0700 and a new file 0600 before
 * SQLite opens it (SQLite gives its -wal and -shm files the database file's mode); an
 * existing file readable by others is narrowed to 0600, side files included.
 */
export function ensurePrivateSqliteFile(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      // A runtime path (the live database), not a file of the build: nothing to trace.
      if ((statSync(/* turbopackIgnore: true */ file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      /* absent, or not ours to change: SQLite's own errors say more */
    }
  }
}

export function ensureSqliteSchema(path: string): EnsureSchemaResult {
  ensurePrivateSqliteFile(path);
  const db = new Database(path, { timeout: 15000 });
  try {
    // WAL lets the app read while a writer writes; it is a property of the file and sticks.
    db.pragma("journal_mode = WAL");
    // Before BEGIN (inside a transaction the pragma is ignored): a migration that rebuilds a
    // table must not cascade its DROP into the child rows (lib/db/migrate.ts).
    db.pragma("foreign_keys = OFF");
    // BEGIN IMMEDIATE takes the write lock, so two processes starting at once cannot both
    // decide the database is empty.
    return db
      .transaction(() => {
        const tables = (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
            name: string;
          }[]
        ).map((r) => r.name);
        let current = 0;
        if (tables.length > 0) {
          if (!tables.includes("app_meta")) {
            throw new SchemaError("NOT_THIS_APP", `${path} holds tables that are not WIMM-Finance's.`);
          }
          const meta = readMeta(db.prepare("SELECT key, value FROM app_meta").all() as MetaRow[]);
          if (meta.app !== APP_ID) throw new SchemaError("NOT_THIS_APP", `${path} is not a WIMM-Finance database.`);
          current = meta.version;
        }
        const latest = latestOrRefuse("sqlite", current);
        const applied = current < latest ? migrateSqlite(db, current, latest) : [];
        const upsert = db.prepare(META_SQL(() => "?"));
        upsert.run("app", APP_ID);
        upsert.run("schema_version", String(latest));
        // A backup made from now on says which app made it (a dump carries it with no write).
        upsert.run("app_version", APP_VERSION);
        return { created: current === 0, applied, version: latest };
      })
      .immediate();
  } finally {
    db.close();
  }
}

export async function ensurePostgresSchema(url: string): Promise<EnsureSchemaResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    // Serialises concurrent first starts (app + CLI). Transaction-scoped, released on COMMIT.
    await client.query("SELECT pg_advisory_xact_lock(7261001)");
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const tables = rows.map((r) => r.table_name);
    let current = 0;
    if (tables.length > 0) {
      if (!tables.includes("app_meta")) {
        throw new SchemaError("NOT_THIS_APP", "The PostgreSQL database holds tables that are not WIMM-Finance's.");
      }
      const meta = readMeta((await client.query<MetaRow>("SELECT key, value FROM app_meta")).rows);
      if (meta.app !== APP_ID) throw new SchemaError("NOT_THIS_APP", "The PostgreSQL database is not WIMM-Finance's.");
      current = meta.version;
    }
    const latest = latestOrRefuse("postgresql", current);
    const applied = current < latest ? await migratePostgres(client, current, latest) : [];
    let i = 0;
    const sql = META_SQL(() => `$${++i}`);
    for (const [key, value] of [
      ["app", APP_ID],
      ["schema_version", String(latest)],
      ["app_version", APP_VERSION],
    ]) {
      i = 0;
      // Unchanged values are not written again: a start must not bump the table for nothing.
      await client.query(`${sql} WHERE app_meta.value IS DISTINCT FROM excluded.value`, [key, value]);
    }
    await client.query("COMMIT");
    return { created: current === 0, applied, version: latest };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export type MetaRow = { key: string; value: string };

export function readMeta(rows: MetaRow[]): { app: string | undefined; version: number } {
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const version = Number(map.get("schema_version") ?? "0");
  return { app: map.get("app"), version: Number.isInteger(version) ? version : 0 };
}
