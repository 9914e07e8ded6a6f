import "server-only";
import { getEnv } from "../env.ts";
import { RestoreInProgressError, isRestoreInProgress, runWrite } from "../backup-restore/spine/maintenance-lock.ts";

export { RestoreInProgressError };

/** True while a restore holds the maintenance lock (this process or another). */
export function restoreInProgress(): boolean {
  return isRestoreInProgress(getEnv().WIMM_BACKUP_DIR);
}

/**
 * Every write of a server action goes through here: refused while a restore runs, and
 * counted so a restore starting now waits for it to finish instead of losing it.
 */
export function withWriteGate<T>(write: () => Promise<T>): Promise<T> {
  return runWrite(getEnv().WIMM_BACKUP_DIR, write);
}
