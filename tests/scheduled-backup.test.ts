/**
 * Scheduled backups on real databases of both engines: due-ness from the newest backup's
 * time (a missed 03:00 is taken at once, nothing at start on a database with no backup),
 * exactly one backup when several processes ask at once, verified and catalogued as
 * `scheduled`, retention after it; `wimm backup --scheduled` for a system cron.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backupFilename, createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { DEFAULT_RETENTION_POLICY } from "../lib/backup-restore/backups/plan-retention.ts";
import {
  readBackupSettings,
  saveBackupSettings,
  settingsPath,
} from "../lib/backup-restore/schedule/backup-settings.ts";
import { newestBackupAt, runScheduledBackup } from "../lib/backup-restore/schedule/run-scheduled-backup.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-scheduled-");
afterAll(() => tmp.cleanup());
const env = { WIMM_BACKUP_SCHEDULE: undefined, WIMM_PG_DUMP_TIMEOUT_S: 120 };

describe("backup settings", () => {
  const defaults = { schedule: "0 3 * * *", retention: DEFAULT_RETENTION_POLICY };

  it("the environment gives the first value, the saved file wins, a bad schedule is refused", () => {
    const dir = join(tmp.dir, "settings");
    expect(readBackupSettings(dir, {})).toEqual(defaults);
    expect(readBackupSettings(dir, { WIMM_BACKUP_SCHEDULE: "off" })).toEqual({ ...defaults, schedule: "off" });
    expect(saveBackupSettings(dir, { schedule: "30 2 * * 1" })).toEqual({ ok: true });
    expect(readBackupSettings(dir, { WIMM_BACKUP_SCHEDULE: "off" })).toEqual({ ...defaults, schedule: "30 2 * * 1" });
    expect(saveBackupSettings(dir, { schedule: "at three" })).toMatchObject({ ok: false });
    expect(readBackupSettings(dir, {})).toEqual({ ...defaults, schedule: "30 2 * * 1" });
  });

  it("retention: the environment's first value, the file's once saved; saving one setting keeps the other", () => {
    const dir = join(tmp.dir, "retention");
    const fromEnv = { ...DEFAULT_RETENTION_POLICY, daily: 14 };
    const saved = { keepAllHours: 48, daily: 10, weekly: 8, monthly: 6, safetyDays: 60 };
    expect(readBackupSettings(dir, { WIMM_BACKUP_RETENTION: fromEnv }).retention).toEqual(fromEnv);
    // A schedule saved alone leaves retention to the environment (the file holds no retention).
    expect(saveBackupSettings(dir, { schedule: "off" })).toEqual({ ok: true });
    expect(readBackupSettings(dir, { WIMM_BACKUP_RETENTION: fromEnv }).retention).toEqual(fromEnv);
    expect(saveBackupSettings(dir, { retention: saved })).toEqual({ ok: true });
    expect(readBackupSettings(dir, { WIMM_BACKUP_RETENTION: fromEnv })).toEqual({ schedule: "off", retention: saved });
    expect(saveBackupSettings(dir, { schedule: "15 1 * * *" })).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(settingsPath(dir), "utf8"))).toEqual({ schedule: "15 1 * * *", retention: saved });
    expect(statSync(settingsPath(dir)).mode & 0o777).toBe(0o600);
    // Outside the bounds: refused, the file unchanged.
    expect(saveBackupSettings(dir, { retention: { ...saved, daily: 0 } })).toMatchObject({ ok: false });
    expect(saveBackupSettings(dir, { retention: { ...saved, safetyDays: 1 } })).toMatchObject({ ok: false });
    expect(readBackupSettings(dir, {}).retention).toEqual(saved);
  });

  it("reads a file of the version before retention (schedule only), and one edited by hand into nonsense", () => {
    const dir = join(tmp.dir, "old-file");
    mkdirSync(dir, { recursive: true });
    writeFileSync(settingsPath(dir), JSON.stringify({ schedule: "0 4 * * *" }) + "\n", { mode: 0o600 });
    expect(readBackupSettings(dir, {})).toEqual({ schedule: "0 4 * * *", retention: DEFAULT_RETENTION_POLICY });
    const fromEnv = { ...DEFAULT_RETENTION_POLICY, monthly: 24 };
    expect(readBackupSettings(dir, { WIMM_BACKUP_RETENTION: fromEnv }).retention).toEqual(fromEnv);
    writeFileSync(settingsPath(dir), JSON.stringify({ schedule: "0 4 * * *", retention: { daily: "lots" } }));
    expect(readBackupSettings(dir, { WIMM_BACKUP_RETENTION: fromEnv })).toEqual({
      schedule: "0 4 * * *",
      retention: fromEnv,
    });
    writeFileSync(settingsPath(dir), "[1, 2");
    expect(readBackupSettings(dir, {})).toEqual(defaults);
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

  it("retention after a scheduled backup follows the saved policy", async () => {
    const db = await createTarget(engine);
    cleanups.push(db.cleanup);
    const dir = join(tmp.dir, `${engine}-retention`);
    const cliEnv = { DATABASE_URL: db.target.url, WIMM_BACKUP_DIR: dir, WIMM_ADMIN_PASSWORD: "admin-password-1" };
    expect((await runWimm(["seed", "--transactions", "10"], { env: cliEnv })).code).toBe(0);
    const made = await createBackup(db.target, { dir });
    const old = [1, 2, 3, 4, 5].map((day) => backupFilename(engine, "manual", new Date(Date.UTC(2026, 0, day, 6))));
    for (const name of old) copyFileSync(made.path, join(dir, name));
    rmSync(made.path);
    // One day and nothing else (the defaults would keep all five): today's new backup is that day, January goes.
    saveBackupSettings(dir, { retention: { keepAllHours: 1, daily: 1, weekly: 0, monthly: 0, safetyDays: 7 } });
    const outcome = await runScheduledBackup({
      dir,
      target: db.target,
      env: { ...env, WIMM_BACKUP_RETENTION: DEFAULT_RETENTION_POLICY },
      startedAt: new Date(),
      force: true,
    });
    expect(outcome.kind).toBe("done");
    if (outcome.kind !== "done") throw new Error("unreachable");
    expect(outcome.pruned.sort()).toEqual(old.sort());
    expect(readdirSync(dir).filter((f) => parseBackupFilename(f))).toEqual([outcome.file.filename]);
  });
});
