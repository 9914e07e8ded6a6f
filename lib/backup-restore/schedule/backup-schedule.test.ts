import { describe, expect, it } from "vitest";
import { isBackupDue, nextScheduledBackup, scheduleIntervalSeconds, scheduleProblem } from "./backup-schedule.ts";

const at = (iso: string) => new Date(iso);
const next = (schedule: string, timeZone: string, newest: string | null, started: string) =>
  nextScheduledBackup({ schedule, timeZone, newestBackupAt: newest ? at(newest) : null, startedAt: at(started) });

describe("when a scheduled backup is due", () => {
  it("daily at 03:00 in the family's zone: the first 03:00 after the newest backup", () => {
    // São Paulo is UTC−3: 03:00 there is 06:00 UTC.
    expect(next("0 3 * * *", "America/Sao_Paulo", "2026-12-01T06:00:05Z", "2026-12-01T10:00:00Z")).toEqual(
      at("2026-12-02T06:00:00Z"),
    );
  });

  it("a server that was down at 03:00 is due as soon as it is back (missed runs are not lost)", () => {
    const due = next("0 3 * * *", "America/Sao_Paulo", "2026-11-28T06:00:05Z", "2026-12-02T12:00:00Z");
    expect(due).toEqual(at("2026-11-29T06:00:00Z"));
    expect(isBackupDue(at("2026-12-02T12:00:01Z"), due)).toBe(true);
  });

  it("a restart changes nothing: the answer depends on the newest backup, not on when the timer started", () => {
    const a = next("0 3 * * *", "UTC", "2026-12-01T03:00:02Z", "2026-12-01T04:00:00Z");
    const b = next("0 3 * * *", "UTC", "2026-12-01T03:00:02Z", "2026-12-01T23:59:00Z");
    expect(a).toEqual(b);
    expect(isBackupDue(at("2026-12-02T02:59:59Z"), a)).toBe(false);
    expect(isBackupDue(at("2026-12-02T03:00:00Z"), a)).toBe(true);
  });

  it("with no backup yet, the first is due at the next scheduled time after start, not at start", () => {
    const due = next("0 3 * * *", "UTC", null, "2026-12-02T10:00:00Z");
    expect(due).toEqual(at("2026-12-03T03:00:00Z"));
    expect(isBackupDue(at("2026-12-02T10:00:00Z"), due)).toBe(false);
  });

  it("across a daylight-saving change the hour stays 03:00 local (Berlin, spring and autumn)", () => {
    // 29 March 2026: clocks go from 02:00 to 03:00 (UTC+1 → UTC+2); 25 October back.
    expect(next("0 3 * * *", "Europe/Berlin", "2026-03-28T02:00:01Z", "2026-03-28T02:00:01Z")).toEqual(
      at("2026-03-29T01:00:00Z"),
    );
    expect(next("0 3 * * *", "Europe/Berlin", "2026-10-24T01:00:01Z", "2026-10-24T01:00:01Z")).toEqual(
      at("2026-10-25T02:00:00Z"),
    );
  });

  it("off is never due; a cron expression croner cannot read is named as a problem", () => {
    expect(next("off", "UTC", null, "2026-12-02T10:00:00Z")).toBeNull();
    expect(isBackupDue(at("2030-01-01T00:00:00Z"), null)).toBe(false);
    expect(scheduleProblem("off")).toBeNull();
    expect(scheduleProblem("0 3 * * *")).toBeNull();
    expect(scheduleProblem("61 3 * * *")).not.toBeNull();
    expect(scheduleProblem("every day")).not.toBeNull();
  });

  it("the interval between runs (the page warns past twice it)", () => {
    expect(scheduleIntervalSeconds("0 3 * * *", "UTC", at("2026-12-02T10:00:00Z"))).toBe(86_400);
    expect(scheduleIntervalSeconds("* * * * *", "UTC", at("2026-12-02T10:00:00Z"))).toBe(60);
    expect(scheduleIntervalSeconds("off", "UTC", at("2026-12-02T10:00:00Z"))).toBeNull();
  });
});
