/**
 * Backup and restore against real databases: round trips checked row by row (checksums of
 * every table), refusals that leave the live data untouched, and a failure injected after
 * the data was replaced that must end with the old data back.
 */
import type { ProgressEvent } from "../lib/backup-restore/vocabulary.ts";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { APP_VERSION } from "../lib/app-version.ts";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { LATEST_SCHEMA_VERSION } from "../lib/db/tables.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { detectBackupType } from "../lib/backup-restore/inspect/detect-backup-type.ts";
import { ADVISORY_KEY, isRestoreInProgress, lockPath } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { restoreRequest, restoreInEnglish } from "./helpers/restore-request.ts";
import { describeSchema } from "./helpers/introspect.ts";
import { ensureSchema } from "../lib/db/schema.ts";
import { createTarget, createTempDir, enginesUnderTest, execSql, querySql } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";

const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

/** Change the live data in every way a family would after the backup was taken. */
async function changeData(target: DatabaseTarget) {
  await execSql(
    target,
    `INSERT INTO transactions (account_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
       VALUES (1, 1, -777, 'after the backup', 'after the backup', '2026-01-02 03:04:05.678', false, '2026-01-02 03:04:05.678');
     UPDATE transactions SET description = 'edited', search_text = 'edited' WHERE id = 5;
     DELETE FROM transactions WHERE id = 7;
     UPDATE families SET name = 'Renamed family';
     INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at)
       VALUES (1, 'live-session', '2099-01-01 00:00:00.000', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');`,
  );
}

const withoutEvents = (c: Checksums) => Object.fromEntries(Object.entries(c).filter(([name]) => name !== "events"));

describe.each(enginesUnderTest)("backup and restore on %s", (engine) => {
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  const tmp = createTempDir("wimm-br-");
  const backupDir = join(tmp.dir, "backups");
  let backupFile: string;
  let atBackup: Checksums;

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 2000, memberPassword: "member-password-1" });
    // A live session that must not travel inside the backup.
    await execSql(
      live,
      `INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at)
         VALUES (1, 'session-before-backup', '2099-01-01 00:00:00.000', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')`,
    );
  });

  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it("writes a private, self-contained backup without sessions", async () => {
    const before = await computeChecksums(live);
    const file = await createBackup(live, { dir: backupDir });
    backupFile = file.path;
    expect(file.filename).toMatch(engine === "sqlite" ? /^wimm-.*\.sqlite3$/ : /^wimm-.*\.dump$/);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detectBackupType(file.path)).toBe(engine === "sqlite" ? "sqlite" : "postgresql");
    expect(readdirSync(backupDir).filter((n) => n.includes("partial"))).toEqual([]);
    if (engine === "sqlite") {
      const copy = parseDatabaseUrl(`file:${file.path}`);
      const inCopy = await computeChecksums(copy);
      expect(inCopy.sessions!.rows).toBe(0);
      // app_meta: the copy also says when it was made (a dump's archive header does that).
      expect(diffChecksums(before, inCopy, ["sessions", "app_meta"])).toEqual([]);
      const db = new Database(file.path, { readonly: true });
      expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
      const made = db.prepare("SELECT value FROM app_meta WHERE key = 'backup_created_at'").pluck().get() as string;
      expect(Math.abs(Date.parse(made) - Date.now())).toBeLessThan(60_000);
      db.close();
      expect(existsSync(`${file.path}-wal`)).toBe(false);
    }
    atBackup = { ...before, sessions: { rows: 0, sha256: "0".repeat(64) } };
    expect(before.transactions!.rows).toBe(2000);
  });

  it("restores the backup over changed data: every table equals the backup, sessions end", async () => {
    await changeData(live);
    const changed = await computeChecksums(live);
    expect(diffChecksums(withoutEvents(atBackup), changed, ["sessions"]).length).toBeGreaterThan(0);

    const result = await restoreInEnglish(restoreRequest(live, backupFile, backupDir));
    expect(result).toMatchObject({
      success: true,
      scenario: engine === "sqlite" ? "sqlite-to-sqlite" : "postgresql-to-postgresql",
      family: { name: "My family" },
      users: [
        { username: "admin", role: "admin" },
        { username: "maria", role: "member" },
      ],
      sessionsEnded: true,
    });
    const after = await computeChecksums(live);
    expect(diffChecksums(withoutEvents(atBackup), after, ["sessions"])).toEqual([]);
    expect(after.sessions!.rows).toBe(0);
    // app_meta is the loader's own: this app, its schema and its version, nothing the file added.
    const meta = await querySql<{ key: string; value: string }>(live, "SELECT key, value FROM app_meta ORDER BY key");
    expect(meta).toEqual([
      { key: "app", value: "wimm-finance" },
      { key: "app_version", value: APP_VERSION },
      { key: "schema_version", value: String(LATEST_SCHEMA_VERSION) },
    ]);
    // The restore is recorded after the backup's own events.
    const events = await querySql<{ kind: string }>(live, "SELECT kind FROM events ORDER BY id");
    expect(events.map((e) => e.kind)).toEqual(["first-start", "restore"]);
    // The safety backup holds the data as it was just before (the changed data).
    if (!result.success) throw new Error("unreachable");
    expect(existsSync(result.safetyBackup)).toBe(true);
    expect(statSync(result.safetyBackup).mode & 0o777).toBe(0o600);
    if (engine === "sqlite") {
      const safety = await computeChecksums(parseDatabaseUrl(`file:${result.safetyBackup}`));
      expect(diffChecksums(changed, safety, ["app_meta"])).toEqual([]);
    }
    // Read back through the app's own client; a new transaction still gets a fresh id.
    const db = await createPrismaClient(live);
    try {
      expect((await db.family.findFirstOrThrow()).name).toBe("My family");
      const tx = await db.transaction.create({
        data: {
          accountId: 1,
          userId: 1,
          amountCents: 1n,
          description: "after restore",
          searchText: "after restore",
          occurredAt: new Date(),
        },
      });
      expect(tx.id).toBe(2001);
    } finally {
      await db.$disconnect();
    }
    expect(existsSync(lockPath(backupDir))).toBe(false);

    // The live schema is exactly a fresh install's, and the app's next backup restores.
    const fresh = await createTarget(engine);
    try {
      await ensureSchema(fresh.target);
      expect(await describeSchema(live)).toEqual(await describeSchema(fresh.target));
    } finally {
      await fresh.cleanup();
    }
    const next = await createBackup(live, { dir: join(tmp.dir, `next-${engine}`) });
    const again = await restoreInEnglish(restoreRequest(live, next.path, backupDir));
    expect(again.success, JSON.stringify(again)).toBe(true);
  });

  it("puts the old data back when verification fails after the data was replaced", async () => {
    await changeData(live);
    const before = await computeChecksums(live);
    const progress: ProgressEvent[] = [];
    const result = await restoreInEnglish(
      restoreRequest(live, backupFile, backupDir, {
        faults: { failVerification: true },
        onProgress: (event) => progress.push(event),
      }),
    );
    expect(result).toMatchObject({ success: false, code: "VERIFY_FAILED", rolledBack: true });
    // The progress says what happened: the checks never ended, the rollback did.
    const verify = progress.filter((e) => e.phase === "verify");
    expect(verify.length).toBeGreaterThan(0);
    expect(verify.every((e) => e.total === null)).toBe(true);
    expect(progress.slice(-2)).toEqual([
      { phase: "rollback", done: 0, total: null },
      { phase: "rollback", done: 1, total: 1 },
    ]);
    expect(progress.some((e) => e.phase === "finish")).toBe(false);
    if (result.success || !("rolledBack" in result)) throw new Error("unreachable");
    expect(result.details).toContain(result.safetyBackup);
    // The old rows are back through the same loader; a rollback ends every session too, and
    // records itself in the events table, with the data.
    expect(diffChecksums(before, await computeChecksums(live), ["sessions", "events"])).toEqual([]);
    expect(await querySql(live, "SELECT id FROM sessions")).toEqual([]);
    const events = await querySql<{ kind: string }>(live, "SELECT kind FROM events ORDER BY id DESC LIMIT 1");
    expect(events).toEqual([{ kind: "restore-rolled-back" }]);
    expect(existsSync(lockPath(backupDir))).toBe(false);
  });

  it("says loudly when the rollback fails too", async () => {
    const result = await restoreInEnglish(
      restoreRequest(live, backupFile, backupDir, { faults: { failVerification: true, failRollback: true } }),
    );
    expect(result).toMatchObject({
      success: false,
      rolledBack: false,
      error: expect.stringContaining("rollback failed"),
    });
    if (result.success || !("safetyBackup" in result)) throw new Error("unreachable");
    expect(existsSync(result.safetyBackup)).toBe(true);
    // Put a known state back for the next tests.
    expect((await restoreInEnglish(restoreRequest(live, backupFile, backupDir))).success).toBe(true);
  });

  it("refuses a second restore while another process holds the lock; a dead holder frees it", async () => {
    const before = await computeChecksums(live);
    mkdirSync(backupDir, { recursive: true });
    // Another process holds the maintenance lock (an EXCLUSIVE transaction on the lock file).
    const { spawn } = await import("node:child_process");
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const D=require("better-sqlite3");const d=new D(process.argv[1]);d.exec("BEGIN EXCLUSIVE");console.log("held");setInterval(()=>{},1000);`,
        join(backupDir, "restore.lock.sqlite3"),
      ],
      { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((resolve) => holder.stdout!.once("data", resolve));
    try {
      expect(isRestoreInProgress(backupDir)).toBe(true);
      const result = await restoreInEnglish(restoreRequest(live, backupFile, backupDir));
      expect(result).toMatchObject({ success: false, refused: true, code: "RESTORE_IN_PROGRESS" });
      expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
    } finally {
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    // The kernel released the dead holder's lock: nothing stale to clean up by hand.
    expect(isRestoreInProgress(backupDir)).toBe(false);
    expect((await restoreInEnglish(restoreRequest(live, backupFile, backupDir))).success).toBe(true);
  });

  if (engine === "postgresql") {
    it("refuses while another instance (another machine, another backup folder) holds the advisory lock", async () => {
      if (live.engine !== "postgresql") throw new Error("unreachable");
      const pg = (await import("pg")).default;
      const other = new pg.Client({ connectionString: live.url });
      await other.connect();
      try {
        await other.query("SELECT pg_advisory_lock($1)", [ADVISORY_KEY]);
        const result = await restoreInEnglish(restoreRequest(live, backupFile, join(tmp.dir, "elsewhere")));
        expect(result).toMatchObject({ success: false, refused: true, code: "RESTORE_IN_PROGRESS" });
      } finally {
        await other.end();
      }
    });
  }

  it("refuses in demo mode", async () => {
    const result = await restoreInEnglish(restoreRequest(live, backupFile, backupDir, { demoMode: true }));
    expect(result).toMatchObject({ success: false, refused: true, code: "DEMO_MODE" });
  });

  if (engine === "postgresql") {
    it("answers that a SQLite backup needs migration confirmation and changes nothing", async () => {
      const sqliteBackup = await makeSqliteBackup(tmp.dir);
      const before = await computeChecksums(live);
      const result = await restoreInEnglish(restoreRequest(live, sqliteBackup, backupDir));
      expect(result).toMatchObject({
        success: false,
        needsMigrationConfirmation: true,
        scenario: "sqlite-to-postgresql",
      });
      expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
    });
  } else {
    it("refuses a PostgreSQL dump on SQLite with the error and details", async () => {
      const { writeFileSync } = await import("node:fs");
      const path = join(tmp.dir, "fake.dump");
      writeFileSync(path, Buffer.concat([Buffer.from("PGDMP"), Buffer.from([1, 14, 0, 4, 8, 1, 1])]));
      const result = await restoreInEnglish(restoreRequest(live, path, backupDir));
      expect(result).toMatchObject({
        success: false,
        refused: true,
        code: "PG_DUMP_ON_SQLITE",
        error: "Cannot restore a PostgreSQL backup to a SQLite database",
      });
    });
  }
});

/** A good SQLite backup of a small seeded database, for tests that need one on PostgreSQL. */
async function makeSqliteBackup(dir: string): Promise<string> {
  const path = join(dir, `source-${Date.now()}.sqlite3`);
  const target = parseDatabaseUrl(`file:${path}`);
  await seedDatabase(target, env, { transactions: 50, memberPassword: "member-password-1" });
  const file = await createBackup(target, { dir: join(dir, "sqlite-backups") });
  return file.path;
}
