/**
 * The version contract (docs/ARCHITECTURE.md), beyond the fixtures' field-by-field restores
 * (schema-fixtures.test.ts), through the real `./bin/wimm` on real files:
 *   - `wimm detect` says what a file is from the file: type, schemaVersion, app version,
 *     creation time, rows;
 *   - a backup from a newer schema is refused before anything is touched (exit 2, both
 *     versions named), on both engines and for both kinds of file;
 *   - a restore killed in the middle of an upgrade leaves exactly the old data after recovery;
 *   - a start-up that upgrades a database holding data backs it up first (`pre-upgrade`),
 *     and that backup restores; a failed upgrade leaves the database as it was.
 */
import { copyFileSync, cpSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { APP_VERSION } from "../lib/app-version.ts";
import { bootstrapDatabase } from "../lib/app/bootstrap.ts";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { readSchemaVersion } from "../lib/db/schema.ts";
import { LATEST_SCHEMA_VERSION, tablesAt } from "../lib/db/tables.ts";
import { parseDatabaseUrl, type DatabaseTarget, type Engine } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { runWimm } from "./helpers/cli.ts";
import {
  createPostgresTarget,
  createTarget,
  createTempDir,
  enginesUnderTest,
  execSql,
  postgresEnabled,
  querySql,
} from "./helpers/databases.ts";
import { discoverFixtureFolders } from "./helpers/schema-fixtures.ts";

const tmp = createTempDir("wimm-version-contract-");
afterAll(() => tmp.cleanup());

const schema1 = discoverFixtureFolders().find((f) => f.schemaVersion === 1)!;
const fixture = (name: "family.sqlite3" | "family.dump") => {
  const copy = join(tmp.dir, `${Math.random().toString(36).slice(2)}-${name}`);
  copyFileSync(join(schema1.dir, name), copy);
  return copy;
};

let n = 0;
/** A fresh seeded instance of an engine, with its own backup folder. */
async function instance(engine: Engine) {
  const db = await createTarget(engine);
  const dir = join(tmp.dir, `instance-${++n}`);
  const env = {
    DATABASE_URL: db.target.url,
    WIMM_BACKUP_DIR: join(dir, "backups"),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  };
  const seeded = await runWimm(["seed", "--transactions", "30"], { env });
  expect(seeded.code, seeded.stderr).toBe(0);
  return { ...db, env, backupDir: env.WIMM_BACKUP_DIR };
}

const backupsIn = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => parseBackupFilename(f)); // not the catalogue, not the audit trail
  } catch {
    return [];
  }
};

describe("wimm detect: what the file says it is", () => {
  it("a schema-1 SQLite fixture: its schema, its rows; no app version (schema 1 wrote none)", async () => {
    const r = await runWimm(["detect", fixture("family.sqlite3")]);
    expect(r.code, r.stderr).toBe(0);
    const rows = schema1.expected.fixtures["family.sqlite3"]!.rowCounts;
    expect(r.json).toEqual({
      type: "sqlite",
      // A plain file: neither wrapping (issue 15's detect reports both).
      compressed: false,
      encrypted: false,
      app: "wimm-finance",
      schemaVersion: 1,
      rows: { ...rows, sessions: 0 },
      bytes: schema1.expected.fixtures["family.sqlite3"]!.bytes,
    });
  });

  it("a schema-1 dump: its schema and the archive's creation time", async () => {
    const r = await runWimm(["detect", fixture("family.dump")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ type: "postgresql", app: "wimm-finance", schemaVersion: 1 });
    const createdAt = (r.json as { createdAt: string }).createdAt;
    // Made by scripts/make-schema-fixtures.ts on 2026-12-02 (its README).
    expect(createdAt).toMatch(/^2026-12-02T\d\d:\d\d:\d\d\.000Z$/);
  });

  it.each(enginesUnderTest)("a backup made now on %s carries the app version and its creation time", async (engine) => {
    const live = await instance(engine);
    try {
      const made = await runWimm(["backup"], { env: live.env });
      expect(made.code, made.stderr).toBe(0);
      const path = (made.json as { path: string }).path;
      const r = await runWimm(["detect", path]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({
        type: engine === "sqlite" ? "sqlite" : "postgresql",
        app: "wimm-finance",
        schemaVersion: LATEST_SCHEMA_VERSION,
        appVersion: APP_VERSION,
      });
      const createdAt = Date.parse((r.json as { createdAt: string }).createdAt);
      expect(Math.abs(createdAt - Date.now())).toBeLessThan(120_000);
      if (engine === "sqlite") expect((r.json as { rows: Record<string, number> }).rows.transactions).toBe(30);
    } finally {
      await live.cleanup();
    }
  });

  it("a file that is not this app's: schemaVersion null", async () => {
    const other = join(tmp.dir, "other.sqlite3");
    const db = new Database(other);
    db.exec("CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO app_meta VALUES ('app', 'x')");
    db.close();
    const text = join(tmp.dir, "notes.txt");
    writeFileSync(text, "hello\n");
    for (const [file, type] of [
      [other, "sqlite"],
      [text, "unknown"],
    ] as const) {
      const r = await runWimm(["detect", file]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ type, schemaVersion: null });
    }
  });
});

/** A schema-99 backup of each kind: the app's own backup, its app_meta saying 99. */
async function newerSchemaBackups(): Promise<{ sqlite: string; dump?: string }> {
  const sqlite = fixture("family.sqlite3");
  const db = new Database(sqlite);
  db.prepare("UPDATE app_meta SET value = '99' WHERE key = 'schema_version'").run();
  db.close();
  if (!postgresEnabled) return { sqlite };
  const scratch = await createPostgresTarget("wimm_test_schema99");
  try {
    await bootstrapDatabase(scratch.target, { ...getEnv(), WIMM_ADMIN_PASSWORD: "admin-password-1" });
    await execSql(scratch.target, "UPDATE app_meta SET value = '99' WHERE key = 'schema_version'");
    const dump = join(tmp.dir, "schema-99.dump");
    execFileSync("pg_dump", ["--format=custom", "--file", dump, "--dbname", scratch.target.url]);
    return { sqlite, dump };
  } finally {
    await scratch.cleanup();
  }
}

describe("a backup from a newer schema is refused, nothing touched", () => {
  let files: { sqlite: string; dump?: string };
  const cases = [
    { engine: "sqlite" as const, file: "sqlite" as const, args: [] },
    ...(postgresEnabled
      ? [
          { engine: "postgresql" as const, file: "sqlite" as const, args: ["--confirm-migration"] },
          { engine: "postgresql" as const, file: "dump" as const, args: [] },
        ]
      : []),
  ];
  it.each(cases)("$file onto $engine: exit 2, both versions named", async ({ engine, file, args }) => {
    files ??= await newerSchemaBackups();
    const live = await instance(engine);
    try {
      const before = await computeChecksums(live.target);
      const r = await runWimm(["restore", files[file]!, ...args], { env: live.env });
      expect(r.code, r.stderr.slice(-1000)).toBe(2);
      const out = r.json as { success: boolean; code: string; error: string; details: string };
      expect(out).toMatchObject({ success: false, refused: true, code: "NEWER_SCHEMA" });
      expect(out.error).toMatch(/newer version of WIMM-Finance/);
      expect(out.details).toContain("schema version 99");
      expect(out.details).toContain(`1 to ${LATEST_SCHEMA_VERSION}`);
      expect(out.details).toMatch(/Update WIMM-Finance first/);
      // Nothing changed: every table, sessions included; no safety backup was even taken.
      expect(diffChecksums(before, await computeChecksums(live.target))).toEqual([]);
      expect(backupsIn(live.backupDir)).toEqual([]);
    } finally {
      await live.cleanup();
    }
  });
});

type Scenario = { engine: Engine; file: "family.sqlite3" | "family.dump"; args: string[] };
const UPGRADE_SCENARIOS: Scenario[] = [
  { engine: "sqlite", file: "family.sqlite3", args: [] },
  ...(postgresEnabled
    ? ([
        { engine: "postgresql", file: "family.sqlite3", args: ["--confirm-migration"] },
        { engine: "postgresql", file: "family.dump", args: [] },
      ] as Scenario[])
    : []),
];

describe("killed in the middle of an upgrade-on-restore", () => {
  it.each(UPGRADE_SCENARIOS)("$file onto $engine: exactly the old data after recovery", async (s) => {
    const live = await instance(s.engine);
    try {
      const old = await computeChecksums(live.target);
      const killed = await runWimm(["restore", fixture(s.file), ...s.args], {
        env: { ...live.env, WIMM_TEST_FAULTS: "1", WIMM_FAULT: "kill:mid-upgrade" },
      });
      expect(killed.code, killed.stderr.slice(-1000)).toBeNull(); // died by the signal
      // It died where it should: the old rows loaded at schema 1, the upgrade not yet run.
      expect(killed.stderr).toMatch(/schema 1 built from the committed migrations/);
      expect(killed.stderr).not.toMatch(/upgraded from schema 1/);

      const after = await runWimm(["info"], { env: live.env }); // any command recovers first
      expect(after.code, after.stderr).toBe(0);
      const now = await computeChecksums(live.target);
      // Sessions end and recovery records itself; every other table, app_meta included, is the old one.
      expect(diffChecksums(old, now, ["sessions", "events"])).toEqual([]);
      expect(await readSchemaVersion(live.target)).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await live.cleanup();
    }
  });
});

describe("an upgraded restore that fails verification", () => {
  it.each(UPGRADE_SCENARIOS)("$file onto $engine: rolled back to exactly the old data", async (s) => {
    const live = await instance(s.engine);
    try {
      const old = await computeChecksums(live.target);
      const r = await runWimm(["restore", fixture(s.file), ...s.args], {
        env: { ...live.env, WIMM_TEST_FAULTS: "1", WIMM_FAULT: "verify" },
      });
      expect(r.code, r.stderr.slice(-1000)).toBe(1);
      expect(r.json).toMatchObject({ success: false, code: "VERIFY_FAILED", rolledBack: true });
      // The upgrade had committed; the rollback loaded the safety backup (schema 2) back.
      expect(r.stderr).toMatch(/upgraded from schema 1 to 2/);
      expect(diffChecksums(old, await computeChecksums(live.target), ["sessions", "events"])).toEqual([]);
    } finally {
      await live.cleanup();
    }
  });
});

/** The schema-1 fixture as a live database that has not been started by this version yet. */
async function schema1Live(engine: Engine): Promise<{ target: DatabaseTarget; cleanup: () => Promise<void> }> {
  if (engine === "sqlite") {
    const path = fixture("family.sqlite3");
    return { target: parseDatabaseUrl(`file:${path}`), cleanup: async () => {} };
  }
  const db = await createPostgresTarget("wimm_test_schema1_live");
  // Test set-up on a trusted file: the fixture's own DDL, as a schema-1 install had it.
  execFileSync("pg_restore", ["--no-owner", "--no-privileges", "--dbname", db.target.url, fixture("family.dump")]);
  return db;
}

const without = (c: Checksums, ...names: string[]) =>
  Object.fromEntries(Object.entries(c).filter(([name]) => !names.includes(name)));

describe("a start-up that upgrades a database holding data", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    delete process.env.WIMM_ROOT;
  });

  it.each(enginesUnderTest)("%s: backs it up first, upgrades it, and that backup restores", async (engine) => {
    const live = await schema1Live(engine);
    cleanups.push(live.cleanup);
    const backupDir = join(tmp.dir, `startup-${engine}-${++n}`);
    const env = { DATABASE_URL: live.target.url, WIMM_BACKUP_DIR: backupDir };
    expect(await readSchemaVersion(live.target)).toBe(1);
    const atSchema1 = await computeChecksums(live.target, tablesAt(1));

    const started = await runWimm(["info"], { env });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toMatch(/pre-upgrade backup created/);
    const files = backupsIn(backupDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^wimm-pre-upgrade-.*\\.${engine === "sqlite" ? "sqlite3" : "dump"}$`));
    const safety = join(backupDir, files[0]!);

    // Upgraded in place, the data kept: the zone moved into its column, every search text folded.
    expect(await readSchemaVersion(live.target)).toBe(LATEST_SCHEMA_VERSION);
    const [family] = await querySql<{ time_zone: string }>(live.target, "SELECT time_zone FROM families");
    expect(family!.time_zone).toBe("Asia/Kathmandu");
    const meta = await querySql<{ key: string }>(live.target, "SELECT key FROM app_meta ORDER BY key");
    expect(meta.map((m) => m.key)).toEqual(["app", "app_version", "schema_version"]);
    const rows = await querySql<{ description: string; search_text: string }>(
      live.target,
      "SELECT description, search_text FROM transactions",
    );
    expect(rows.length).toBe(schema1.expected.fixtures["family.sqlite3"]!.rowCounts.transactions);
    for (const r of rows) expect(r.search_text).toBe(foldForSearch(r.description));
    const upgraded = await computeChecksums(live.target);
    const surviving = tablesAt(1).filter((t) => t.name !== "app_meta");
    expect(diffChecksums(without(atSchema1, "app_meta"), await computeChecksums(live.target, surviving))).toEqual([]);

    // The pre-upgrade backup is the schema-1 database; restored, it is upgraded again on the way in.
    const detect = await runWimm(["detect", safety]);
    expect(detect.json).toMatchObject({ schemaVersion: 1 });
    const restored = await runWimm(["restore", safety], { env });
    expect(restored.code, restored.stderr.slice(-1000)).toBe(0);
    expect(restored.json).toMatchObject({ success: true, upgradedFrom: 1 });
    expect(diffChecksums(upgraded, await computeChecksums(live.target), ["sessions", "events"])).toEqual([]);
  });

  it.each(enginesUnderTest)(
    "%s: a failed upgrade leaves the database as it was and names the backup",
    async (engine) => {
      const live = await schema1Live(engine);
      cleanups.push(live.cleanup);
      const before = await computeChecksums(live.target, tablesAt(1));
      // The next release's migrations, one of them broken.
      const root = createTempDir();
      cleanups.push(async () => root.cleanup());
      cpSync(join(process.cwd(), "prisma", "migrations"), join(root.dir, "prisma", "migrations"), { recursive: true });
      const next = String(LATEST_SCHEMA_VERSION + 1).padStart(4, "0");
      writeFileSync(
        join(root.dir, "prisma", "migrations", engine, `${next}_broken.sql`),
        "SELECT no_such_column FROM families;\n",
      );
      process.env.WIMM_ROOT = root.dir;
      const backupDir = join(tmp.dir, `failed-upgrade-${engine}-${++n}`);
      const error = await bootstrapDatabase(live.target, { ...getEnv(), WIMM_BACKUP_DIR: backupDir }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/schema upgrade failed and was rolled back; the database is unchanged/);
      const files = backupsIn(backupDir);
      expect(files).toHaveLength(1);
      expect(error?.message).toContain(join(backupDir, files[0]!));
      delete process.env.WIMM_ROOT;
      expect(await readSchemaVersion(live.target)).toBe(1);
      expect(diffChecksums(before, await computeChecksums(live.target, tablesAt(1)))).toEqual([]);
    },
  );
});
