/**
 * Scheduled backups on real databases of both engines: due-ness from the newest backup's
 * time (a missed 03:00 is taken at once, nothing at start on a database with no backup),
 * exactly one backup when several processes ask at once, verified and catalogued as
 * `scheduled`, retention after it; `wimm backup --scheduled` for a system cron.
 */
import { copyFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backupFilename, createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { readBackupSettings, saveBackupSettings } from "../lib/backup-restore/schedule/backup-settings.ts";
import { newestBackupAt, runScheduledBackup } from "../lib/backup-restore/schedule/run-scheduled-backup.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-scheduled-");
afterAll(() => tmp.cleanup());
const env = { WIMM_BACKUP_SCHEDULE: undefined, WIMM_PG_DUMP_TIMEOUT_S: 120 };

describe("backup settings", () => {
  it("the environment gives the first value, the saved file wins, a bad schedule is refused", () => {
    const dir = join(tmp.dir, "settings");
    expect(readBackupSettings(dir, {})).toEqual({ schedule: "0 3 * * *" });
    expect(readBackupSettings(dir, { WIMM_BACKUP_SCHEDULE: "off" })).toEqual({ schedule: "off" });
    expect(saveBackupSettings(dir, { schedule: "30 2 * * 1" })).toEqual({ ok: true });
    expect(readBackupSettings(dir, { WIMM_BACKUP_SCHEDULE: "off" })).toEqual({ schedule: "30 2 * * 1" });
    expect(saveBackupSettings(dir, { schedule: "at three" })).toMatchObject({ ok: false });
    expect(readBackupSettings(dir, {})).toEqual({ schedule: "30 2 * * 1" });
  });
});

describe.each(enginesUnderTest)("scheduled backups on %s", (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it("due from the newest backup's time, taken once when asked twice at once, verified, then retention", async () => {
    const db = await createTarget(engine);
    cleanups.push(db.cleanup);
    const dir = join(tmp.dir, `${engine}-backups`);
    const cliEnv = { DATABASE_URL: db.target.url, WIMM_BACKUP_DIR: dir, WIMM_ADMIN_PASSWORD: "admin-password-1" };
    expect((await runWimm(["seed", "--transactions", "40"], { env: cliEnv })).code).toBe(0);
    const scheduled = () => readdirSync(dir).filter((f) => parseBackupFilename(f)?.trigger === "scheduled");

    // No backup yet: nothing at start, the first at the next 03:00.
    const startedAt = new Date();
    const first = await runScheduledBackup({ dir, target: db.target, env, startedAt });
    expect(first.kind).toBe("not-due");
    if (first.kind !== "not-due") throw new Error("unreachable");
    expect(first.next!.getTime()).toBeGreaterThan(startedAt.getTime());
    expect(first.next!.getTime() - startedAt.getTime()).toBeLessThanOrEqual(86_400_000);

    // The newest backup is three days old (the server was down): due now, at once.
    const made = await createBackup(db.target, { dir });
    const old = backupFilename(engine, "manual", new Date(Date.now() - 3 * 86_400_000));
    copyFileSync(made.path, join(dir, old));
    rmSync(made.path);
    expect(newestBackupAt(dir)?.getTime()).toBe(parseBackupFilename(old)!.createdAt.getTime());

    // Two asks at the same moment (two instances, or the timer and a system cron): one backup.
    const outcomes = await Promise.all([
      runScheduledBackup({ dir, target: db.target, env, startedAt }),
      runScheduledBackup({ dir, target: db.target, env, startedAt }),
    ]);
    const done = outcomes.filter((o) => o.kind === "done");
    expect(done).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind !== "done").map((o) => o.kind)).toEqual([
      expect.stringMatching(/^(busy|not-due)$/),
    ]);
    expect(scheduled()).toHaveLength(1);
    const taken = done[0]!;
    if (taken.kind !== "done") throw new Error("unreachable");
    expect(taken.file).toMatchObject({ trigger: "scheduled", verified: true });
    // Retention kept the old one (the newest of its day) and, above all, the new verified one.
    expect(taken.pruned).not.toContain(taken.file.filename);

    // Asked again right after: not due until the next 03:00.
    const again = await runScheduledBackup({ dir, target: db.target, env, startedAt });
    expect(again.kind).toBe("not-due");
    expect(scheduled()).toHaveLength(1);

    // Off: never due.
    saveBackupSettings(dir, { schedule: "off" });
    rmSync(join(dir, taken.file.filename));
    expect((await runScheduledBackup({ dir, target: db.target, env, startedAt })).kind).toBe("not-due");

    // A system cron: `wimm backup --scheduled` takes one whatever the schedule says.
    const cron = await runWimm(["backup", "--scheduled"], { env: cliEnv });
    expect(cron.code, cron.stderr.slice(-1000)).toBe(0);
    expect(cron.json).toMatchObject({ success: true, trigger: "scheduled", verified: true });
    expect(scheduled()).toHaveLength(1);
    const audit = (await runWimm(["audit"], { env: cliEnv })).json as { action: string; details: string }[];
    expect(audit.filter((e) => e.action === "backup" && e.details.startsWith("scheduled"))).toHaveLength(2);
  });
});
