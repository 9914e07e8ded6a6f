import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

import { backupStaleness } from "@/lib/backup-restore/backups/backup-staleness";
import { getEnv } from "@/lib/env";

/** For admins, on every page: no verified backup, or the newest is older than twice the schedule's interval. */
export async function BackupWarning({ timeZone }: { timeZone: string }) {
  const env = getEnv();
  const status = backupStaleness(env.WIMM_BACKUP_DIR, env, timeZone);
  if (!status.stale) return null;
  const [t, format] = await Promise.all([getTranslations("BackupWarning"), getFormatter()]);
  return (
    <div
      role="status"
      data-testid="backup-warning"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 sm:px-6"
    >
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-2">
        <span>
          {status.lastVerifiedAt
            ? t("old", { when: format.relativeTime(new Date(status.lastVerifiedAt), new Date()) })
            : t("none")}
        </span>
        <Link href="/settings#backup-restore" className="underline">
          {t("open")}
        </Link>
      </div>
    </div>
  );
}
