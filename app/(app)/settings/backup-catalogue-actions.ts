"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { appendAuditEntry } from "@/lib/backup-restore/audit/audit-trail";
import { deleteBackup, lastVerified, listBackups } from "@/lib/backup-restore/backups/catalogue";
import { parseBackupFilename } from "@/lib/backup-restore/backups/parse-backup-filename";
import { RETENTION_BOUNDS, RETENTION_FIELDS, formatRetentionText } from "@/lib/backup-restore/backups/retention-policy";
import { saveBackupSettings } from "@/lib/backup-restore/schedule/backup-settings";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { requireAdmin } from "@/lib/web/auth";
import { formText } from "@/lib/web/form-data";

import {
  BackupRetentionSchema,
  type BackupRetentionState,
  type RetentionErrorKey,
  type RetentionValues,
  retentionValues,
} from "./backup-retention-schema";
import { BackupScheduleSchema, DeleteBackupSchema, type BackupScheduleState } from "./backup-schedule-schema";

export async function saveBackupSchedule(_prev: BackupScheduleState, formData: FormData): Promise<BackupScheduleState> {
  const user = await requireAdmin();
  const t = await getTranslations("BackupSchedule");
  const schedule = formText(formData, "schedule");
  const parsed = BackupScheduleSchema.safeParse({ schedule });
  if (!parsed.success) {
    const keys = z.flattenError(parsed.error).fieldErrors.schedule ?? ["scheduleInvalid"];
    const known = (k: string): k is "scheduleRequired" | "scheduleInvalid" =>
      k === "scheduleRequired" || k === "scheduleInvalid";
    return { errors: { schedule: keys.map((k) => t(`errors.${known(k) ? k : "scheduleInvalid"}`)) }, schedule };
  }
  const saved = saveBackupSettings(getEnv().WIMM_BACKUP_DIR, { schedule: parsed.data.schedule });
  if (!saved.ok) return { errors: { schedule: [t("errors.scheduleInvalid")] }, schedule };
  log("SCHEDULE", `backup schedule set to "${parsed.data.schedule}" by ${user.username}`);
  revalidatePath("/settings");
  return { savedAt: Date.now(), schedule: parsed.data.schedule };
}

/** The retention form: saved into backup-settings.json beside the schedule, which it leaves as it is. */
export async function saveBackupRetention(
  _prev: BackupRetentionState,
  formData: FormData,
): Promise<BackupRetentionState> {
  const user = await requireAdmin();
  const t = await getTranslations("BackupRetention");
  const values = Object.fromEntries(RETENTION_FIELDS.map((f) => [f, formText(formData, f)])) as RetentionValues;
  const parsed = BackupRetentionSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Partial<Record<keyof RetentionValues, string[]>>;
    const known = (k: string): k is RetentionErrorKey => ["required", "notWhole", "tooSmall", "tooLarge"].includes(k);
    const errors: BackupRetentionState["errors"] = {};
    for (const field of RETENTION_FIELDS) {
      const keys = fieldErrors[field];
      if (keys?.length)
        errors[field] = [
          ...new Set(keys.map((k) => t(`errors.${known(k) ? k : "notWhole"}`, RETENTION_BOUNDS[field]))),
        ];
    }
    return { errors, values };
  }
  const saved = saveBackupSettings(getEnv().WIMM_BACKUP_DIR, { retention: parsed.data });
  if (!saved.ok) return { message: t("errors.notSaved"), values };
  log("SCHEDULE", `retention set to ${formatRetentionText(parsed.data)} by ${user.username}`);
  revalidatePath("/settings");
  return { savedAt: Date.now(), values: retentionValues(parsed.data) };
}

export type DeleteBackupResult = { ok: true } | { ok: false; error: string };

/** Deletes one backup of the folder, never the newest verified one (retention's rule too). */
export async function deleteBackupFile(input: unknown): Promise<DeleteBackupResult> {
  const user = await requireAdmin();
  const t = await getTranslations("BackupCatalogue");
  const parsed = DeleteBackupSchema.safeParse(input);
  if (!parsed.success || !parseBackupFilename(parsed.data.file)) return { ok: false, error: t("deleteRefused") };
  const dir = getEnv().WIMM_BACKUP_DIR;
  const entries = await listBackups(dir);
  if (!entries.some((e) => e.file === parsed.data.file)) return { ok: false, error: t("deleteGone") };
  if (lastVerified(entries)?.file === parsed.data.file) return { ok: false, error: t("deleteNewestVerified") };
  deleteBackup(dir, parsed.data.file);
  appendAuditEntry(dir, { actor: user.username, action: "delete", result: "ok", file: parsed.data.file });
  log("BACKUP", `${parsed.data.file} deleted by ${user.username}`);
  revalidatePath("/settings");
  return { ok: true };
}
