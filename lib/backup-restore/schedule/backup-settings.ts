/**
 * The backup settings live in a 0600 file beside the backups (`backup-settings.json`), not
 * in the database: a restore must not revert them, and they are no schema change. The
 * environment gives each setting's first value (`WIMM_BACKUP_SCHEDULE`: a cron expression,
 * or `off`; `WIMM_BACKUP_RETENTION`, parsed by lib/env.ts into a policy); once an admin
 * saves a setting on the settings page, the file's value of it wins.
 *
 * Each setting is read and saved on its own: a file written before retention was
 * configurable holds only `schedule`, and saving the schedule form leaves `retention` as it
 * is in the file (absent, so still the environment's) and the other way round. A setting
 * the file holds but this version cannot read (edited by hand) falls back to the
 * environment rather than stopping backups.
 *
 * `recipients` (the public keys `wimm backup --encrypt` encrypts to; WIMM_BACKUP_RECIPIENTS
 * gives the first value) is read and saved on its own the same way. They are public keys:
 * the server never holds the private key that opens its backups.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from "../backups/plan-retention.ts";
import { RetentionPolicySchema } from "../backups/retention-policy.ts";
import { ensurePrivateDir, writePrivateJson } from "../engine/private-files.ts";
import { DEFAULT_SCHEDULE, scheduleProblem, type Schedule } from "./backup-schedule.ts";
import { isAgeRecipient } from "../engine/age-keys.ts";

export type BackupSettings = { schedule: Schedule; retention: RetentionPolicy };

/** What the environment gives (lib/env.ts has validated it): the first values. */
export type BackupSettingsEnv = {
  WIMM_BACKUP_SCHEDULE?: string | undefined;
  WIMM_BACKUP_RETENTION?: RetentionPolicy | undefined;
  WIMM_BACKUP_RECIPIENTS?: string[] | undefined;
};

const ScheduleText = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => scheduleProblem(s) === null);

export const settingsPath = (dir: string) => join(dir, "backup-settings.json");

/** The file's object as it is (keys of other versions kept), or {} when there is none. */
function readSettingsFile(dir: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(settingsPath(dir), "utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // no file yet (or unreadable): the environment's first values
  }
}

export function readBackupSettings(dir: string, env: BackupSettingsEnv): BackupSettings {
  const file = readSettingsFile(dir);
  const schedule = ScheduleText.safeParse(file.schedule);
  const retention = RetentionPolicySchema.safeParse(file.retention);
  const scheduleFromEnv = env.WIMM_BACKUP_SCHEDULE?.trim();
  return {
    schedule: schedule.success
      ? schedule.data
      : scheduleFromEnv && scheduleProblem(scheduleFromEnv) === null
        ? scheduleFromEnv
        : DEFAULT_SCHEDULE,
    retention: retention.success ? retention.data : (env.WIMM_BACKUP_RETENTION ?? DEFAULT_RETENTION_POLICY),
  };
}

/**
 * Saves the settings given (temp file, then rename), keeping the file's others as they are;
 * refuses a schedule croner cannot read and a policy outside the bounds (retention-policy.ts).
 */
export function saveBackupSettings(
  dir: string,
  changes: Partial<BackupSettings>,
): { ok: true } | { ok: false; problem: string } {
  if (changes.schedule !== undefined) {
    const problem = scheduleProblem(changes.schedule);
    if (problem) return { ok: false, problem };
  }
  if (changes.retention !== undefined) {
    const parsed = RetentionPolicySchema.safeParse(changes.retention);
    if (!parsed.success) return { ok: false, problem: `retention: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  }
  const path = settingsPath(ensurePrivateDir(dir));
  writePrivateJson(path, { ...readSettingsFile(dir), ...changes });
  return { ok: true };
}

const Recipients = z.array(z.string().refine(isAgeRecipient)).max(20);

/** The public keys (`age1…`) encrypted backups are made for: the file's, else WIMM_BACKUP_RECIPIENTS's, else none. */
export function readBackupRecipients(dir: string, env: { WIMM_BACKUP_RECIPIENTS?: string[] | undefined }): string[] {
  const saved = Recipients.safeParse(readSettingsFile(dir).recipients);
  return saved.success ? saved.data : (env.WIMM_BACKUP_RECIPIENTS ?? []);
}

/** Whether the recipients come from the settings file (saved on the page) or from WIMM_BACKUP_RECIPIENTS. */
export function recipientsSource(dir: string): "settings" | "environment" {
  return Recipients.safeParse(readSettingsFile(dir).recipients).success ? "settings" : "environment";
}

/** Saves the recipients (an empty list: encrypt to nobody, whatever the environment says). */
export function saveBackupRecipients(dir: string, recipients: string[]): { ok: true } | { ok: false; problem: string } {
  const parsed = Recipients.safeParse(recipients);
  if (!parsed.success) return { ok: false, problem: "recipients must be age public keys (age1…), at most 20" };
  const path = settingsPath(ensurePrivateDir(dir));
  writePrivateJson(path, { ...readSettingsFile(dir), recipients: [...new Set(parsed.data)] });
  return { ok: true };
}
