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
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget, Engine } from "./url.ts";

export const APP_ID = "wimm-finance";

export type Migration = { version: number; name: string; sql: string };

export function migrationsDir(engine: Engine): string {
  return join(process.env.WIMM_ROOT ?? process.cwd(), "prisma", "migrations", engine);
}

export function loadMigrations(engine: Engine): Migration[] {
  const files = readdirSync(migrationsDir(engine))
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return files.map((file) => ({
    version: Number(file.slice(0, 4)),
    name: file.replace(/\.sql$/, ""),
    sql: readFileSync(join(migrationsDir(engine), file), "utf8"),
  }));
}

export function latestSchemaVersion(engine: Engine = "sqlite"): number {
  const all = loadMigrations(engine);
  return all.length ? all[all.length - 1]!.version : 0;
}

export class SchemaError extends Error {
  constructor(
    readonly code: "NOT_THIS_APP" | "NEWER_SCHEMA",
    message: string,
  ) {
    super(message);
  }
}

export type EnsureSchemaResult = { created: boolean; applied: string[]; version: number };

/** Create the schema on an empty database, or bring an older one up to date. Idempotent. */
export async function ensureSchema(target: DatabaseTarget): Promise<EnsureSchemaResult> {
  return target.engine === "sqlite" ? ensureSqliteSchema(target.path) : ensurePostgresSchema(target.url);
}

function pending(engine: Engine, current: number) {
  const all = loadMigrations(engine);
  const latest = all.length ? all[all.length - 1]!.version : 0;
  if (current > latest) {
    throw new SchemaError(
      "NEWER_SCHEMA",
      `The database has schema version ${current}, newer than this app's ${latest}: upgrade WIMM-Finance first.`,
    );
  }
  return { todo: all.filter((m) => m.version > current), latest };
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
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
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
        const { todo, latest } = pending("sqlite", current);
        for (const m of todo) db.exec(m.sql);
        const upsert = db.prepare(META_SQL(() => "?"));
        upsert.run("app", APP_ID);
        upsert.run("schema_version", String(latest));
        return { created: current === 0, applied: todo.map((m) => m.name), version: latest };
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
    const { todo, latest } = pending("postgresql", current);
    for (const m of todo) await client.query(m.sql);
    let i = 0;
    const sql = META_SQL(() => `$${++i}`);
    await client.query(sql, ["app", APP_ID]);
    i = 0;
    await client.query(
      META_SQL(() => `$${++i}`),
      ["schema_version", String(latest)],
    );
    await client.query("COMMIT");
    return { created: current === 0, applied: todo.map((m) => m.name), version: latest };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

type MetaRow = { key: string; value: string };

export function readMeta(rows: MetaRow[]): { app: string | undefined; version: number } {
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const version = Number(map.get("schema_version") ?? "0");
  return { app: map.get("app"), version: Number.isInteger(version) ? version : 0 };
}
