"use client";

import { useCallback, useRef, useState } from "react";
import { useTranslations } from "next-intl";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

import { RestoreOutcome, useRestoreFlow } from "./restore-flow";

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

/**
 * The file the admin chose, kept by the panel until they choose another: the restore reads
 * it from here, not from whatever the file input holds at the moment of the click. A file
 * input's choice lives in its DOM element only; if React ever hands the panel a new element
 * (a remount), the choice would silently go with the old one. So: a choice made before the
 * page was interactive (the element already holds a file when React attaches to it) is
 * adopted, and a new element is given the kept file back, so what the field shows and what
 * a restore uploads are always the same file.
 */
function useChosenFile() {
  const [file, setFile] = useState<File | null>(null);
  const kept = useRef<File | null>(null);
  const choose = useCallback((next: File | null) => {
    kept.current = next;
    setFile(next);
  }, []);
  const input = useCallback(
    (node: HTMLInputElement | null) => {
      if (!node) return;
      const held = node.files?.[0] ?? null;
      if (held && held !== kept.current) choose(held);
      else if (!held && kept.current) {
        const transfer = new DataTransfer();
        transfer.items.add(kept.current);
        node.files = transfer.files;
      }
    },
    [choose],
  );
  return { file, inputRef: input, choose };
}

export function BackupRestorePanel({
  engine,
  demoMode,
  maxUploadMb,
  canEncrypt,
}: {
  engine: "sqlite" | "postgresql";
  demoMode: boolean;
  maxUploadMb: number;
  /** There are keys to encrypt to (Encryption, below): the download may be the encrypted copy. */
  canEncrypt: boolean;
}) {
  const t = useTranslations("BackupRestore");
  const { busy, ready, askToRestore } = useRestoreFlow();
  const [fileError, setFileError] = useState<string | null>(null);
  const [backupFailure, setBackupFailure] = useState<{ error: string; details: string } | null>(null);
  const { file: chosenFile, inputRef: fileInputRef, choose: chooseFile } = useChosenFile();

  function askToRestoreChosen() {
    const file = chosenFile;
    if (!file) {
      setFileError(t("chooseFile"));
      return;
    }
    if (file.size > maxUploadMb * 1024 * 1024) {
      setFileError(t("tooLarge", { limit: maxUploadMb }));
      return;
    }
    setFileError(null);
    askToRestore({ kind: "upload", file });
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
          <div className="flex flex-wrap items-center gap-4">
            <Button type="submit" disabled={demoMode}>
              {t("downloadButton")}
            </Button>
            {canEncrypt && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="encrypt" value="1" />
                {t("downloadEncrypted")}
              </label>
            )}
          </div>
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
            ref={fileInputRef}
            type="file"
            accept=".sqlite3,.dump,.gz,.age"
            disabled={demoMode || busy}
            aria-describedby="backup-file-error"
            onChange={(event) => {
              chooseFile(event.currentTarget.files?.[0] ?? null);
              setFileError(null);
            }}
          />
          <p id="backup-file-error" aria-live="polite" className="text-sm text-destructive">
            {fileError}
          </p>
        </div>
        <div>
          <Button variant="destructive" onClick={askToRestoreChosen} disabled={!ready || demoMode || busy}>
            {t("restoreButton")}
          </Button>
        </div>

        <RestoreOutcome />
      </section>
    </div>
  );
}
