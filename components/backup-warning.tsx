import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

import { readBackupAlerts } from "@/lib/backup-restore/schedule/backup-alerts";
import { getEnv } from "@/lib/env";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";
import { cn } from "@/lib/utils";

/**
 * For admins, on every page: no verified backup, or the newest is older than twice the
 * schedule's interval; the last scheduled backup failed; the last drill failed. Red when
 * something failed, amber when a backup is only old. A failure's details (a driver's message,
 * a path) stay in the log and the audit trail: the banner names when and why in short.
 */
export async function BackupWarning({ timeZone }: { timeZone: string }) {
  const env = getEnv();
  const { staleness, failures } = readBackupAlerts(env.WIMM_BACKUP_DIR, env, timeZone);
  if (!staleness.stale && failures.length === 0) return null;
  const [t, format] = await Promise.all([getTranslations("BackupWarning"), getFormatter()]);
  const when = (iso: string) => format.dateTime(new Date(iso), MOMENT_WITH_ZONE);
  return (
    <div
      role="status"
      data-testid="backup-warning"
      className={cn(
        "border-b px-4 py-2 text-sm sm:px-6",
        failures.length ? "border-red-300 bg-red-50 text-red-950" : "border-amber-300 bg-amber-50 text-amber-950",
      )}
    >
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-2">
        {failures.map((failure) => (
          <span key={failure.kind} data-testid={`backup-warning-${failure.kind}`}>
            {t(failure.kind === "drill" ? "drillFailed" : "scheduledFailed", {
              when: when(failure.at),
              reason: t(`reasons.${failure.code}`),
            })}
          </span>
        ))}
        {staleness.stale && (
          <span data-testid="backup-warning-stale">
            {staleness.lastVerifiedAt
              ? t("old", { when: format.relativeTime(new Date(staleness.lastVerifiedAt), new Date()) })
              : t("none")}
          </span>
        )}
        <Link href="/settings#backup-restore" className="underline">
          {t("open")}
        </Link>
      </div>
    </div>
  );
}
