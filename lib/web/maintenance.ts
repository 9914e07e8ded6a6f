import "server-only";
import { getTranslations } from "next-intl/server";
import { log } from "../log.ts";
import { getEnv } from "../env.ts";
import { RestoreInProgressError, isRestoreInProgress, runWrite } from "../backup-restore/spine/maintenance-lock.ts";
import { unsettledRestore } from "../backup-restore/spine/journal.ts";

/**
 * True while a restore holds the maintenance lock (this process or another), and while a
 * restore that could be neither finished nor undone waits for an administrator.
 */
export function restoreInProgress(): boolean {
  const dir = getEnv().WIMM_BACKUP_DIR;
  return isRestoreInProgress(dir) || unsettledRestore(dir) !== null;
}

/** The restore an administrator must settle (`./bin/wimm restore <safety backup>`), if any. */
export function restoreToSettle(): { safetyBackup: string | null } | null {
  const dir = getEnv().WIMM_BACKUP_DIR;
  return isRestoreInProgress(dir) ? null : unsettledRestore(dir);
}

/**
 * Every write of a server action goes through here: refused while a restore runs, and
 * counted so a restore starting now waits for it to finish instead of losing it.
 */
export function withWriteGate<T>(write: () => Promise<T>): Promise<T> {
  return runWrite(getEnv().WIMM_BACKUP_DIR, write);
}

/** A write through the gate as a server action sees it: its value, or the message to show instead. */
export type GatedWrite<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * withWriteGate for an action that answers its form: a refusal comes back as a value, so the
 * action maps it like any other. While a restore runs, the message is Common.restoreInProgress
 * in the user's language (nothing was written). Any other error is a bug or a database fault:
 * the driver's message goes to the log, never to the user, who reads `failure.message`; an
 * action without a failure text of its own (no `failure`) lets it reach Next's error page.
 */
export async function writeThroughGate<T>(
  write: () => Promise<T>,
  failure?: { doing: string; message: string },
): Promise<GatedWrite<T>> {
  try {
    return { ok: true, value: await withWriteGate(write) };
  } catch (error) {
    if (error instanceof RestoreInProgressError) {
      const t = await getTranslations("Common");
      return { ok: false, message: t("restoreInProgress") };
    }
    if (!failure) throw error;
    log("WEB", `${failure.doing} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, message: failure.message };
  }
}
