import { describe, expect, it } from "vitest";
import { backupFilename } from "./create-backup.ts";
import { parseBackupFilename } from "./parse-backup-filename.ts";

const createdAt = new Date("2026-11-28T20:26:59.123Z");

describe("parseBackupFilename", () => {
  it("reads the trigger, the time and the engine from every name the app writes", () => {
    expect(parseBackupFilename("wimm-scheduled-2026-11-28T20-26-59-123Z.sqlite3")).toEqual({
      trigger: "scheduled",
      createdAt,
      engine: "sqlite",
    });
    for (const trigger of ["manual", "scheduled", "pre-restore", "pre-upgrade"] as const) {
      expect(parseBackupFilename(`wimm-${trigger}-2026-11-28T20-26-59-123Z.dump`)).toEqual({
        trigger,
        createdAt,
        engine: "postgresql",
      });
    }
  });

  it("reads the older names: wimm-<time> was made by hand, pre_restore_<time> before a restore", () => {
    expect(parseBackupFilename("wimm-2026-11-28T20-26-59-123Z.dump")).toMatchObject({ trigger: "manual", createdAt });
    expect(parseBackupFilename("pre_restore_2026-11-28T20-26-59-123Z.sqlite3")).toMatchObject({
      trigger: "pre-restore",
      createdAt,
    });
  });

  it("reads back what backupFilename writes today, for every trigger", () => {
    for (const trigger of ["manual", "scheduled", "pre-restore", "pre-upgrade"] as const)
      expect(parseBackupFilename(backupFilename("sqlite", trigger, createdAt))).toEqual({
        trigger,
        createdAt,
        engine: "sqlite",
      });
    expect(backupFilename("postgresql", "scheduled", createdAt)).toBe("wimm-scheduled-2026-11-28T20-26-59-123Z.dump");
    expect(parseBackupFilename(backupFilename("postgresql", "pre-restore", createdAt))).toMatchObject({
      trigger: "pre-restore",
      engine: "postgresql",
    });
    expect(parseBackupFilename(backupFilename("sqlite", "pre-upgrade", createdAt))).toEqual({
      trigger: "pre-upgrade",
      createdAt,
      engine: "sqlite",
    });
  });

  it("leaves alone every other file in the folder", () => {
    for (const name of [
      ".wimm-manual-2026-11-28T20-26-59-123Z.sqlite3.partial",
      "wimm-manual-2026-11-28T20-26-59-123Z.sqlite3-journal",
      "wimm-manual-2026-11-28T20-26-59-123Z.zip",
      "wimm-hourly-2026-11-28T20-26-59-123Z.dump",
      "wimm-manual-2026-02-30T20-26-59-123Z.dump", // 30 February
      "wimm-manual-2026-11-28T24-00-00-000Z.dump",
      "restore.lock.sqlite3",
      "my-copy.sqlite3",
    ]) {
      expect(parseBackupFilename(name), name).toBeNull();
    }
  });
});
