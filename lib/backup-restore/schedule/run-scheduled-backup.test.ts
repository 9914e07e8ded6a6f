import { describe, expect, it } from "vitest";
import type { BackupFile } from "../backups/create-backup.ts";
import { isDrillDue, type ScheduledOutcome } from "./run-scheduled-backup.ts";

const now = new Date("2026-12-02T03:00:30Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const done: ScheduledOutcome = { kind: "done", file: {} as BackupFile, pruned: [] };
const notDue: ScheduledOutcome = { kind: "not-due", next: null };
const due = (outcome: ScheduledOutcome, last: { at: string; ok: boolean } | null, schedule = "0 3 * * *") =>
  isDrillDue({ schedule, outcome, hasBackup: true, last, now });

describe("isDrillDue", () => {
  it("weekly: the first drill at once, then a week after the last", () => {
    expect(due(notDue, null)).toBe(true);
    expect(due(notDue, { at: daysAgo(6), ok: true })).toBe(false);
    expect(due(done, { at: daysAgo(6), ok: true })).toBe(false);
    expect(due(notDue, { at: daysAgo(7), ok: true })).toBe(true);
  });

  it("after a failed drill, with the next good scheduled backup, not a week later", () => {
    expect(due(notDue, { at: daysAgo(1), ok: false })).toBe(false);
    expect(due(done, { at: daysAgo(1), ok: false })).toBe(true);
    expect(due({ kind: "failed", code: "BACKUP_NO_SPACE", details: "" }, { at: daysAgo(1), ok: false })).toBe(false);
  });

  it("never while scheduled backups are off, another process is busy, or there is no backup", () => {
    expect(due(done, null, "off")).toBe(false);
    expect(due({ kind: "busy", why: "" }, null)).toBe(false);
    expect(isDrillDue({ schedule: "0 3 * * *", outcome: notDue, hasBackup: false, last: null, now })).toBe(false);
  });
});
