"use client";

import { useTranslations } from "next-intl";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";

import type { RestorePreviewView } from "./restore-schema";

/**
 * What a restore of the chosen backup would do, in the confirmation dialog: first what would
 * be lost (with the CSV of those transactions), then the backup itself, then its rows and
 * balances beside the live ones. Every number, amount and moment arrives written by the
 * server (restore-actions.ts), in the family's currency and time zone.
 */
export function RestorePreviewDetails({ preview: p }: { preview: RestorePreviewView }) {
  const t = useTranslations("BackupRestore");
  const lostAnything = p.lost.transactions + p.lost.accounts + p.lost.users > 0;
  const changedAnything = p.changed.transactions + p.changed.accounts + p.changed.users > 0;
  return (
    <div className="grid gap-4 text-sm" data-testid="restore-preview-before">
      <Alert variant={lostAnything || changedAnything ? "destructive" : "default"} data-testid="restore-losses">
        <AlertTitle data-testid="restore-lost">
          {lostAnything ? t("previewLost", p.lost) : t("previewNothingLost")}
        </AlertTitle>
        <AlertDescription>
          {changedAnything && <p data-testid="restore-changed">{t("previewChanged", p.changed)}</p>}
          {p.csvUrl && (
            <Button asChild variant="outline" size="sm" className="mt-2">
              <a href={p.csvUrl} download data-testid="restore-lost-csv">
                {t("previewDownloadCsv")}
              </a>
            </Button>
          )}
        </AlertDescription>
      </Alert>

      <section className="grid gap-1" aria-label={t("previewBackupTitle")}>
        <h3 className="font-medium">{t("previewBackupTitle")}</h3>
        <p>
          {t("family")} <strong data-testid="preview-family">{p.family}</strong>
        </p>
        <p>{t("users")}</p>
        <ul className="list-disc pl-5" data-testid="preview-users">
          {p.users.map((u) => (
            <li key={u.username}>
              {u.username} ({t("role", { role: u.role })})
            </li>
          ))}
        </ul>
        <p data-testid="preview-schema">
          {t("previewSchema", { version: p.schemaVersion })}
          {p.upgrade && <> {t("previewUpgrade", p.upgrade)}</>}
        </p>
        {p.appVersion && <p data-testid="preview-app-version">{t("previewAppVersion", { version: p.appVersion })}</p>}
        {p.createdAt && <p data-testid="preview-created">{t("previewCreated", { when: p.createdAt })}</p>}
      </section>

      <Table data-testid="preview-tables">
        <TableHeader>
          <TableRow>
            <TableHead>{t("previewTable")}</TableHead>
            <TableHead className="text-right">{t("previewBackup")}</TableHead>
            <TableHead className="text-right">{t("previewNow")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {p.tables.map((row) => (
            <TableRow key={row.name} data-table={row.name}>
              <TableCell className="font-mono text-xs">{row.name}</TableCell>
              <TableCell className="text-right tabular-nums">{row.backup ?? "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{row.live ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Table data-testid="preview-accounts">
        <TableHeader>
          <TableRow>
            <TableHead>{t("previewAccount")}</TableHead>
            <TableHead className="text-right">{t("previewBackup")}</TableHead>
            <TableHead className="text-right">{t("previewNow")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {p.accounts.map((a) => (
            <TableRow key={a.id} data-account={a.id}>
              <TableCell className="whitespace-normal">{a.name}</TableCell>
              <TableCell className="text-right tabular-nums">{a.backup ?? "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{a.live ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell>{t("previewTotal")}</TableCell>
            <TableCell className="text-right tabular-nums">{p.total.backup}</TableCell>
            <TableCell className="text-right tabular-nums">{p.total.live}</TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </div>
  );
}
