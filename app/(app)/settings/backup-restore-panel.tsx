"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useTranslations } from "next-intl";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

import { discardUpload, restoreUploadedBackup } from "./restore-actions";
import type { RestoreActionResult } from "./restore-schema";

type Phase =
  | { name: "idle" }
  | { name: "confirm" }
  | { name: "working"; step: string }
  | { name: "confirm-migration"; uploadId: string }
  | {
      name: "done";
      family: { name: string };
      users: { username: string; role: string }[];
      upgraded?: { from: number; to: number };
    }
  | { name: "failed"; error: string; details: string };

const REDIRECT_DELAY_MS = 4000;

/** The hidden frame the backup form posts into (see readBackupAnswer). */
const BACKUP_FRAME = "backup-download";

/**
 * What the backup form's frame holds once it loads. A backup is an attachment, which the
 * browser saves without loading anything into the frame; so a document there is a refusal or
 * a failure (the route's JSON: its text in the user's language, and the specifics), or a page
 * we did not expect. Null for the frame's own empty start.
 */
function readBackupAnswer(frame: HTMLIFrameElement): { error?: string; details?: string } | null {
  const doc = frame.contentDocument;
  if (!doc || doc.location.href === "about:blank") return null;
  try {
    const body = JSON.parse(doc.body?.textContent ?? "") as { error?: unknown; details?: unknown };
    return {
      ...(typeof body.error === "string" && { error: body.error }),
      ...(typeof body.details === "string" && { details: body.details }),
    };
  } catch {
    return {};
  }
}

export function BackupRestorePanel({
  engine,
  demoMode,
  maxUploadMb,
}: {
  engine: "sqlite" | "postgresql";
  demoMode: boolean;
  maxUploadMb: number;
}) {
  const router = useRouter();
  const t = useTranslations("BackupRestore");
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [fileError, setFileError] = useState<string | null>(null);
  const [backupFailure, setBackupFailure] = useState<{ error: string; details: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = phase.name === "working";

  function askToRestore() {
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setFileError(t("chooseFile"));
      return;
    }
    if (file.size > maxUploadMb * 1024 * 1024) {
      setFileError(t("tooLarge", { limit: maxUploadMb }));
      return;
    }
    setFileError(null);
    setPhase({ name: "confirm" });
  }

  async function run(uploadId: string, confirmMigration: boolean) {
    setPhase({
      name: "working",
      step: confirmMigration ? t("migrating") : t("restoring"),
    });
    let result: RestoreActionResult;
    try {
      result = await restoreUploadedBackup({ uploadId, confirmMigration });
    } catch {
      setPhase({
        name: "failed",
        error: t("noAnswer"),
        details: t("noAnswerDetails"),
      });
      return;
    }
    if (result.success) {
      setPhase({ name: "done", family: result.family, users: result.users, upgraded: result.upgraded });
      setTimeout(() => router.replace("/login?restored=1"), REDIRECT_DELAY_MS);
    } else if ("needsMigrationConfirmation" in result) {
      setPhase({ name: "confirm-migration", uploadId });
    } else {
      setPhase({ name: "failed", error: result.error, details: result.details });
    }
  }

  async function uploadAndRestore() {
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    setPhase({ name: "working", step: t("uploading") });
    let uploadId: string;
    try {
      const response = await fetch("/api/restore/upload", {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: file,
      });
      const body = (await response.json().catch(() => ({}))) as { uploadId?: string; error?: string };
      if (!response.ok || !body.uploadId) {
        setPhase({
          name: "failed",
          error: body.error ?? t("uploadFailed"),
          details: t("uploadStatus", { status: response.status }),
        });
        return;
      }
      uploadId = body.uploadId;
    } catch {
      setPhase({
        name: "failed",
        error: t("uploadFailed"),
        details: t("uploadInterrupted"),
      });
      return;
    }
    await run(uploadId, false);
  }

  async function cancelMigration(uploadId: string) {
    setPhase({ name: "idle" });
    await discardUpload({ uploadId });
  }

  return (
    <div className="grid gap-6">
      {demoMode && (
        <Alert>
          <AlertTitle>{t("demoTitle")}</AlertTitle>
          <AlertDescription>{t("demoText")}</AlertDescription>
        </Alert>
      )}

      <section className="grid gap-2" aria-labelledby="download-title">
        <h3 id="download-title" className="font-medium">
          {t("downloadTitle")}
        </h3>
        <p className="text-sm text-muted-foreground">{t("downloadText", { engine })}</p>
        {/* A backup is created by a POST (a GET creates nothing): a plain form, so the browser
            streams the file to disk under the name the server gives it, however large. It posts
            into a hidden frame, so that a refusal lands there and is shown here, not instead
            of this page. */}
        <form method="post" action="/api/backup" target={BACKUP_FRAME} onSubmit={() => setBackupFailure(null)}>
          <Button type="submit" disabled={demoMode}>
            {t("downloadButton")}
          </Button>
        </form>
        <iframe
          name={BACKUP_FRAME}
          title={t("downloadTitle")}
          hidden
          onLoad={(event) => {
            const answer = readBackupAnswer(event.currentTarget);
            if (answer)
              setBackupFailure({
                error: answer.error ?? t("downloadFailed"),
                details: answer.details ?? t("downloadFailedDetails"),
              });
          }}
        />
        <div aria-live="polite">
          {backupFailure && (
            <Alert variant="destructive" data-testid="backup-failed">
              <AlertTitle data-testid="backup-error">{backupFailure.error}</AlertTitle>
              <AlertDescription>
                <p data-testid="backup-details">{backupFailure.details}</p>
              </AlertDescription>
            </Alert>
          )}
        </div>
      </section>

      <section className="grid gap-3" aria-labelledby="restore-title">
        <h3 id="restore-title" className="font-medium">
          {t("restoreTitle")}
        </h3>
        <p className="text-sm text-muted-foreground">{t("restoreText", { engine })}</p>
        <div className="grid gap-2 sm:max-w-md">
          <Label htmlFor="backup-file">{t("fileLabel")}</Label>
          <Input
            id="backup-file"
            ref={fileInput}
            type="file"
            accept=".sqlite3,.dump"
            disabled={demoMode || busy}
            aria-describedby="backup-file-error"
            onChange={() => setFileError(null)}
          />
          <p id="backup-file-error" aria-live="polite" className="text-sm text-destructive">
            {fileError}
          </p>
        </div>
        <div>
          <Button variant="destructive" onClick={askToRestore} disabled={demoMode || busy}>
            {t("restoreButton")}
          </Button>
        </div>

        <div aria-live="polite" className="grid gap-3">
          {phase.name === "working" && (
            <p role="status" className="text-sm">
              {phase.step}
            </p>
          )}
          {phase.name === "failed" && (
            <Alert variant="destructive" data-testid="restore-failed">
              <AlertTitle data-testid="restore-error">{phase.error}</AlertTitle>
              <AlertDescription>
                <p data-testid="restore-details">{phase.details}</p>
              </AlertDescription>
            </Alert>
          )}
          {phase.name === "done" && (
            <Alert data-testid="restore-success">
              <AlertTitle>{t("successTitle")}</AlertTitle>
              <AlertDescription>
                <div data-testid="restore-preview" className="grid gap-1">
                  <p>
                    {t("family")} <strong data-testid="restored-family">{phase.family.name}</strong>
                  </p>
                  <p>{t("users")}</p>
                  <ul className="list-disc pl-5" data-testid="restored-users">
                    {phase.users.map((u) => (
                      <li key={u.username}>
                        {u.username} ({t("role", { role: u.role })})
                      </li>
                    ))}
                  </ul>
                  {phase.upgraded && <p data-testid="restore-upgraded">{t("upgraded", phase.upgraded)}</p>}
                  <p>{t("sessionsEnded")}</p>
                </div>
              </AlertDescription>
            </Alert>
          )}
        </div>
      </section>

      <AlertDialog open={phase.name === "confirm"} onOpenChange={(open) => !open && setPhase({ name: "idle" })}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{t("confirmTitle")}</AlertDialogTitle>
            <AlertDialogDescription>{t("confirmText")}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                // We move on ourselves; letting Radix close the dialog would reset the phase.
                event.preventDefault();
                void uploadAndRestore();
              }}
            >
              {t("continue")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>

      <AlertDialog
        open={phase.name === "confirm-migration"}
        onOpenChange={(open) => !open && phase.name === "confirm-migration" && void cancelMigration(phase.uploadId)}
      >
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{t("migrateTitle")}</AlertDialogTitle>
            <AlertDialogDescription asChild>
              <div className="grid gap-2">
                <p>{t("migrateText")}</p>
                <ul className="list-disc pl-5">
                  <li>{t("migrateStep1")}</li>
                  <li>{t("migrateStep2")}</li>
                  <li>{t("migrateStep3")}</li>
                </ul>
              </div>
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                event.preventDefault();
                if (phase.name === "confirm-migration") void run(phase.uploadId, true);
              }}
            >
              {t("migrate")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
