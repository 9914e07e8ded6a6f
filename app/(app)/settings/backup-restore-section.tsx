import { getFormatter, getTranslations } from "next-intl/server";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb, liveTarget } from "@/lib/app/live-database";
import { isSuperuserRole } from "@/lib/db/role-privileges";
import { getEnv } from "@/lib/env";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";
import { lastVerifiedBackup } from "@/lib/backup-restore/backups/catalogue";
import { readBackupRecipients } from "@/lib/backup-restore/schedule/backup-settings";

import { BackupCatalogueSection } from "./backup-catalogue-section";
import { BackupEncryptionSection } from "./backup-encryption-section";
import { BackupRestorePanel } from "./backup-restore-panel";
import { RestoreFlowProvider } from "./restore-flow";

/** The settings page's backup and restore card (admins only: the page checks the role). */
export async function BackupRestoreSection({ timeZone, familyName }: { timeZone: string; familyName: string }) {
  const env = getEnv();
  const [t, format] = await Promise.all([getTranslations("BackupRestore"), getFormatter()]);
  const live = liveTarget();
  const engine = live.engine;
  const superuser = await isSuperuserRole(live).catch(() => false);
  // What the last restore (or the recovery of an interrupted one) did, in its own words.
  const last = await (
    await getDb()
  ).event.findFirst({
    where: { OR: [{ kind: "restore" }, { kind: "import" }, { kind: { startsWith: "recovery-" } }] },
    orderBy: { id: "desc" },
  });
  // The catalogue beside the backups, not the database: a restore cannot revert it.
  const verified = lastVerifiedBackup(env.WIMM_BACKUP_DIR);
  const now = new Date();
  return (
    <Card id="backup-restore" aria-labelledby="backup-restore-title">
      <CardHeader>
        <CardTitle>
          <h2 id="backup-restore-title">{t("title")}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-6">
        {superuser && (
          <Alert variant="destructive" data-testid="superuser-warning">
            <AlertTitle>{t("superuserTitle")}</AlertTitle>
            <AlertDescription>{t("superuserText")}</AlertDescription>
          </Alert>
        )}
        <p className="text-sm" data-testid="last-verified-backup">
          {verified
            ? t("lastVerified", {
                when: format.relativeTime(new Date(verified.createdAt), now),
                file: verified.file,
              })
            : t("noVerified")}
        </p>
        {last && (
          <p className="text-sm" data-testid="last-restore-event">
            <span className="font-medium">
              {t(last.kind.startsWith("recovery-") ? "recovered" : "lastRestore", {
                // In the family's time zone (next-intl's request config), with the zone named.
                when: format.dateTime(last.createdAt, MOMENT_WITH_ZONE),
              })}
            </span>{" "}
            {last.message}
          </p>
        )}
        {/* One restore flow for both ways in: a file chosen here, or a backup of the catalogue. */}
        <RestoreFlowProvider demoMode={env.DEMO_MODE}>
          <BackupRestorePanel
            engine={engine}
            demoMode={env.DEMO_MODE}
            maxUploadMb={env.WIMM_MAX_UPLOAD_MB}
            canEncrypt={readBackupRecipients(env.WIMM_BACKUP_DIR, env).length > 0}
          />
          <BackupCatalogueSection timeZone={timeZone} />
        </RestoreFlowProvider>
        <BackupEncryptionSection family={familyName} />
      </CardContent>
    </Card>
  );
}
