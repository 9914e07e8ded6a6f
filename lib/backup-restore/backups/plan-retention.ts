/**
 * Which backups to keep and which to delete: a pure decision (no clock, no disk), so every
 * rule below is tested on its own and the caller only lists the folder and deletes what
 * the plan says. The rules, in the order they are applied to one backup:
 *
 *   1. At most `keepAllHours` (24) old: kept, whatever it is — a failed one too, so an
 *      admin sees it failed before it goes. Elapsed hours, not wall-clock ones, so a DST
 *      change neither shortens nor lengthens the window.
 *   2. Failed its verification (`verified: false`): deleted. A file that failed its check
 *      cannot be restored, so it never stands for a day, a week or a month — a good older
 *      backup of that day does, or the day has none. A failed safety backup too: it cannot
 *      roll anything back, and a restore or an upgrade whose safety copy fails is meant to
 *      stop, leaving the live database holding what that copy failed to hold.
 *   3. The newest verified backup: kept, however old. If every newer one failed, it is the
 *      last known way back.
 *   4. Grandfather-father-son: the newest backup of each of the last `daily` (7) calendar
 *      days that have one, of the last `weekly` (4) ISO weeks that have one, and of the
 *      last `monthly` (12) months that have one. "That have one": a server switched off
 *      for a month loses nothing to the calendar; the oldest backups are only displaced by
 *      newer ones. Days, weeks and months are the family's (`timeZone`), not the server's
 *      or UTC's: a backup at 00:30 belongs to the day the family saw on the clock. Every
 *      backup counts towards them, the ones inside the 24 h window included (as restic and
 *      borg do), so "7 daily" means one per day for the last 7 days with backups.
 *   5. A safety backup (pre-restore, pre-upgrade) at most `safetyDays` (30) old: kept. It
 *      holds what a restore replaced or what an upgrade changed; a month leaves time to
 *      notice that the restore or the upgrade was a mistake. After that it follows the same
 *      rules as any backup (it is a complete backup, and may be the only one of its week),
 *      which in practice means it goes, unless it is the newest of its day, week or month.
 *   Anything else is deleted.
 *
 * Not yet verified (`verified: null`) counts like verified in rule 4, but a verified backup
 * of the same day (week, month) is preferred to a newer unverified one. Counting it keeps a
 * stalled or broken verifier from making retention delete every backup older than a day;
 * preferring verified ones means a day is never represented by an unknown file when a known
 * good one exists. Manual backups follow the same rules as scheduled ones: an admin who wants
 * one kept forever copies it out of the folder.
 *
 * Never deleted either, because retention cannot place them: a backup whose time is not a
 * valid date. A backup dated after `now` (the clock went back) is inside the window.
 */
import type { BackupTrigger } from "./parse-backup-filename.ts";

export type RetentionPolicy = {
  /** Every backup at most this many hours old is kept. */
  keepAllHours: number;
  /** How many of the most recent calendar days that have a backup keep their newest one. */
  daily: number;
  /** The same for ISO weeks (Monday to Sunday). */
  weekly: number;
  /** The same for calendar months. */
  monthly: number;
  /** Pre-restore and pre-upgrade backups are kept at least this many days (of 24 h). */
  safetyDays: number;
};

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  keepAllHours: 24,
  daily: 7,
  weekly: 4,
  monthly: 12,
  safetyDays: 30,
};

/** What retention needs to know of a backup; callers pass their own objects and get them back. */
export type RetentionItem = {
  trigger: BackupTrigger;
  createdAt: Date;
  /** true: verified; false: failed its verification; null: not verified yet. */
  verified: boolean | null;
};

/** Why a backup goes: a code for the adapters to translate, beside an English reason for logs. */
export type PruneCode = "FAILED_VERIFICATION" | "NOT_KEPT_BY_POLICY";

export type PrunedBackup<T> = { item: T; code: PruneCode; reason: string };

/** Both lists newest first, whatever the order of the input. */
export type RetentionPlan<T> = { keep: T[]; prune: PrunedBackup<T>[] };

export type RetentionOptions = {
  now: Date;
  /** The family's IANA time zone (`families.time_zone`): where days, weeks and months begin. */
  timeZone: string;
  /**
   * Overrides of DEFAULT_RETENTION_POLICY. The callers that prune pass the configured policy
   * (backup-settings.ts; its bounds in retention-policy.ts); any whole numbers ≥ 0 work here.
   */
  policy?: Partial<RetentionPolicy>;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Entry<T> = { item: T; index: number; time: number };

export function planRetention<T extends RetentionItem>(
  backups: readonly T[],
  { now, timeZone, policy: overrides }: RetentionOptions,
): RetentionPlan<T> {
  const policy = { ...DEFAULT_RETENTION_POLICY, ...overrides };
  assertPolicy(policy);
  const nowTime = now.getTime();
  if (Number.isNaN(nowTime)) throw new RangeError("planRetention: `now` is not a valid date");
  const localDate = localDateIn(timeZone);

  // Newest first; equal times keep their input order, so the plan is deterministic.
  const entries: Entry<T>[] = backups
    .map((item, index) => ({ item, index, time: item.createdAt.getTime() }))
    .sort((a, b) => compareNewestFirst(a, b));
  const placed = entries.filter((entry) => !Number.isNaN(entry.time));
  const candidates = placed.filter((entry) => entry.item.verified !== false);

  // Formatting is the costly part: each backup is placed on the calendar once, not per period.
  const dates = new Map(candidates.map((entry) => [entry.index, localDate(entry.time)]));
  const representatives = new Set<number>();
  const periods: [number, (date: LocalDate) => string][] = [
    [policy.daily, dayKey],
    [policy.weekly, isoWeekKey],
    [policy.monthly, monthKey],
  ];
  for (const [count, keyOf] of periods) {
    for (const index of pickRepresentatives(candidates, count, (entry) => keyOf(dates.get(entry.index) as LocalDate))) {
      representatives.add(index);
    }
  }
  const newestVerified = placed.find((entry) => entry.item.verified === true)?.index;

  const keep: T[] = [];
  const prune: PrunedBackup<T>[] = [];
  for (const entry of entries) {
    const { item, time, index } = entry;
    const age = nowTime - time;
    if (Number.isNaN(time) || age <= policy.keepAllHours * HOUR) keep.push(item);
    else if (item.verified === false) prune.push({ item, code: "FAILED_VERIFICATION", reason: failedReason(policy) });
    else if (index === newestVerified || representatives.has(index)) keep.push(item);
    else if (isSafetyBackup(item.trigger) && age <= policy.safetyDays * DAY) keep.push(item);
    else prune.push({ item, code: "NOT_KEPT_BY_POLICY", reason: notKeptReason(item.trigger, policy) });
  }
  return { keep, prune };
}

function compareNewestFirst(a: Entry<unknown>, b: Entry<unknown>): number {
  // Unplaceable (NaN) times go last; they are kept anyway.
  const byTime = (Number.isNaN(b.time) ? -Infinity : b.time) - (Number.isNaN(a.time) ? -Infinity : a.time);
  return byTime === 0 || Number.isNaN(byTime) ? a.index - b.index : byTime;
}

/**
 * The entry standing for each of the `count` most recent periods that have one: the newest
 * verified entry of the period if it has one, else its newest. Periods are ranked by key
 * (keys sort like the calendar), not by their entries, so the result does not depend on the
 * local calendar never going backwards — which IANA zones did, long before any backup.
 */
function pickRepresentatives<T extends RetentionItem>(
  newestFirst: Entry<T>[],
  count: number,
  keyOf: (entry: Entry<T>) => string,
): number[] {
  if (count === 0) return [];
  const chosen = new Map<string, Entry<T>>();
  for (const entry of newestFirst) {
    const key = keyOf(entry);
    const current = chosen.get(key);
    // Newest first, so the first verified entry met in a period is its newest verified one.
    if (!current || (current.item.verified !== true && entry.item.verified === true)) chosen.set(key, entry);
  }
  return [...chosen.keys()]
    .sort()
    .reverse()
    .slice(0, count)
    .map((key) => (chosen.get(key) as Entry<T>).index);
}

function isSafetyBackup(trigger: BackupTrigger): boolean {
  return trigger === "pre-restore" || trigger === "pre-upgrade";
}

type LocalDate = { year: number; month: number; day: number };

/**
 * The calendar date an instant is on in a time zone. Intl applies the zone's rules as they
 * were at that instant (DST, and offsets that changed over the years), which a fixed offset
 * taken from `now` would not: in Berlin, 00:30 on the Monday after the March change is
 * 22:30 UTC on Sunday.
 */
function localDateIn(timeZone: string): (time: number) => LocalDate {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    calendar: "gregory",
    numberingSystem: "latn",
    year: "numeric",
    month: "numeric",
    day: "numeric",
  });
  return (time) => {
    const parts = format.formatToParts(time);
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    return { year: part("year"), month: part("month"), day: part("day") };
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function dayKey({ year, month, day }: LocalDate): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function monthKey({ year, month }: LocalDate): string {
  return `${pad(year, 4)}-${pad(month)}`;
}

/** `2026-W13`. The ISO week's year is its Thursday's: 1 January 2027 (a Friday) is in 2026-W53. */
function isoWeekKey({ year, month, day }: LocalDate): string {
  // A calendar date placed at UTC midnight only for day arithmetic: UTC days are all 24 h.
  const date = Date.UTC(year, month - 1, day);
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - mondayBased) * DAY);
  const weekYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY));
  return `${pad(weekYear, 4)}-W${pad(week)}`;
}

function assertPolicy(policy: RetentionPolicy): void {
  for (const [name, value] of Object.entries(policy)) {
    // A wrong policy is a bug in the caller, not an outcome: better to stop than to delete.
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`planRetention: policy.${name} must be a whole number ≥ 0, got ${value}`);
    }
  }
}

const joinWithOr = (items: string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function failedReason(policy: RetentionPolicy): string {
  return `failed its verification and is older than ${policy.keepAllHours} h (kept only that long so an admin could see it)`;
}

function notKeptReason(trigger: BackupTrigger, policy: RetentionPolicy): string {
  const periods = [
    policy.daily > 0 ? plural(policy.daily, "day", "days") : "",
    policy.weekly > 0 ? plural(policy.weekly, "ISO week", "ISO weeks") : "",
    policy.monthly > 0 ? plural(policy.monthly, "month", "months") : "",
  ].filter(Boolean);
  const rotation =
    periods.length === 0
      ? "the policy keeps no daily, weekly or monthly backups"
      : `not the newest backup of one of the last ${joinWithOr(periods)} that have one`;
  const safety = isSafetyBackup(trigger) ? `; a ${trigger} safety backup older than ${policy.safetyDays} days` : "";
  return `older than ${policy.keepAllHours} h and ${rotation}${safety}, and not the newest verified backup`;
}
