"use client";

import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

import { listOffsiteBackups } from "./offsite-actions";
import type { OffsiteListResult } from "./offsite-schema";
import { useRestoreFlow } from "./restore-flow";

/**
 * The copies on the off-site remote, listed from the remote itself on request, each
 * restorable through the same dialogs as a chosen file (it is fetched into an upload first).
 */
export function OffsiteCopies({ remote }: { remote: string }) {
  const t = useTranslations("OffsiteCopies");
  const format = useFormatter();
  const { busy, ready, demoMode, askToRestore } = useRestoreFlow();
  const [listing, setListing] = useState<OffsiteListResult | null>(null);
  const [pending, startTransition] = useTransition();
  const size = (bytes: number) => `${format.number(bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`;
  return (
    <section aria-labelledby="offsite-copies-title" className="grid gap-3" data-testid="offsite-copies">
      <h4 id="offsite-copies-title" className="text-sm font-medium">
        {t("title")}
      </h4>
      <p className="text-sm text-muted-foreground">{t("text", { remote })}</p>
      <div>
        <Button
          type="button"
          variant="outline"
          disabled={pending || !ready}
          onClick={() => startTransition(async () => setListing(await listOffsiteBackups()))}
        >
          {listing ? t("refresh") : t("list")}
        </Button>
      </div>
      {listing && !listing.ok && (
        <p role="alert" className="text-sm text-destructive">
          {listing.error}
        </p>
      )}
      {listing?.ok && listing.copies.length === 0 && <p className="text-sm text-muted-foreground">{t("none")}</p>}
      {listing?.ok && listing.copies.length > 0 && (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("when")}</TableHead>
              <TableHead>{t("size")}</TableHead>
              <TableHead>{t("state")}</TableHead>
              <TableHead>
                <span className="sr-only">{t("actions")}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {listing.copies.map((c) => (
              <TableRow key={c.file} data-testid="offsite-row" data-file={c.file}>
                <TableCell title={c.file}>
                  <div>{c.when}</div>
                  <div className="text-muted-foreground">{c.engine === "sqlite" ? "SQLite" : "PostgreSQL"}</div>
                </TableCell>
                <TableCell>{size(c.bytes)}</TableCell>
                <TableCell>
                  <div>
                    {c.verified === true ? `✓ ${t("verified")}` : c.verified === false ? `✗ ${t("notVerified")}` : "?"}
                  </div>
                  {c.encrypted && <div className="text-muted-foreground">{t("encrypted")}</div>}
                </TableCell>
                <TableCell>
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    disabled={busy || demoMode || !ready}
                    onClick={() => askToRestore({ kind: "remote", file: c.file, when: c.when })}
                  >
                    {t("restore")}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
