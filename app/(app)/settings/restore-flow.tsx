"use client";

import { useRouter } from "next/navigation";
import { createContext, use, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
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

import { RestorePreviewDetails } from "./restore-preview";
import { RestoreProgressView, type WorkingProgress } from "./restore-progress";
import {
  followRestore,
  forgetRestore,
  rememberRestore,
  rememberedRestore,
  uploadWithProgress,
  type FollowOutcome,
} from "./restore-transport";
import {
  discardUpload,
  previewCatalogueBackup,
  previewUploadedBackup,
  restoreCatalogueBackup,
  restoreUploadedBackup,
} from "./restore-actions";
import { KeyTextField } from "./key-text-field";
import { fetchOffsiteBackup } from "./offsite-actions";
import type { PreviewActionResult, RestorePreviewView } from "./restore-schema";

/**
 * One restore at a time, whichever way it was started: a file chosen on this computer or a
 * backup of the catalogue (already on the server). A chosen file is uploaded first; then the
 * server says what the restore would do (the preview: the backup's family, users, schema, rows
 * and balances beside the live ones, and what would be lost), and only then does the admin
 * confirm — "replace all current data?", and for a SQLite backup on PostgreSQL the migration's
 * own — on that same upload. Every way ends on the same outcome, shown in the panel.
 */
export type RestoreSource =
  | { kind: "upload"; file: File }
  | { kind: "catalogue"; file: string; when: string }
  /** A copy on the off-site remote: fetched into an upload first, then as a chosen file. */
  | { kind: "remote"; file: string; when: string };

/** What a confirmed migration runs on: the stored upload, or the catalogue's file. */
type Target = { kind: "upload"; uploadId: string } | { kind: "catalogue"; file: string };

type Phase =
  | { name: "idle" }
  | { name: "confirm"; source: RestoreSource; target: Target; preview: RestorePreviewView }
  /** An encrypted backup: its key is asked for (again, when the one given did not open it). */
  | { name: "key"; source: RestoreSource; target: Target; wrong: boolean }
  | { name: "working"; step: string; progress?: WorkingProgress }
  | { name: "confirm-migration"; target: Target }
  | {
      name: "done";
      family: { name: string };
      users: { username: string; role: string }[];
      money?: { accounts: number; totalCents: string };
      upgraded?: { from: number; to: number };
    }
  | { name: "failed"; error: string; details: string };

const REDIRECT_DELAY_MS = 4000;

/** Where the outcome is shown; a restore started from the catalogue scrolls it into view. */
export const RESTORE_OUTCOME_ID = "restore-outcome";

type RestoreFlow = {
  phase: Phase;
  busy: boolean;
  /** False in the server's HTML and until React has hydrated the page: a click before then
   *  would reach no handler and be lost in silence, so the buttons wait for it. */
  ready: boolean;
  demoMode: boolean;
  askToRestore: (source: RestoreSource) => void;
};

const noSubscription = () => () => {};

const RestoreFlowContext = createContext<RestoreFlow | null>(null);

export function useRestoreFlow(): RestoreFlow {
  const flow = use(RestoreFlowContext);
  if (!flow) throw new Error("useRestoreFlow outside RestoreFlowProvider");
  return flow;
}

export function RestoreFlowProvider({ demoMode, children }: { demoMode: boolean; children: React.ReactNode }) {
  const router = useRouter();
  const t = useTranslations("BackupRestore");
  const tp = useTranslations("RestoreProgress");
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  /**
   * The key of the encrypted backup being restored, as the admin gave it: sent with each step
   * that reads the backup (preview, restore, the migration's second answer), kept in this
   * page's memory only — never in the phase, which the page remembers across reloads.
   */
  const backupKey = useRef<string | undefined>(undefined);
  /** The restore being followed, stopped when the page goes or another is followed. */
  const following = useRef<AbortController | null>(null);
  const busy = phase.name === "working";
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  // After a restore every session has ended: the page goes to sign-in after a moment to read
  // the preview. The timer goes with the page, so it can never fire on a later one (the
  // admin may have left, signed in again and started choosing the next file).
  const done = phase.name === "done";
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => router.replace("/login?restored=1"), REDIRECT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [done, router]);

  function askToRestore(source: RestoreSource) {
    if (busy || demoMode) return;
    backupKey.current = undefined;
    if (source.kind !== "upload") document.getElementById(RESTORE_OUTCOME_ID)?.scrollIntoView({ block: "center" });
    void preview(source);
  }

  /** Upload (a chosen file), then the preview; the confirmation opens on it, or the refusal shows. */
  async function preview(source: RestoreSource) {
    let target: Target;
    if (source.kind === "upload") {
      const uploadId = await upload(source.file);
      if (!uploadId) return;
      target = { kind: "upload", uploadId };
    } else if (source.kind === "remote") {
      setPhase({ name: "working", step: t("fetchingOffsite", { file: source.file }) });
      let fetched;
      try {
        fetched = await fetchOffsiteBackup({ file: source.file });
      } catch {
        setPhase({ name: "failed", error: t("noAnswer"), details: t("noAnswerDetails") });
        return;
      }
      if (!fetched.ok) {
        setPhase({ name: "failed", error: fetched.error, details: fetched.details });
        return;
      }
      target = { kind: "upload", uploadId: fetched.uploadId };
    } else target = { kind: "catalogue", file: source.file };
    await previewTarget(source, target);
  }

  /** The server's preview of an uploaded or catalogue backup, with the key given so far. */
  async function previewTarget(source: RestoreSource, target: Target) {
    // A finished upload stays on screen, full, while the backup is read: the browser's last
    // progress event and the upload's answer often reach React in one render, so without
    // this the bar would vanish at whatever share it last showed.
    const size = source.kind === "upload" ? source.file.size : null;
    const key = backupKey.current;
    setPhase({
      name: "working",
      step: t("previewing"),
      ...(size !== null && {
        progress: { phase: "upload", done: size, total: size, percent: 100, secondsLeft: null },
      }),
    });
    let result: PreviewActionResult;
    try {
      // A refused file's upload is removed by the server.
      result =
        target.kind === "upload"
          ? await previewUploadedBackup({ uploadId: target.uploadId, key })
          : await previewCatalogueBackup({ file: target.file, key });
    } catch {
      setPhase({ name: "failed", error: t("noAnswer"), details: t("noAnswerDetails") });
      return;
    }
    if (result.success) setPhase({ name: "confirm", source, target, preview: result.preview });
    else if (result.needsKey) setPhase({ name: "key", source, target, wrong: key !== undefined });
    else setPhase({ name: "failed", error: result.error, details: result.details });
  }

  async function run(target: Target, confirmMigration: boolean) {
    const step = confirmMigration ? t("migrating") : t("restoring");
    setPhase({ name: "working", step });
    let started;
    try {
      started =
        target.kind === "upload"
          ? await restoreUploadedBackup({ uploadId: target.uploadId, confirmMigration, key: backupKey.current })
          : await restoreCatalogueBackup({ file: target.file, confirmMigration, key: backupKey.current });
    } catch {
      setPhase({ name: "failed", error: t("noAnswer"), details: t("noAnswerDetails") });
      return;
    }
    if (!started.success) {
      setPhase({ name: "failed", error: started.error, details: started.details });
      return;
    }
    rememberRestore({ id: started.restoreId, target });
    await follow(started.restoreId, target, step);
  }

  /** Shows the restore's progress until it has a result, then the result. */
  async function follow(id: string, target: Target, step: string, found = false) {
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    setPhase({ name: "working", step });
    const outcome: FollowOutcome = await followRestore(
      id,
      (progress) => setPhase({ name: "working", step, progress }),
      controller.signal,
    );
    if ("stopped" in outcome) return; // the page is going away
    forgetRestore();
    if ("lost" in outcome) {
      // Found in this browser's memory, long over (or from before the server restarted):
      // nothing to say; the page shows the data as it is. One this page started: say so.
      setPhase(found ? { name: "idle" } : { name: "failed", error: t("noAnswer"), details: tp("lost") });
      return;
    }
    if ("noAnswer" in outcome) {
      setPhase({ name: "failed", error: t("noAnswer"), details: t("noAnswerDetails") });
      return;
    }
    const result = outcome.result;
    if (result.success) {
      setPhase({
        name: "done",
        family: result.family,
        users: result.users,
        money: result.money,
        upgraded: result.upgraded,
      });
    } else if ("needsMigrationConfirmation" in result) {
      setPhase({ name: "confirm-migration", target });
    } else {
      setPhase({ name: "failed", error: result.error, details: result.details });
    }
  }

  // A restore this browser started and has not seen the end of (the page was reloaded, or
  // opened again): follow it again, by its id.
  useEffect(() => {
    const remembered = rememberedRestore<Target>();
    if (remembered) void follow(remembered.id, remembered.target, t("restoring"), true);
    return () => following.current?.abort();
    // Once, on the page's first render in the browser.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function upload(file: File): Promise<string | null> {
    const step = t("uploading");
    setPhase({ name: "working", step });
    const answer = await uploadWithProgress(file, (sent, total) =>
      setPhase({
        name: "working",
        step,
        progress: {
          phase: "upload",
          done: sent,
          total,
          percent: total > 0 ? Math.floor((sent / total) * 100) : 0,
          secondsLeft: null,
        },
      }),
    );
    if (!answer) {
      setPhase({ name: "failed", error: t("uploadFailed"), details: t("uploadInterrupted") });
      return null;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok && answer.body.uploadId) return answer.body.uploadId;
    setPhase({
      name: "failed",
      error: answer.body.error ?? t("uploadFailed"),
      details: t("uploadStatus", { status: answer.status }),
    });
    return null;
  }

  /** Cancel, in either dialog: nothing changes, and an upload is removed at once. */
  async function cancel(target: Target) {
    setPhase({ name: "idle" });
    backupKey.current = undefined;
    if (target.kind === "upload") await discardUpload({ uploadId: target.uploadId });
  }

  return (
    <RestoreFlowContext value={{ phase, busy, ready, demoMode, askToRestore }}>
      {children}

      <AlertDialog
        open={phase.name === "key"}
        onOpenChange={(open) => !open && phase.name === "key" && void cancel(phase.target)}
      >
        <AlertDialogContent>
          {phase.name === "key" && (
            <BackupKeyForm
              wrong={phase.wrong}
              onKey={(key) => {
                backupKey.current = key;
                void previewTarget(phase.source, phase.target);
              }}
            />
          )}
        </AlertDialogContent>
      </AlertDialog>

      <AlertDialog
        open={phase.name === "confirm"}
        onOpenChange={(open) => !open && phase.name === "confirm" && void cancel(phase.target)}
      >
        <AlertDialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
          <AlertDialogHeader>
            <AlertDialogTitle>{t("confirmTitle")}</AlertDialogTitle>
            <AlertDialogDescription>
              {phase.name === "confirm" && phase.source.kind !== "upload"
                ? t("confirmCatalogueText", { file: phase.source.file, when: phase.source.when })
                : t("confirmText")}
            </AlertDialogDescription>
          </AlertDialogHeader>
          {phase.name === "confirm" && <RestorePreviewDetails preview={phase.preview} />}
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                // We move on ourselves; letting Radix close the dialog would reset the phase.
                event.preventDefault();
                if (phase.name === "confirm") void run(phase.target, false);
              }}
            >
              {t("continue")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>

      <AlertDialog
        open={phase.name === "confirm-migration"}
        onOpenChange={(open) => !open && phase.name === "confirm-migration" && void cancel(phase.target)}
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
                if (phase.name === "confirm-migration") void run(phase.target, true);
              }}
            >
              {t("migrate")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </RestoreFlowContext>
  );
}

/** The restore's progress and outcome, where the panel puts it. */
export function RestoreOutcome() {
  const t = useTranslations("BackupRestore");
  const { phase } = useRestoreFlow();
  return (
    <div id={RESTORE_OUTCOME_ID} aria-live="polite" className="grid gap-3">
      {phase.name === "working" && (
        <div className="grid gap-2">
          <p role="status" className="text-sm">
            {phase.step}
          </p>
          {phase.progress && <RestoreProgressView progress={phase.progress} />}
        </div>
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
              {phase.money && <p data-testid="restore-money">{t("moneyEqual", { accounts: phase.money.accounts })}</p>}
              {phase.upgraded && <p data-testid="restore-upgraded">{t("upgraded", phase.upgraded)}</p>}
              <p>{t("sessionsEnded")}</p>
            </div>
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}

/** The key of an encrypted backup: pasted, or read from a recovery kit or key file chosen here. */
function BackupKeyForm({ wrong, onKey }: { wrong: boolean; onKey: (key: string) => void }) {
  const t = useTranslations("BackupRestore");
  const [text, setText] = useState("");
  return (
    <form
      className="grid gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) onKey(text);
      }}
    >
      <AlertDialogHeader>
        <AlertDialogTitle>{t("keyTitle")}</AlertDialogTitle>
        <AlertDialogDescription>{t("keyText")}</AlertDialogDescription>
      </AlertDialogHeader>
      {wrong && (
        <p role="alert" className="text-sm text-destructive" data-testid="backup-key-wrong">
          {t("keyWrong")}
        </p>
      )}
      <KeyTextField
        id="backup-key"
        label={t("keyLabel")}
        fileLabel={t("keyFile")}
        value={text}
        onChange={setText}
        rows={3}
      />
      <AlertDialogFooter>
        <AlertDialogCancel type="button">{t("cancel")}</AlertDialogCancel>
        <Button type="submit" disabled={!text.trim()}>
          {t("keyContinue")}
        </Button>
      </AlertDialogFooter>
    </form>
  );
}
