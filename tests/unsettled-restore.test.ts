/**
 * When a restore can be neither finished nor undone (here: its journal says the data was
 * being replaced, the data matches neither side, and the safety backup is gone), the
 * instance must still start and the command that fixes it must still run: reading commands
 * work and say so, commands that would write onto the unsettled data refuse, the app takes
 * no writes, and `wimm restore <a good backup>` settles it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EMPTY_TABLE, computeChecksums } from "../lib/db/checksum.ts";
import { TABLES } from "../lib/db/tables.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { describeLive, unsettledRestore, writeJournal } from "../lib/backup-restore/spine/journal.ts";
import { RestoreInProgressError, runWrite } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { runWimm } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

describe.each(enginesUnderTest)("an unsettled restore on %s", (engine) => {
  const tmp = createTempDir("wimm-unsettled-");
  let cleanup = async () => {};
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it("starts, reads, refuses writes, and is settled by wimm restore", async () => {
    let live: DatabaseTarget;
    if (engine === "sqlite") live = parseDatabaseUrl(`file:${join(tmp.dir, "live.sqlite3")}`);
    else ({ target: live, cleanup } = await createPostgresTarget());
    const backupDir = join(tmp.dir, "backups");
    const env = {
      DATABASE_URL: live.url,
      WIMM_BACKUP_DIR: backupDir,
      WIMM_ADMIN_PASSWORD: "admin-password-1",
      WIMM_MEMBER_PASSWORD: "member-password-1",
    };
    expect((await runWimm(["seed", "--transactions", "200"], { env })).code).toBe(0);
    const backup = (await runWimm(["backup"], { env })).json as { path: string };
    const data = await computeChecksums(live);

    // What a dead restore would leave if even its safety backup were lost.
    mkdirSync(backupDir, { recursive: true });
    const nowhere = Object.fromEntries(TABLES.map((t) => [t.name, { ...EMPTY_TABLE, rows: 7 }]));
    const missingSafety = join(backupDir, "pre_restore_gone.sqlite3");
    writeJournal(backupDir, {
      version: 1,
      pid: 999_999,
      scenario: engine === "sqlite" ? "sqlite-to-sqlite" : "postgresql-to-postgresql",
      live: describeLive(live),
      phase: "replacing",
      startedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      safetyBackup: missingSafety,
      before: nowhere,
      expected: nowhere,
      verifiedBeforeCommit: false,
    });

    const info = await runWimm(["info"], { env });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toContain("[RECOVERY]");
    expect(info.stderr).toContain(missingSafety);

    const seed = await runWimm(["seed"], { env });
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain(missingSafety);

    // The app's write gate refuses while it is unsettled; the data was not touched.
    expect(unsettledRestore(backupDir)).toEqual({ safetyBackup: missingSafety });
    await expect(runWrite(backupDir, async () => "written")).rejects.toBeInstanceOf(RestoreInProgressError);
    expect(await computeChecksums(live)).toEqual(data);

    const settled = await runWimm(["restore", backup.path], { env });
    expect(settled.code, settled.stderr.slice(-500)).toBe(0);
    expect(unsettledRestore(backupDir)).toBeNull();
    expect(await runWrite(backupDir, async () => "written")).toBe("written");
    const again = await runWimm(["info"], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain("[RECOVERY]");
  });
});
