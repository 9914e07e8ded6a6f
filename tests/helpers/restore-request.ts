import type { DatabaseTarget } from "../../lib/db/url.ts";
import type { RestoreRequest } from "../../lib/backup-restore/spine/restore-backup.ts";

/** A restore request as the app makes one, with test-sized time limits; `extra` overrides. */
export function restoreRequest(
  live: DatabaseTarget,
  file: string,
  backupDir: string,
  extra: Partial<RestoreRequest> = {},
): RestoreRequest {
  return {
    file,
    live,
    confirmMigration: false,
    backupDir,
    demoMode: false,
    pgDumpTimeoutMs: 120_000,
    pgRestoreTimeoutMs: 120_000,
    ...extra,
  };
}
