import { afterEach, describe, expect, it, vi } from "vitest";
import type { BackupTrigger } from "./parse-backup-filename.ts";
import { planRetention, type RetentionItem, type RetentionPolicy } from "./plan-retention.ts";

type Backup = RetentionItem & { name: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function backup(name: string, trigger: BackupTrigger, at: Date | string, verified: boolean | null = true): Backup {
  return { name, trigger, createdAt: new Date(at), verified };
}

const names = (items: Backup[]) => items.map((item) => item.name);
const sorted = (values: string[]) => [...values].sort();
const ONLY_WINDOW: Partial<RetentionPolicy> = { daily: 0, weekly: 0, monthly: 0 };

/** A deterministic shuffle (a small LCG), so "unsorted" is the same on every run. */
function shuffle<T>(values: T[], seed = 42): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("planRetention: two years of daily backups in São Paulo", () => {
  // São Paulo has been UTC−3 all year since Brazil dropped DST in 2019, so the expected set
  // below can place backups on the calendar with plain offset arithmetic instead of Intl —
  // a different method from the code under test.
  const OFFSET = -3 * HOUR;
  const at = (date: string, time: string) => new Date(`${date}T${time}:00.000-03:00`);
  const now = at("2027-06-15", "15:00");

  const localDay = (date: string) => Date.parse(`${date}T00:00:00.000Z`);
  const isoDay = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

  const backups: Backup[] = [];
  const failedDays = new Set(["2027-06-12", "2026-11-30"]);
  for (let day = localDay("2025-06-15"); day <= localDay("2027-06-15"); day += DAY) {
    const date = isoDay(day);
    // A verifier that has not reached the last two days, and one that stalled for ten days in March.
    const pending = date >= "2027-06-14" || (date >= "2027-03-01" && date <= "2027-03-10");
    backups.push(
      backup(`scheduled-${date}`, "scheduled", at(date, "03:00"), failedDays.has(date) ? false : pending ? null : true),
    );
  }
  backups.push(
    backup("manual-2027-06-15-failed", "manual", at("2027-06-15", "09:00"), false),
    backup("pre-restore-2027-06-14", "pre-restore", at("2027-06-14", "20:00"), null),
    backup("manual-2027-06-13", "manual", at("2027-06-13", "21:00")),
    backup("manual-2027-06-10-unverified", "manual", at("2027-06-10", "20:00"), null),
    backup("pre-restore-2027-06-01", "pre-restore", at("2027-06-01", "12:00")),
    backup("manual-2027-06-01-failed", "manual", at("2027-06-01", "10:00"), false),
    // 23:30 on 31 May in São Paulo is already 1 June in UTC: May's backup, not June's.
    backup("manual-2027-05-31", "manual", at("2027-05-31", "23:30")),
    backup("pre-upgrade-2027-05-20", "pre-upgrade", at("2027-05-20", "08:00")),
    backup("pre-restore-2027-05-10", "pre-restore", at("2027-05-10", "12:00")),
    backup("manual-2026-12-31", "manual", at("2026-12-31", "23:59")),
    backup("pre-restore-2026-01-20-failed", "pre-restore", at("2026-01-20", "12:00"), false),
  );

  /** The policy's set, found by walking the calendar back from today, period by period. */
  function expectedKeep(): Set<string> {
    const good = backups.filter((b) => b.verified !== false);
    const localMidnight = (b: Backup) => Math.floor((b.createdAt.getTime() + OFFSET) / DAY) * DAY;
    // The one backup kept for a period: verified before unverified, then newest.
    const pick = (inPeriod: Backup[]) =>
      [...inPeriod].sort(
        (a, b) =>
          Number(b.verified === true) - Number(a.verified === true) || b.createdAt.getTime() - a.createdAt.getTime(),
      )[0];
    const walk = (count: number, periodAt: (step: number) => (b: Backup) => boolean) => {
      const kept: Backup[] = [];
      for (let step = 0; kept.length < count && step < 1000; step++) {
        const chosen = pick(good.filter(periodAt(step)));
        if (chosen) kept.push(chosen);
      }
      return kept;
    };
    const today = localDay("2027-06-15");
    const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
    const daily = walk(7, (step) => (b) => localMidnight(b) === today - step * DAY);
    const weekly = walk(4, (step) => (b) => {
      const start = monday - step * 7 * DAY;
      return localMidnight(b) >= start && localMidnight(b) < start + 7 * DAY;
    });
    const monthly = walk(12, (step) => (b) => {
      const local = new Date(localMidnight(b));
      return local.getUTCFullYear() * 12 + local.getUTCMonth() === 2027 * 12 + 5 - step;
    });
    const newestVerified = backups
      .filter((b) => b.verified === true)
      .reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
    const safety = good.filter(
      (b) =>
        (b.trigger === "pre-restore" || b.trigger === "pre-upgrade") &&
        now.getTime() - b.createdAt.getTime() <= 30 * DAY,
    );
    const window = backups.filter((b) => now.getTime() - b.createdAt.getTime() <= 24 * HOUR);
    return new Set(names([...window, ...daily, ...weekly, ...monthly, newestVerified, ...safety]));
  }

  const plan = planRetention(shuffle(backups), { now, timeZone: "America/Sao_Paulo" });

  it("keeps exactly the set the policy describes", () => {
    expect(sorted(names(plan.keep))).toEqual(sorted([...expectedKeep()]));
    expect(plan.keep.length + plan.prune.length).toBe(backups.length);
    // Counted by hand: 3 in the last 24 h, 5 more days, 2 more weeks, 11 more months, 2 safety backups.
    expect(plan.keep).toHaveLength(23);
  });

  it("keeps what a reader of the policy would expect, by name", () => {
    const kept = names(plan.keep);
    const pruned = names(plan.prune.map((p) => p.item));
    // The failed 12 June has no backup to stand for it, so the seven days reach back to 8 June.
    expect(kept).toEqual(expect.arrayContaining(["scheduled-2027-06-08", "scheduled-2027-06-11"]));
    expect(pruned).toEqual(expect.arrayContaining(["scheduled-2027-06-07", "scheduled-2027-06-12"]));
    // A verified backup stands for its day before a newer unverified one.
    expect(kept).toContain("scheduled-2027-06-10");
    expect(pruned).toContain("manual-2027-06-10-unverified");
    // Months in the family's zone: 31 May at 23:30 stands for May, 31 December at 23:59 for December.
    expect(kept).toEqual(expect.arrayContaining(["manual-2027-05-31", "manual-2026-12-31"]));
    expect(pruned).toEqual(expect.arrayContaining(["scheduled-2027-05-31", "scheduled-2026-12-31"]));
    // November's last backup failed: the one before it stands for the month.
    expect(kept).toContain("scheduled-2026-11-29");
    // Safety backups: 14 and 26 days old kept, 36 days old gone.
    expect(kept).toEqual(expect.arrayContaining(["pre-restore-2027-06-01", "pre-upgrade-2027-05-20"]));
    expect(pruned).toContain("pre-restore-2027-05-10");
    // A failed backup is seen for 24 h, then goes.
    expect(kept).toContain("manual-2027-06-15-failed");
    expect(pruned).toEqual(expect.arrayContaining(["manual-2027-06-01-failed", "pre-restore-2026-01-20-failed"]));
    // Twelve months back is July 2026; June 2026 and older keep nothing.
    expect(kept).toContain("scheduled-2026-07-31");
    expect(plan.keep.filter((b) => b.createdAt < at("2026-07-01", "00:00"))).toEqual([]);
  });

  it("says why each backup goes", () => {
    const byName = new Map(plan.prune.map((p) => [p.item.name, p]));
    expect(byName.get("scheduled-2027-06-07")).toMatchObject({
      code: "NOT_KEPT_BY_POLICY",
      reason:
        "older than 24 h and not the newest backup of one of the last 7 days, 4 ISO weeks or 12 months that have one, and not the newest verified backup",
    });
    expect(byName.get("pre-restore-2027-05-10")?.reason).toContain("a pre-restore safety backup older than 30 days");
    expect(byName.get("manual-2027-06-01-failed")).toMatchObject({ code: "FAILED_VERIFICATION" });
    expect(byName.get("manual-2027-06-01-failed")?.reason).toMatch(/^failed its verification/);
    for (const { reason } of plan.prune) expect(reason.length).toBeGreaterThan(20);
  });

  it("returns both lists newest first, with the caller's own objects", () => {
    const times = (items: Backup[]) => items.map((b) => b.createdAt.getTime());
    const descending = (values: number[]) => [...values].sort((a, b) => b - a);
    expect(times(plan.keep)).toEqual(descending(times(plan.keep)));
    expect(times(plan.prune.map((p) => p.item))).toEqual(descending(times(plan.prune.map((p) => p.item))));
    for (const item of plan.keep) expect(backups).toContain(item);
  });

  it("does not depend on the input's order, nor on the machine's clock", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2040-01-01T00:00:00Z"));
    const again = planRetention([...backups].reverse(), { now, timeZone: "America/Sao_Paulo" });
    expect(names(again.keep)).toEqual(names(plan.keep));
    expect(names(again.prune.map((p) => p.item))).toEqual(names(plan.prune.map((p) => p.item)));
  });
  afterEach(() => vi.useRealTimers());
});

describe("planRetention: the newest verified backup", () => {
  const now = new Date("2027-06-15T18:00:00Z");

  it("is kept when it is three years old and every newer backup failed", () => {
    const failed = Array.from({ length: 10 }, (_, i) =>
      backup(`failed-${i}`, "scheduled", new Date(now.getTime() - (2 + i) * DAY), false),
    );
    const ancient = backup("ancient", "scheduled", "2024-06-10T06:00:00Z");
    const older = backup("older", "scheduled", "2024-06-01T06:00:00Z");
    const plan = planRetention([...failed, ancient, older], { now, timeZone: "UTC", policy: ONLY_WINDOW });
    expect(names(plan.keep)).toEqual(["ancient"]);
    expect(plan.prune.find((p) => p.item.name === "older")?.code).toBe("NOT_KEPT_BY_POLICY");
    expect(plan.prune.filter((p) => p.code === "FAILED_VERIFICATION")).toHaveLength(10);

    const withDefaults = planRetention([...failed, ancient], { now, timeZone: "UTC" });
    expect(names(withDefaults.keep)).toEqual(["ancient"]);
  });

  it("is the newest verified one: a newer unverified backup does not take its place", () => {
    const plan = planRetention(
      [
        backup("unverified", "manual", "2027-06-13T06:00:00Z", null),
        backup("verified", "manual", "2024-06-10T06:00:00Z"),
      ],
      { now, timeZone: "UTC", policy: ONLY_WINDOW },
    );
    expect(names(plan.keep)).toEqual(["verified"]);
    expect(names(plan.prune.map((p) => p.item))).toEqual(["unverified"]);
  });
});

describe("planRetention: failed backups", () => {
  const now = new Date("2027-06-20T12:00:00Z");
  const daily = { weekly: 0, monthly: 0 };

  it("never stand for a day: an older good backup of that day does", () => {
    const plan = planRetention(
      [
        backup("good-morning", "scheduled", "2027-06-18T03:00:00Z"),
        backup("failed-evening", "manual", "2027-06-18T20:00:00Z", false),
      ],
      { now, timeZone: "UTC", policy: daily },
    );
    expect(names(plan.keep)).toEqual(["good-morning"]);
    expect(plan.prune.map((p) => [p.item.name, p.code])).toEqual([["failed-evening", "FAILED_VERIFICATION"]]);
  });

  it("leave their day without a backup, so the days kept reach one further back", () => {
    const days = ["2027-06-19", "2027-06-18", "2027-06-17", "2027-06-16"];
    const plan = planRetention(
      days.map((day) => backup(day, "scheduled", `${day}T03:00:00Z`, day === "2027-06-18" ? false : true)),
      { now, timeZone: "UTC", policy: { ...daily, daily: 3 } },
    );
    expect(names(plan.keep)).toEqual(["2027-06-19", "2027-06-17", "2027-06-16"]);
  });

  it("are kept for 24 h so an admin sees them, then go, safety backups too", () => {
    const plan = planRetention(
      [
        backup("fresh-failed", "scheduled", new Date(now.getTime() - 23 * HOUR), false),
        backup("old-failed", "scheduled", new Date(now.getTime() - 25 * HOUR), false),
        backup("failed-safety", "pre-restore", new Date(now.getTime() - 2 * DAY), false),
      ],
      { now, timeZone: "UTC" },
    );
    expect(names(plan.keep)).toEqual(["fresh-failed"]);
    expect(plan.prune.map((p) => p.code)).toEqual(["FAILED_VERIFICATION", "FAILED_VERIFICATION"]);
  });
});

describe("planRetention: backups not verified yet", () => {
  const now = new Date("2027-06-20T12:00:00Z");
  const month = Array.from({ length: 40 }, (_, i) => new Date(now.getTime() - (i + 1) * DAY));

  it("stand for their day, week and month as verified ones do, so a stalled verifier deletes nothing more", () => {
    const as = (verified: boolean | null) =>
      planRetention(
        month.map((at, i) => backup(`b${i}`, "scheduled", at, verified)),
        { now, timeZone: "UTC" },
      );
    expect(names(as(null).keep)).toEqual(names(as(true).keep));
    expect(as(null).keep.length).toBeGreaterThan(7);
  });

  it("give way to a verified backup of the same day", () => {
    const plan = planRetention(
      [
        backup("verified-morning", "scheduled", "2027-06-18T03:00:00Z", true),
        backup("unverified-evening", "manual", "2027-06-18T20:00:00Z", null),
      ],
      { now, timeZone: "UTC", policy: { weekly: 0, monthly: 0 } },
    );
    expect(names(plan.keep)).toEqual(["verified-morning"]);
  });
});

describe("planRetention: days and weeks around DST changes (Europe/Berlin)", () => {
  const timeZone = "Europe/Berlin";

  // 29 March 2026, the last Sunday of March: clocks go from 02:00 CET (UTC+1) to 03:00 CEST (UTC+2).
  const spring = [
    backup("sat-23:30", "scheduled", "2026-03-28T22:30:00Z"), // Saturday 23:30 CET
    backup("sun-00:30", "scheduled", "2026-03-28T23:30:00Z"), // Sunday 00:30 CET, still Saturday in UTC
    backup("sun-23:00", "scheduled", "2026-03-29T21:00:00Z"), // Sunday 23:00 CEST
    backup("mon-00:30", "scheduled", "2026-03-29T22:30:00Z"), // Monday 00:30 CEST, still Sunday in UTC: week 14
  ];
  // `now` in summer time: a fixed UTC+2 taken from it would put Saturday 23:30 CET on Sunday.
  const springNow = new Date("2026-04-05T10:00:00Z");

  it("puts a 00:30 backup on the family's day, after the spring change", () => {
    const plan = planRetention(spring, { now: springNow, timeZone, policy: { weekly: 0, monthly: 0 } });
    expect(names(plan.keep)).toEqual(["mon-00:30", "sun-23:00", "sat-23:30"]);
    expect(names(plan.prune.map((p) => p.item))).toEqual(["sun-00:30"]);
  });

  it("puts Monday 00:30 in the new ISO week", () => {
    const plan = planRetention(spring, { now: springNow, timeZone, policy: { daily: 0, monthly: 0 } });
    expect(names(plan.keep)).toEqual(["mon-00:30", "sun-23:00"]);
  });

  // 25 October 2026, the last Sunday of October: clocks go from 03:00 CEST back to 02:00 CET,
  // so 02:30 happens twice.
  const autumn = [
    backup("sat-23:30", "scheduled", "2026-10-24T21:30:00Z"), // Saturday 23:30 CEST
    backup("sun-02:30-cest", "scheduled", "2026-10-25T00:30:00Z"),
    backup("sun-02:30-cet", "scheduled", "2026-10-25T01:30:00Z"),
    backup("sun-23:00", "scheduled", "2026-10-25T22:00:00Z"), // Sunday 23:00 CET
    backup("mon-00:30", "scheduled", "2026-10-25T23:30:00Z"), // Monday 00:30 CET, still Sunday in UTC: week 44
  ];
  const autumnNow = new Date("2026-11-01T12:00:00Z");

  it("puts a 00:30 backup on the family's day, and the repeated hour on Sunday, after the autumn change", () => {
    const plan = planRetention(autumn, { now: autumnNow, timeZone, policy: { weekly: 0, monthly: 0 } });
    expect(names(plan.keep)).toEqual(["mon-00:30", "sun-23:00", "sat-23:30"]);
    const weeks = planRetention(autumn, { now: autumnNow, timeZone, policy: { daily: 0, monthly: 0 } });
    expect(names(weeks.keep)).toEqual(["mon-00:30", "sun-23:00"]);
  });

  it("counts the 24 h window in elapsed hours: the same wall-clock time yesterday was only 23 h ago", () => {
    const now = new Date("2026-03-29T10:00:00Z"); // Sunday 12:00 CEST
    const plan = planRetention(
      [
        backup("sat-12:00", "manual", "2026-03-28T11:00:00Z", null), // 23 h before
        backup("exactly-24h", "manual", "2026-03-28T10:00:00Z", null),
        backup("24h-and-1ms", "manual", new Date(Date.parse("2026-03-28T10:00:00Z") - 1), null),
      ],
      { now, timeZone, policy: ONLY_WINDOW },
    );
    expect(names(plan.keep)).toEqual(["sat-12:00", "exactly-24h"]);
    expect(names(plan.prune.map((p) => p.item))).toEqual(["24h-and-1ms"]);
  });
});

describe("planRetention: safety backups", () => {
  const now = new Date("2027-06-15T18:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const newest = backup("newest", "scheduled", ago(HOUR));

  it("are kept 30 days, to the millisecond, then go when nothing else keeps them", () => {
    const plan = planRetention(
      [
        newest,
        backup("pre-restore-29d", "pre-restore", ago(29 * DAY)),
        backup("pre-restore-30d", "pre-restore", ago(30 * DAY)),
        backup("pre-upgrade-30d-1ms", "pre-upgrade", ago(30 * DAY + 1)),
        backup("manual-2d", "manual", ago(2 * DAY)),
      ],
      { now, timeZone: "UTC", policy: ONLY_WINDOW },
    );
    expect(names(plan.keep)).toEqual(["newest", "pre-restore-29d", "pre-restore-30d"]);
    expect(names(plan.prune.map((p) => p.item))).toEqual(["manual-2d", "pre-upgrade-30d-1ms"]);
    expect(plan.prune[1]?.reason).toContain("a pre-upgrade safety backup older than 30 days");
  });

  it("after 30 days follow the rules of any backup: the only one of its month stays", () => {
    const plan = planRetention([newest, backup("pre-restore-april", "pre-restore", "2027-04-10T12:00:00Z")], {
      now,
      timeZone: "UTC",
      policy: { daily: 0, weekly: 0 },
    });
    expect(names(plan.keep)).toEqual(["newest", "pre-restore-april"]);
  });

  it("keep their days with a configured policy", () => {
    const plan = planRetention([newest, backup("pre-restore-5d", "pre-restore", ago(5 * DAY))], {
      now,
      timeZone: "UTC",
      policy: { ...ONLY_WINDOW, safetyDays: 3 },
    });
    expect(names(plan.keep)).toEqual(["newest"]);
  });
});

describe("planRetention: edges", () => {
  const now = new Date("2027-06-15T18:00:00Z");

  it("plans nothing for no backups", () => {
    expect(planRetention([], { now, timeZone: "America/Sao_Paulo" })).toEqual({ keep: [], prune: [] });
  });

  it("keeps what it cannot place: an invalid date, and a date after now (the clock went back)", () => {
    const plan = planRetention(
      [
        backup("no-date", "manual", new Date(Number.NaN), null),
        backup("future", "manual", "2027-06-20T00:00:00Z", null),
        backup("old", "manual", "2020-01-01T00:00:00Z", false),
      ],
      { now, timeZone: "UTC", policy: ONLY_WINDOW },
    );
    expect(names(plan.keep)).toEqual(["future", "no-date"]);
  });

  it("refuses a policy it cannot follow and a time zone it does not know, rather than delete", () => {
    const one = [backup("a", "manual", now)];
    expect(() => planRetention(one, { now, timeZone: "UTC", policy: { daily: -1 } })).toThrow(/policy.daily/);
    expect(() => planRetention(one, { now, timeZone: "UTC", policy: { weekly: 1.5 } })).toThrow(/policy.weekly/);
    expect(() => planRetention(one, { now, timeZone: "Mars/Olympus_Mons" })).toThrow(RangeError);
    expect(() => planRetention(one, { now: new Date(Number.NaN), timeZone: "UTC" })).toThrow(/now/);
  });
});
