/**
 * When a scheduled backup is due: a pure function of the schedule, the family's time zone,
 * the newest backup's time and when the scheduler started — never of a timer, which a
 * restart would reset. A server that was down at 03:00 is due the moment it starts again; a
 * database with no backup yet waits for the next scheduled time after start, not start
 * itself (a fresh install is not backed up while it is being set up).
 *
 * Cron expressions are parsed by croner (five fields, or six with seconds), in the family's
 * IANA time zone, so "0 3 * * *" means 03:00 there, across daylight-saving changes.
 */
import { Cron } from "croner";

/** Daily at 03:00 in the family's time zone. */
export const DEFAULT_SCHEDULE = "0 3 * * *";

export type Schedule = "off" | string;

/** Null when the expression is "off" or valid; otherwise why not. */
export function scheduleProblem(schedule: string, timeZone = "UTC"): string | null {
  if (schedule === "off") return null;
  try {
    const cron = new Cron(schedule, { timezone: timeZone, paused: true });
    return cron.nextRun(new Date(0)) ? null : "it never runs";
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The time the next scheduled backup is due, or null when the schedule is off: the first
 * scheduled time after the newest backup (of any kind that did not fail), or, with none yet,
 * after the scheduler started.
 */
export function nextScheduledBackup(options: {
  schedule: Schedule;
  timeZone: string;
  newestBackupAt: Date | null;
  startedAt: Date;
}): Date | null {
  if (options.schedule === "off") return null;
  const cron = new Cron(options.schedule, { timezone: options.timeZone, paused: true });
  return cron.nextRun(options.newestBackupAt ?? options.startedAt);
}

export function isBackupDue(now: Date, next: Date | null): boolean {
  return next !== null && now.getTime() >= next.getTime();
}

/** Seconds between two scheduled runs around `at` (the page warns past twice this). */
export function scheduleIntervalSeconds(schedule: Schedule, timeZone: string, at: Date): number | null {
  if (schedule === "off") return null;
  const cron = new Cron(schedule, { timezone: timeZone, paused: true });
  const [a, b] = cron.nextRuns(2, at);
  return a && b ? Math.round((b.getTime() - a.getTime()) / 1000) : null;
}
