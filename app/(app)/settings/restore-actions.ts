"use server";

import { join } from "node:path";
import { getTranslations } from "next-intl/server";

import { closeDb, ensureLiveDatabase, liveTarget } from "@/lib/app/live-database";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { latestSchemaVersion } from "@/lib/db/migrate";
import { listBackups } from "@/lib/backup-restore/backups/catalogue";
import { parseBackupFilename } from "@/lib/backup-restore/backups/parse-backup-filename";
import { restoreBackup } from "@/lib/backup-restore/spine/restore-backup";
import { restoreLimits } from "@/lib/backup-restore/spine/restore-context";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { findUpload, removeUpload } from "@/lib/backup-restore/uploads/upload-store";
import { adminOrNull } from "@/lib/web/auth";

import {
  DiscardUploadSchema,
  RestoreCatalogueRequestSchema,
  RestoreRequestSchema,
  type RestoreActionResult,
} from "./restore-schema";

/** Steps two and three of a restore: run it on an uploaded file (and, for a migration, again once confirmed). */
export async function restoreUploadedBackup(input: unknown): Promise<RestoreActionResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = RestoreRequestSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) {
    removeUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
    return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  }
  const file = findUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
  if (!file) return { success: false, error: t("uploadGone"), details: t("uploadGoneDetails") };

  let keepUpload = false;
  try {
    const result = await restoreFile(file, user.username, parsed.data.confirmMigration, t);
    keepUpload = !result.success && "needsMigrationConfirmation" in result; // the second answer works on the same file
    return result;
  } finally {
    if (!keepUpload) removeUpload(env.WIMM_UPLOAD_DIR, parsed.data.uploadId);
  }
}

/**
 * The same restore on a backup already in the backup folder, chosen from the catalogue: no
 * upload. The page names the file, never a path; only a file the catalogue lists, by a name
 * the app gives its backups, is taken. It is read where it lies (the restore only reads it),
 * and the safety backup the restore takes first goes beside it.
 */
export async function restoreCatalogueBackup(input: unknown): Promise<RestoreActionResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = RestoreCatalogueRequestSchema.safeParse(input);
  if (!parsed.success || !parseBackupFilename(parsed.data.file))
    return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  const dir = env.WIMM_BACKUP_DIR;
  const listed = (await listBackups(dir, { timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000 })).some(
    (e) => e.file === parsed.data.file,
  );
  if (!listed) return { success: false, error: t("backupGone"), details: t("backupGoneDetails") };
  return restoreFile(join(dir, parsed.data.file), user.username, parsed.data.confirmMigration, t);
}

/** Runs the core's restore on a file and puts its outcome in the user's language. */
async function restoreFile(
  file: string,
  actor: string,
  confirmMigration: boolean,
  t: Awaited<ReturnType<typeof getTranslations<"RestoreErrors">>>,
): Promise<RestoreActionResult> {
  const env = getEnv();
  try {
    await ensureLiveDatabase();
    log("RESTORE", `requested by ${actor}`);
    const result = await restoreBackup({
      file,
      actor,
      live: liveTarget(),
      confirmMigration,
      backupDir: env.WIMM_BACKUP_DIR,
      demoMode: env.DEMO_MODE,
      ...restoreLimits(env),
      closeConnections: closeDb,
    });
    if (result.success) {
      // Every session ended in the database, so this browser's cookie is already worthless.
      // It is not deleted here: changing cookies in an action makes Next.js re-render this
      // page at once, which would redirect to /login before the preview could be read.
      return {
        success: true,
        scenario: result.scenario,
        family: result.family,
        users: result.users,
        ...(result.money ? { money: result.money } : {}),
        ...(result.upgradedFrom !== undefined
          ? { upgraded: { from: result.upgradedFrom, to: latestSchemaVersion(liveTarget().engine) } }
          : {}),
      };
    }
    if ("needsMigrationConfirmation" in result) return { success: false, needsMigrationConfirmation: true };
    // The page speaks the user's language: the text comes from the code; the specifics
    // (a table name, a tool's words, a path) are technical and stay as they are.
    if ("refused" in result) {
      // NEWER_SCHEMA's text names both schema versions itself, in the user's language.
      if (result.values) {
        return {
          success: false,
          error: t(`codes.${result.code}.error`),
          details: t(`codes.${result.code}.details`, result.values),
        };
      }
      const details = t(`codes.${result.code}.details`);
      return {
        success: false,
        error: t(`codes.${result.code}.error`),
        details: result.note ? `${details} (${result.note})` : details,
      };
    }
    const values = { reason: result.reason, path: result.safetyBackup };
    return result.rolledBack
      ? { success: false, error: t("rolledBack"), details: t("rolledBackDetails", values) }
      : { success: false, error: t("rollbackFailed"), details: t("rollbackFailedDetails", values) };
  } catch (error) {
    log("RESTORE", `unexpected error: ${(error as Error).stack ?? String(error)}`);
    return { success: false, error: t("unexpected"), details: t("unexpectedDetails") };
  }
}

/** Cancel: the uploaded file is removed at once. */
export async function discardUpload(input: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { ok: false, error: t("notAllowed") };
  const parsed = DiscardUploadSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: t("invalidRequest") };
  removeUpload(getEnv().WIMM_UPLOAD_DIR, parsed.data.uploadId);
  return { ok: true };
}
