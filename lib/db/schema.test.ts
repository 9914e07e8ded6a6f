import { chmodSync, cpSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTarget,
  createTempDir,
  enginesUnderTest,
  execSql,
  querySql,
  type TestDatabase,
} from "../../tests/helpers/databases.ts";
import { APP_VERSION } from "../app-version.ts";
import { APP_ID, SchemaError, ensureSchema, latestSchemaVersion, loadMigrations } from "./schema.ts";
import { TABLE_NAMES } from "./tables.ts";
import type { DatabaseTarget } from "./url.ts";

async function tableNames(target: DatabaseTarget): Promise<string[]> {
  const sql =
    target.engine === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
  return (await querySql<{ name: string }>(target, sql)).map((r) => r.name).sort();
}

async function meta(target: DatabaseTarget): Promise<Record<string, string>> {
  const rows = await querySql<{ key: string; value: string }>(target, "SELECT key, value FROM app_meta");
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

async function expectSchemaError(promise: Promise<unknown>, code: SchemaError["code"]) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaError);
  expect((error as SchemaError).code).toBe(code);
}

describe("migrations on disk", () => {
  it("are numbered 0001, 0002, ... without gaps, the same on both engines", () => {
    const sqlite = loadMigrations("sqlite").map((m) => m.name);
    const postgresql = loadMigrations("postgresql").map((m) => m.name);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(postgresql).toEqual(sqlite);
    expect(loadMigrations("sqlite").map((m) => m.version)).toEqual(sqlite.map((_, i) => i + 1));
    expect(latestSchemaVersion("postgresql")).toBe(latestSchemaVersion("sqlite"));
  });
});

describe.each(enginesUnderTest)("ensureSchema on %s", (engine) => {
  let db: TestDatabase;
  const latest = latestSchemaVersion(engine);
  afterEach(async () => {
    delete process.env.WIMM_ROOT;
    await db?.cleanup();
  });

  it("creates every table on an empty database and records the app and schema version", async () => {
    db = await createTarget(engine);
    const result = await ensureSchema(db.target);
    expect(result).toEqual({
      created: true,
      applied: loadMigrations(engine).map((m) => m.name),
      version: latest,
    });
    expect(await tableNames(db.target)).toEqual([...TABLE_NAMES].sort());
    expect(await meta(db.target)).toEqual({ app: APP_ID, schema_version: String(latest), app_version: APP_VERSION });
  });

  it("is idempotent: a second call applies nothing and keeps the data", async () => {
    db = await createTarget(engine);
    await ensureSchema(db.target);
    await querySql(db.target, "INSERT INTO families (name, currency) VALUES (?, ?)", ["Silva", "BRL"]);
    expect(await ensureSchema(db.target)).toEqual({ created: false, applied: [], version: latest });
    expect(await querySql(db.target, "SELECT name FROM families")).toEqual([{ name: "Silva" }]);
    expect(await meta(db.target)).toEqual({ app: APP_ID, schema_version: String(latest), app_version: APP_VERSION });
  });

  it("applies only the pending migrations to an older database", async () => {
    db = await createTarget(engine);
    await ensureSchema(db.target);
    // A copy of the migrations folder with one more migration, as the next release would ship.
    const root = createTempDir();
    try {
      cpSync(join(process.cwd(), "prisma", "migrations"), join(root.dir, "prisma", "migrations"), { recursive: true });
      const next = String(latest + 1).padStart(4, "0");
      writeFileSync(
        join(root.dir, "prisma", "migrations", engine, `${next}_add_note.sql`),
        'ALTER TABLE "events" ADD COLUMN "note" TEXT;\n',
      );
      process.env.WIMM_ROOT = root.dir;
      expect(await ensureSchema(db.target)).toEqual({
        created: false,
        applied: [`${next}_add_note`],
        version: latest + 1,
      });
      expect((await meta(db.target)).schema_version).toBe(String(latest + 1));
      await querySql(db.target, "INSERT INTO events (kind, message, note) VALUES (?, ?, ?)", ["k", "m", "n"]);
      expect(await querySql(db.target, "SELECT note FROM events")).toEqual([{ note: "n" }]);
    } finally {
      delete process.env.WIMM_ROOT;
      root.cleanup();
    }
  });

  it("refuses a database holding another app's tables, and changes nothing", async () => {
    db = await createTarget(engine);
    await execSql(db.target, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)");
    await expectSchemaError(ensureSchema(db.target), "NOT_THIS_APP");
    expect(await tableNames(db.target)).toEqual(["invoices"]);
  });

  it("refuses an app_meta table written by another app", async () => {
    db = await createTarget(engine);
    await execSql(db.target, "CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    await querySql(db.target, "INSERT INTO app_meta (key, value) VALUES ('app', 'other-app'), ('schema_version', '1')");
    await expectSchemaError(ensureSchema(db.target), "NOT_THIS_APP");
    expect(await tableNames(db.target)).toEqual(["app_meta"]);
  });

  it("refuses a database with a newer schema version than this app knows", async () => {
    db = await createTarget(engine);
    await ensureSchema(db.target);
    await querySql(db.target, "UPDATE app_meta SET value = ? WHERE key = 'schema_version'", [String(latest + 1)]);
    await expectSchemaError(ensureSchema(db.target), "NEWER_SCHEMA");
    expect((await meta(db.target)).schema_version).toBe(String(latest + 1));
  });
});

describe("the live SQLite file", () => {
  const tmp = createTempDir("wimm-private-");

  it("is created 0600 in a new 0700 folder, with its -wal and -shm, and an existing 0644 file is narrowed", async () => {
    const path = join(tmp.dir, "new-folder", "live.sqlite3");
    await ensureSchema({ engine: "sqlite", path, url: `file:${path}` });
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(join(tmp.dir, "new-folder"))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    // A writer in WAL mode keeps its side files: they carry the file's mode.
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(path);
    db.prepare("INSERT INTO events (kind, message, created_at) VALUES ('t', 't', '2026-01-01 00:00:00.000')").run();
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    db.close();

    chmodSync(path, 0o644);
    await ensureSchema({ engine: "sqlite", path, url: `file:${path}` });
    expect(mode(path)).toBe(0o600);
    tmp.cleanup();
  });
});
