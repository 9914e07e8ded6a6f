import type { DatabaseTarget } from "../../lib/db/url.ts";
import { restoreBackup, type RestoreRequest } from "../../lib/backup-restore/spine/restore-backup.ts";
import { describeRestoreResult, type DescribedResult } from "../../lib/cli/restore-messages.ts";

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

/** A restore whose result carries the CLI's English texts too (error, details, message), for tests that read them. */
export async function restoreInEnglish(request: RestoreRequest): Promise<DescribedResult> {
  return describeRestoreResult(await restoreBackup(request));
}
