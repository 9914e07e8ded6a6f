import { describe, expect, it } from "vitest";
import { decideBackupFailures } from "./backup-alerts.ts";

const at = (hour: number) => new Date(Date.UTC(2026, 11, 2, hour)).toISOString();

describe("decideBackupFailures", () => {
  it("says nothing before any attempt, nor after successes", () => {
    expect(decideBackupFailures(null, null)).toEqual([]);
    expect(
      decideBackupFailures(
        { at: at(3), ok: true, file: "wimm-scheduled-x.sqlite3" },
        { at: at(4), ok: true, file: "wimm-scheduled-x.sqlite3", code: null },
      ),
    ).toEqual([]);
  });

  it("names each failure with when, its code and file, newest first", () => {
    expect(
      decideBackupFailures(
        { at: at(3), ok: false, file: null, code: "BACKUP_NO_SPACE", details: "12 bytes free" },
        { at: at(5), ok: false, file: "wimm-manual-y.dump", code: "DRILL_FILE_CHANGED" },
      ),
    ).toEqual([
      { kind: "drill", at: at(5), code: "DRILL_FILE_CHANGED", file: "wimm-manual-y.dump" },
      { kind: "scheduled-backup", at: at(3), code: "BACKUP_NO_SPACE", file: null },
    ]);
  });

  it("a drill status of the version before codes reads as DRILL_FAILED", () => {
    expect(decideBackupFailures(null, { at: at(1), ok: false, file: null, code: null })).toEqual([
      { kind: "drill", at: at(1), code: "DRILL_FAILED", file: null },
    ]);
  });
});
