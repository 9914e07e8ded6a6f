/**
 * `./bin/wimm detect | backup | restore` as an operator runs them: JSON on stdout and the
 * exit codes of the contract (0 done, 1 failed and rolled back, 2 refused, 3 needs
 * confirmation, 4 failed and the rollback failed too).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, postgresEnabled } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-cli-br-");
const dbPath = join(tmp.dir, "live.sqlite3");
const backupDir = join(tmp.dir, "backups");
const cliEnv = {
  DATABASE_URL: `file:${dbPath}`,
  WIMM_BACKUP_DIR: backupDir,
  WIMM_ADMIN_PASSWORD: "admin-password-1",
  WIMM_MEMBER_PASSWORD: "member-password-1",
};

afterAll(() => tmp.cleanup());

describe("wimm detect / backup / restore (SQLite)", () => {
  let backup: { path: string; bytes: number; sha256: string; engine: string };

  beforeAll(async () => {
    const seeded = await runWimm(["seed", "--transactions", "300"], { env: cliEnv });
    expect(seeded.code, seeded.stderr).toBe(0);
  });

  it("backup prints path, bytes, sha256 and engine", async () => {
    const r = await runWimm(["backup"], { env: cliEnv });
    expect(r.code, r.stderr).toBe(0);
    backup = r.json as typeof backup;
    expect(backup).toMatchObject({
      engine: "sqlite",
      path: expect.stringMatching(/wimm-.*\.sqlite3$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(backup.bytes).toBeGreaterThan(0);
    const out = await runWimm(["backup", "--out", join(tmp.dir, "elsewhere")], { env: cliEnv });
    expect((out.json as { path: string }).path.startsWith(join(tmp.dir, "elsewhere"))).toBe(true);
  });

  it("detect names the type from the content, not the name", async () => {
    expect((await runWimm(["detect", backup.path], { env: cliEnv })).json).toMatchObject({ type: "sqlite" });
    const renamed = join(tmp.dir, "looks-like.dump");
    writeFileSync(renamed, "just text");
    expect((await runWimm(["detect", renamed], { env: cliEnv })).json).toMatchObject({ type: "unknown" });
    expect((await runWimm(["detect", join(tmp.dir, "missing")], { env: cliEnv })).code).toBe(2);
    // A SQLite header on a file that does not open is no SQLite backup (opened in the isolated child).
    const fake = join(tmp.dir, "header-only.sqlite3");
    writeFileSync(fake, Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(4096, 0xab)]));
    expect((await runWimm(["detect", fake], { env: cliEnv })).json).toMatchObject({ type: "unknown" });
    const restoredFake = await runWimm(["restore", fake], { env: cliEnv });
    expect(restoredFake.code).toBe(2);
    expect(restoredFake.json).toMatchObject({ refused: true, code: "SQLITE_CORRUPT", error: expect.any(String) });
  });

  it("restore: 0 on success, 2 refused, 1 rolled back, 4 rollback failed", async () => {
    const target = parseDatabaseUrl(cliEnv.DATABASE_URL);
    const ok = await runWimm(["restore", backup.path], { env: cliEnv });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ success: true, scenario: "sqlite-to-sqlite", family: { name: "My family" } });
    expect(ok.stderr).toMatch(/\[SQLITE_RESTORE\] safety backup created: /);

    const junk = join(tmp.dir, "junk.sqlite3");
    writeFileSync(junk, Buffer.alloc(4096, 1));
    const before = await computeChecksums(target);
    const refused = await runWimm(["restore", junk], { env: cliEnv });
    expect(refused.code).toBe(2);
    expect(refused.json).toMatchObject({
      success: false,
      code: "UNKNOWN_FILE_TYPE",
      error: expect.any(String),
      details: expect.any(String),
    });

    const rolledBack = await runWimm(["restore", backup.path], {
      env: { ...cliEnv, WIMM_TEST_FAULTS: "1", WIMM_FAULT: "verify" },
    });
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.json).toMatchObject({ success: false, rolledBack: true });
    // The old rows; the rollback ended the sessions and recorded itself with the data.
    expect(diffChecksums(before, await computeChecksums(target), ["sessions", "events"])).toEqual([]);

    const both = await runWimm(["restore", backup.path], {
      env: { ...cliEnv, WIMM_TEST_FAULTS: "1", WIMM_FAULT: "verify,rollback" },
    });
    expect(both.code).toBe(4);
    expect(both.json).toMatchObject({
      success: false,
      rolledBack: false,
      safetyBackup: expect.stringMatching(/wimm-pre-restore-/),
    });
    expect(both.stderr).toContain("ROLLBACK FAILED");

    // A stray WIMM_FAULT without WIMM_TEST_FAULTS=1 injects nothing.
    const stray = await runWimm(["restore", backup.path], { env: { ...cliEnv, WIMM_FAULT: "verify,rollback" } });
    expect(stray.code, stray.stderr.slice(-300)).toBe(0);

    const demo = await runWimm(["restore", backup.path], { env: { ...cliEnv, DEMO_MODE: "true" } });
    expect(demo.code).toBe(2);
    expect(demo.json).toMatchObject({ code: "DEMO_MODE" });
  });
});

(postgresEnabled ? describe : describe.skip)("wimm restore on PostgreSQL", () => {
  it("3 when a SQLite backup needs migration confirmation; nothing changes", async () => {
    const pg = await createPostgresTarget();
    try {
      if (pg.target.engine !== "postgresql") throw new Error("unreachable");
      const env = { ...cliEnv, DATABASE_URL: pg.target.url, WIMM_BACKUP_DIR: join(tmp.dir, "pg-backups") };
      expect((await runWimm(["seed", "--transactions", "100"], { env })).code).toBe(0);
      const sqliteBackup = (await runWimm(["backup"], { env: cliEnv })).json as { path: string };
      const before = await computeChecksums(pg.target);
      const r = await runWimm(["restore", sqliteBackup.path], { env });
      expect(r.code).toBe(3);
      expect(r.json).toMatchObject({ success: false, needsMigrationConfirmation: true, message: expect.any(String) });
      expect(diffChecksums(before, await computeChecksums(pg.target))).toEqual([]);
      const dump = (await runWimm(["backup"], { env })).json as { path: string; engine: string };
      expect(dump.engine).toBe("postgresql");
      const ok = await runWimm(["restore", dump.path], { env });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.json).toMatchObject({ success: true, scenario: "postgresql-to-postgresql" });
    } finally {
      await pg.cleanup();
    }
  });
});
