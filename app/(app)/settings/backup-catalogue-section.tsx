import { getFormatter, getTranslations } from "next-intl/server";

import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { readAuditEntries } from "@/lib/backup-restore/audit/audit-trail";
import { listBackups, type OffsiteRecord } from "@/lib/backup-restore/backups/catalogue";
import { nextScheduledBackup } from "@/lib/backup-restore/schedule/backup-schedule";
import { readBackupSettings } from "@/lib/backup-restore/schedule/backup-settings";
import { newestBackupAt } from "@/lib/backup-restore/schedule/run-scheduled-backup";
import { offsiteSettings, redactRemote } from "@/lib/backup-restore/offsite/offsite-remote";
import { getEnv } from "@/lib/env";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";

import { BackupRetentionForm } from "./backup-retention-form";
import { BackupScheduleForm } from "./backup-schedule-form";
import { DeleteBackupButton } from "./delete-backup-button";
import { OffsiteCopies } from "./offsite-copies";
import { RestoreCatalogueButton } from "./restore-catalogue-button";

/**
 * The backups in the backup folder, as the catalogue beside them describes them (never the
 * database: a restore cannot revert it), the schedule that makes them and the retention that
 * prunes them. Times are in the family's time zone (next-intl's request config).
 */
export async function BackupCatalogueSection({ timeZone }: { timeZone: string }) {
  const env = getEnv();
  const dir = env.WIMM_BACKUP_DIR;
  const [t, format] = await Promise.all([getTranslations("BackupCatalogue"), getFormatter()]);
  const [entries, audit] = await Promise.all([
    listBackups(dir, { timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000 }),
    readAuditEntries(dir, { limit: 50 }),
  ]);
  const lastDrill = [...audit].reverse().find((e) => e.action === "drill");
  const { schedule, retention } = readBackupSettings(dir, env);
  const offsite = offsiteSettings(env);
  const next = nextScheduledBackup({ schedule, timeZone, newestBackupAt: newestBackupAt(dir), startedAt: new Date() });
  const now = new Date();
  const when = (iso: string) => format.dateTime(new Date(iso), MOMENT_WITH_ZONE);
  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? `${format.number(bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`
      : `${format.number(Math.ceil(bytes / 1024))} KB`;
  return (
    <section aria-labelledby="backup-catalogue-title" className="grid grid-cols-1 gap-4">
      <h3 id="backup-catalogue-title" className="font-medium">
        {t("title")}
      </h3>
      <BackupScheduleForm schedule={schedule} next={next ? when(next.toISOString()) : null} />
      <BackupRetentionForm policy={retention} />
      <p className="text-sm" data-testid="last-drill">
        {lastDrill
          ? t(lastDrill.result === "ok" ? "drillOk" : "drillFailed", {
              when: when(lastDrill.at),
              file: lastDrill.file ?? "-",
            })
          : t("drillNone")}
      </p>
      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("none")}</p>
      ) : (
        <Table data-testid="backup-catalogue">
          <TableHeader>
            <TableRow>
              <TableHead>{t("when")}</TableHead>
              <TableHead>{t("size")}</TableHead>
              <TableHead>{t("schema")}</TableHead>
              <TableHead>{t("verified")}</TableHead>
              <TableHead>
                <span className="sr-only">{t("actionsColumn")}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((e) => (
              <TableRow key={e.file} data-testid="backup-row" data-file={e.file}>
                {/* Two lines a cell, so that the row's actions fit beside it in the card. */}
                <TableCell title={e.file}>
                  <div>{when(e.createdAt)}</div>
                  <div className="text-muted-foreground">
                    {t(`triggers.${e.trigger}`)}
                    {e.actor && e.actor !== "system" ? ` · ${e.actor}` : ""}
                  </div>
                </TableCell>
                <TableCell>
                  <div>{size(e.bytes)}</div>
                  <div className="text-muted-foreground">{e.engine === "sqlite" ? "SQLite" : "PostgreSQL"}</div>
                </TableCell>
                <TableCell>{e.schemaVersion ?? "?"}</TableCell>
                <TableCell data-testid="backup-verified">
                  {e.verified === true ? (
                    <Badge variant="secondary" title={e.verification ?? undefined}>
                      ✓ {t("verifiedYes")}
                    </Badge>
                  ) : e.verified === false ? (
                    <Badge variant="destructive" title={e.verification ?? undefined}>
                      ✗ {t("verifiedNo")}
                    </Badge>
                  ) : (
                    <Badge variant="outline">{t("verifiedNotYet")}</Badge>
                  )}
                  {e.encrypted && (
                    <div
                      className="text-muted-foreground"
                      data-testid="backup-encrypted"
                      title={`${e.encrypted.file} → ${(e.encrypted.recipients ?? []).join(", ")}`}
                    >
                      {e.encrypted.recipients?.length
                        ? t("encryptedTo", {
                            key: shortKey(e.encrypted.recipients[0]!),
                            more: e.encrypted.recipients.length - 1,
                          })
                        : t("encryptedBadge")}
                    </div>
                  )}
                  {/* 3-2-1: the newest word of each off-site copy, under the local one. */}
                  {latestPerRemote(e.offsite ?? []).map((copy) => (
                    <div
                      key={copy.remote}
                      className={copy.ok ? "text-muted-foreground" : "text-destructive"}
                      data-testid="backup-offsite"
                      data-ok={copy.ok}
                      // Where and when in the title: the cell stays narrow enough for the row's actions.
                      title={`${copy.remote}${copy.ok ? "" : `: ${copy.code ?? ""}`} · ${format.relativeTime(new Date(copy.checkedAt), now)}`}
                    >
                      {t(copy.ok ? "offsiteOk" : "offsiteFailed")}
                    </div>
                  ))}
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap items-center gap-x-1 whitespace-normal">
                    <a className="text-sm underline" href={`/api/backups/${encodeURIComponent(e.file)}`} download>
                      {t("download")}
                    </a>
                    {e.encrypted && (
                      <a
                        className="text-sm underline"
                        href={`/api/backups/${encodeURIComponent(e.encrypted.file)}`}
                        download
                        title={e.encrypted.file}
                      >
                        {t("downloadEncrypted")}
                      </a>
                    )}
                    <RestoreCatalogueButton file={e.file} when={when(e.createdAt)} />
                    <DeleteBackupButton file={e.file} />
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {offsite && <OffsiteCopies remote={redactRemote(offsite.remote)} />}
      {audit.length > 0 && (
        <details data-testid="audit-trail">
          <summary className="cursor-pointer text-sm font-medium">{t("auditTitle")}</summary>
          <ol className="mt-2 grid gap-1 text-sm">
            {[...audit].reverse().map((e) => (
              <li key={e.seq}>
                <span className="text-muted-foreground">{when(e.at)}</span> · {t(`actions.${e.action}`)} ·{" "}
                {t(`results.${e.result}`)} · {e.actor}
                {e.file ? ` · ${e.file}` : ""}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

/** A backup's last record per remote (a remote retried after a failure shows how the retry went). */
function latestPerRemote(copies: OffsiteRecord[]): OffsiteRecord[] {
  const byRemote = new Map<string, OffsiteRecord>();
  for (const copy of copies) {
    const seen = byRemote.get(copy.remote);
    if (!seen || Date.parse(copy.checkedAt) >= Date.parse(seen.checkedAt)) byRemote.set(copy.remote, copy);
  }
  return [...byRemote.values()];
}

/** `age1abcd…wxyz`: enough to match a backup to the key in a recovery kit at a glance. */
const shortKey = (recipient: string) => `${recipient.slice(0, 9)}…${recipient.slice(-4)}`;
