/**
 * Is the newest verified backup too old? What the admins' banner on every page and the
 * health check say: there is none, or it is older than twice the schedule's interval (a
 * day when scheduled backups are off). Reads the catalogue's records only.
 */
import { scheduleIntervalSeconds } from "../schedule/backup-schedule.ts";
import { readBackupSettings } from "../schedule/backup-settings.ts";
import { lastVerifiedBackup } from "./catalogue.ts";

export type BackupStaleness =
  { stale: false; lastVerifiedAt: string } | { stale: true; lastVerifiedAt: string | null; limitSeconds: number };

export function backupStaleness(
  dir: string,
  env: { WIMM_BACKUP_SCHEDULE?: string | undefined },
  timeZone: string,
  now = new Date(),
): BackupStaleness {
  const { schedule } = readBackupSettings(dir, env);
  const limitSeconds = 2 * (scheduleIntervalSeconds(schedule, timeZone, now) ?? 86_400);
  const last = lastVerifiedBackup(dir);
  if (!last) return { stale: true, lastVerifiedAt: null, limitSeconds };
  const age = (now.getTime() - Date.parse(last.createdAt)) / 1000;
  return age > limitSeconds
    ? { stale: true, lastVerifiedAt: last.createdAt, limitSeconds }
    : { stale: false, lastVerifiedAt: last.createdAt };
}
