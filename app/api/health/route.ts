import { liveTarget } from "@/lib/app/live-database";
import { lastVerifiedBackup } from "@/lib/backup-restore/backups/catalogue";
import { decideBackupFailures } from "@/lib/backup-restore/schedule/backup-alerts";
import { lastScheduledBackup } from "@/lib/backup-restore/schedule/scheduled-backup-status";
import { lastDrill } from "@/lib/backup-restore/spine/run-drill";
import { readSchemaVersion } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { restoreInProgress } from "@/lib/web/maintenance";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * For uptime monitors, without a session: is the app able to read its database, how old is
 * the newest verified backup, and did the last scheduled backup or drill fail
 * (`backupFailures`, empty when neither did: when and a reason code, as on the admins'
 * banner). `ok` is about the app alone, as before: a failed backup does not make it false.
 * Nothing secret: no path, no name, no count of anything.
 * While a restore holds the maintenance lock the database is not read (it is being
 * replaced): 503 with `restoreInProgress`.
 */
export async function GET() {
  const env = getEnv();
  const live = liveTarget();
  const restoring = restoreInProgress();
  let schemaVersion: number | null = null;
  if (!restoring) schemaVersion = await readSchemaVersion(live).catch(() => null);
  const verified = lastVerifiedBackup(env.WIMM_BACKUP_DIR);
  const ok = !restoring && schemaVersion !== null && schemaVersion > 0;
  const failures = decideBackupFailures(lastScheduledBackup(env.WIMM_BACKUP_DIR), lastDrill(env.WIMM_BACKUP_DIR));
  const body = {
    ok,
    engine: live.engine,
    schemaVersion,
    lastVerifiedBackupAt: verified?.createdAt ?? null,
    backupAgeSeconds: verified ? Math.max(0, Math.round((Date.now() - Date.parse(verified.createdAt)) / 1000)) : null,
    backupFailures: failures.map(({ kind, at, code }) => ({ kind, at, code })),
    ...(restoring ? { restoreInProgress: true } : {}),
  };
  return Response.json(body, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
