import { z } from "zod";

import { scheduleProblem } from "@/lib/backup-restore/schedule/backup-schedule";

/** The schedule form: "off", or a cron expression croner reads (message keys of "BackupSchedule.errors"). */
export const BackupScheduleSchema = z.object({
  schedule: z
    .string()
    .trim()
    .min(1, "scheduleRequired")
    .max(200, "scheduleInvalid")
    .refine((s) => scheduleProblem(s) === null, "scheduleInvalid"),
});

export type BackupScheduleState = {
  errors?: { schedule?: string[] };
  message?: string | null;
  savedAt?: number;
  schedule?: string;
};

export const DeleteBackupSchema = z.object({
  file: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .max(200),
});
