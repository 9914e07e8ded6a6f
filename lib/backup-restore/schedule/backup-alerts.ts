/**
 * What the admins' banner on every page says about backups (and `GET /api/health` reports):
 * the newest verified backup is too old or missing (backup-staleness.ts), the last scheduled
 * backup failed, the last drill failed. Each failure stays until a later attempt of the same
 * kind succeeds — a later scheduled backup, a later drill — since that is what proves the
 * cause gone; a backup made by hand does not clear a scheduled one's failure. Reads three
 * small files beside the backups, never the database (a restore would revert it) and never
 * the whole audit trail (it grows without end).
 */
import { backupStaleness, type BackupStaleness } from "../backups/backup-staleness.ts";
import { lastDrill, type LastDrill } from "../spine/run-drill.ts";
import type { DrillFailureCode, ScheduledBackupFailureCode } from "../vocabulary.ts";
import type { BackupSettingsEnv } from "./backup-settings.ts";
import { lastScheduledBackup, type ScheduledBackupStatus } from "./scheduled-backup-status.ts";

export type BackupFailureNotice =
  | { kind: "scheduled-backup"; at: string; code: ScheduledBackupFailureCode; file: string | null }
  | { kind: "drill"; at: string; code: DrillFailureCode; file: string | null };

export type BackupAlerts = { staleness: BackupStaleness; failures: BackupFailureNotice[] };

/** The failures to show, newest first: the last scheduled backup's and the last drill's, when they failed. */
export function decideBackupFailures(
  scheduled: ScheduledBackupStatus | null,
  drill: LastDrill | null,
): BackupFailureNotice[] {
  const failures: BackupFailureNotice[] = [];
  if (scheduled && !scheduled.ok)
    failures.push({ kind: "scheduled-backup", at: scheduled.at, code: scheduled.code, file: scheduled.file });
  if (drill && !drill.ok)
    failures.push({ kind: "drill", at: drill.at, code: drill.code ?? "DRILL_FAILED", file: drill.file });
  return failures.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

export function readBackupAlerts(
  dir: string,
  env: BackupSettingsEnv,
  timeZone: string,
  now = new Date(),
): BackupAlerts {
  return {
    staleness: backupStaleness(dir, env, timeZone, now),
    failures: decideBackupFailures(lastScheduledBackup(dir), lastDrill(dir)),
  };
}
