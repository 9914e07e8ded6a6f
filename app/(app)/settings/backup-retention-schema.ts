import { z } from "zod";

import type { RetentionPolicy } from "@/lib/backup-restore/backups/plan-retention";
import { RETENTION_BOUNDS, RETENTION_FIELDS, type RetentionField } from "@/lib/backup-restore/backups/retention-policy";

/** The form's messages (keys of "BackupRetention.errors"); tooSmall and tooLarge name the bound. */
export type RetentionErrorKey = "required" | "notWhole" | "tooSmall" | "tooLarge";

const wholeNumber = (field: RetentionField) =>
  z
    .string()
    .trim()
    .min(1, { message: "required", abort: true })
    .regex(/^\d+$/, "notWhole")
    .transform(Number)
    .pipe(z.number().min(RETENTION_BOUNDS[field].min, "tooSmall").max(RETENTION_BOUNDS[field].max, "tooLarge"));

/**
 * The retention form: five whole numbers as typed, within the bounds the settings file
 * and WIMM_BACKUP_RETENTION also hold to (retention-policy.ts explains each).
 */
export const BackupRetentionSchema = z.object(
  Object.fromEntries(RETENTION_FIELDS.map((field) => [field, wholeNumber(field)])) as Record<
    RetentionField,
    ReturnType<typeof wholeNumber>
  >,
);

/** What was typed, field by field (a refused form shows it again). */
export type RetentionValues = Record<RetentionField, string>;

export type BackupRetentionState = {
  errors?: Partial<Record<RetentionField, string[]>>;
  message?: string | null;
  savedAt?: number;
  values?: RetentionValues;
};

export const retentionValues = (policy: RetentionPolicy): RetentionValues =>
  Object.fromEntries(RETENTION_FIELDS.map((field) => [field, String(policy[field])])) as RetentionValues;
