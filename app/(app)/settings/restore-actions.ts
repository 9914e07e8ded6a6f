"use server";

import { closeDb, ensureLiveDatabase, liveTarget } from "@/lib/db/live";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { restoreBackup } from "@/lib/restore/restore-backup";
import { findUpload, removeUpload } from "@/lib/uploads/upload-store";
import { getCurrentUser } from "@/lib/web/auth";

import { DiscardUploadSchema, RestoreRequestSchema, type RestoreActionResult } from "./restore-schema";

const notAllowed: RestoreActionResult = {
  success: false,
  error: "Not allowed.",
  details: "Only an administrator can restore a backup.",
};

/** Steps two and three of a restore: run it on an uploaded file (and, for a migration, again once confirmed). */
export async function restoreUploadedBackup(input: unknown): Promise<RestoreActionResult> {
  const user = await getCurrentUser();
  if (!user || user.role !== "admin") return notAllowed;
  const parsed = RestoreRequestSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: "Invalid request.", details: "The upload id is not valid." };
  const env = getEnv();
  if (env.DEMO_MODE) {
    removeUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
    return {
      success: false,
      error: "Backup and restore are disabled in demo mode.",
      details: "This instance runs with DEMO_MODE=true.",
    };
  }
  const file = findUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
  if (!file)
    return {
      success: false,
      error: "The uploaded file is no longer there.",
      details: "Choose the file again and restart the restore.",
    };

  let keepUpload = false;
  try {
    await ensureLiveDatabase();
    log("RESTORE", `requested by ${user.username}`);
    const result = await restoreBackup({
      file,
      live: liveTarget(),
      confirmMigration: parsed.data.confirmMigration,
      backupDir: env.WIMM_BACKUP_DIR,
      demoMode: env.DEMO_MODE,
      pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
      pgRestoreTimeoutMs: env.WIMM_PG_RESTORE_TIMEOUT_S * 1000,
      closeConnections: closeDb,
    });
    if (result.success) {
      // Every session ended in the database, so this browser's cookie is already worthless.
      // It is not deleted here: changing cookies in an action makes Next.js re-render this
      // page at once, which would redirect to /login before the preview could be read.
      return { success: true, scenario: result.scenario, family: result.family, users: result.users };
    }
    if ("needsMigrationConfirmation" in result) {
      keepUpload = true; // the second answer works on the same file
      return { success: false, needsMigrationConfirmation: true, message: result.message };
    }
    return { success: false, error: result.error, details: result.details };
  } catch (error) {
    log("RESTORE", `unexpected error: ${(error as Error).stack ?? String(error)}`);
    return {
      success: false,
      error: "The restore stopped on an unexpected error.",
      details: "Nothing was changed unless the log says otherwise; see the server log.",
    };
  } finally {
    if (!keepUpload) removeUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
  }
}

/** Cancel: the uploaded file is removed at once. */
export async function discardUpload(input: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const user = await getCurrentUser();
  if (!user || user.role !== "admin") return { ok: false, error: "Not allowed." };
  const parsed = DiscardUploadSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Invalid request." };
  removeUpload(getEnv().WIMM_UPLOAD_DIR, parsed.data.uploadId);
  return { ok: true };
}
