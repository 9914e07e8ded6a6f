"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

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
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

import { discardUpload, restoreUploadedBackup } from "./restore-actions";
import type { RestoreActionResult } from "./restore-schema";

type Phase =
  | { name: "idle" }
  | { name: "confirm" }
  | { name: "working"; step: string }
  | { name: "confirm-migration"; uploadId: string; message: string }
  | { name: "done"; family: { name: string }; users: { username: string; role: string }[] }
  | { name: "failed"; error: string; details: string };

const REDIRECT_DELAY_MS = 4000;

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
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = phase.name === "working";

  function askToRestore() {
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setFileError("Choose a backup file first.");
      return;
    }
    if (file.size > maxUploadMb * 1024 * 1024) {
      setFileError(`The file is larger than the ${maxUploadMb} MB limit.`);
      return;
    }
    setFileError(null);
    setPhase({ name: "confirm" });
  }

  async function run(uploadId: string, confirmMigration: boolean) {
    setPhase({
      name: "working",
      step: confirmMigration ? "Migrating… this can take a few minutes." : "Restoring… do not close this page.",
    });
    let result: RestoreActionResult;
    try {
      result = await restoreUploadedBackup({ uploadId, confirmMigration });
    } catch {
      setPhase({
        name: "failed",
        error: "The server did not answer.",
        details: "Check the server log; reload the page to see the current data.",
      });
      return;
    }
    if (result.success) {
      setPhase({ name: "done", family: result.family, users: result.users });
      setTimeout(() => router.replace("/login?restored=1"), REDIRECT_DELAY_MS);
    } else if ("needsMigrationConfirmation" in result) {
      setPhase({ name: "confirm-migration", uploadId, message: result.message });
    } else {
      setPhase({ name: "failed", error: result.error, details: result.details });
    }
  }

  async function uploadAndRestore() {
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    setPhase({ name: "working", step: "Uploading the backup…" });
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
          error: body.error ?? "The upload failed.",
          details: `The server answered ${response.status}. Nothing was changed.`,
        });
        return;
      }
      uploadId = body.uploadId;
    } catch {
      setPhase({
        name: "failed",
        error: "The upload failed.",
        details: "The connection was interrupted. Nothing was changed.",
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
          <AlertTitle>Disabled in demo mode</AlertTitle>
          <AlertDescription>
            This instance runs with DEMO_MODE=true, so backups cannot be downloaded or restored.
          </AlertDescription>
        </Alert>
      )}

      <section className="grid gap-2" aria-labelledby="download-title">
        <h3 id="download-title" className="font-medium">
          Download backup
        </h3>
        <p className="text-sm text-muted-foreground">
          A complete copy of the live{" "}
          {engine === "sqlite" ? "SQLite database (.sqlite3)" : "PostgreSQL database (pg_dump custom format, .dump)"},
          taken while the app keeps running. A copy is also kept in the server&apos;s backup folder. Backups contain
          your family&apos;s data and password hashes: keep them somewhere private.
        </p>
        <div>
          {demoMode ? (
            <Button disabled>Download backup</Button>
          ) : (
            <a href="/api/backup" download className={cn(buttonVariants({ variant: "default" }))}>
              Download backup
            </a>
          )}
        </div>
      </section>

      <section className="grid gap-3" aria-labelledby="restore-title">
        <h3 id="restore-title" className="font-medium">
          Restore
        </h3>
        <p className="text-sm text-muted-foreground">
          Replace all current data with a backup: a .sqlite3 backup, or a .dump made by pg_dump -Fc
          {engine === "postgresql"
            ? " (a .sqlite3 backup is migrated into PostgreSQL after a second confirmation)"
            : ""}
          . A safety backup of the current data is taken first and put back automatically if anything fails.
        </p>
        <div className="grid gap-2 sm:max-w-md">
          <Label htmlFor="backup-file">Backup file</Label>
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
            Restore backup
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
              <AlertTitle>Backup restored successfully</AlertTitle>
              <AlertDescription>
                <div data-testid="restore-preview" className="grid gap-1">
                  <p>
                    Family: <strong data-testid="restored-family">{phase.family.name}</strong>
                  </p>
                  <p>Users:</p>
                  <ul className="list-disc pl-5" data-testid="restored-users">
                    {phase.users.map((u) => (
                      <li key={u.username}>
                        {u.username} ({u.role})
                      </li>
                    ))}
                  </ul>
                  <p>Every session has ended. Taking you to the sign-in page…</p>
                </div>
              </AlertDescription>
            </Alert>
          )}
        </div>
      </section>

      <AlertDialog open={phase.name === "confirm"} onOpenChange={(open) => !open && setPhase({ name: "idle" })}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Replace all current data?</AlertDialogTitle>
            <AlertDialogDescription>
              All current data — family, users, accounts, categories and transactions — will be replaced by the
              backup&apos;s. We strongly recommend downloading a backup first. Everyone, you included, will have to sign
              in again.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                // We move on ourselves; letting Radix close the dialog would reset the phase.
                event.preventDefault();
                void uploadAndRestore();
              }}
            >
              Continue
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
            <AlertDialogTitle>Migrate this SQLite backup to PostgreSQL?</AlertDialogTitle>
            <AlertDialogDescription asChild>
              <div className="grid gap-2">
                <p>{phase.name === "confirm-migration" ? phase.message : ""}</p>
                <ul className="list-disc pl-5">
                  <li>The current PostgreSQL database is backed up first.</li>
                  <li>All its data is then dropped.</li>
                  <li>The SQLite backup&apos;s data is migrated into PostgreSQL and checked row by row.</li>
                </ul>
              </div>
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                event.preventDefault();
                if (phase.name === "confirm-migration") void run(phase.uploadId, true);
              }}
            >
              Migrate
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
