/**
 * The backup settings live in a 0600 file beside the backups (`backup-settings.json`), not
 * in the database: a restore must not revert them, and they are no schema change. The
 * environment gives the first value (`WIMM_BACKUP_SCHEDULE`: a cron expression, or `off`);
 * once an admin saves the settings page, the file wins.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ensurePrivateDir } from "../engine/private-files.ts";
import { DEFAULT_SCHEDULE, scheduleProblem, type Schedule } from "./backup-schedule.ts";

export type BackupSettings = { schedule: Schedule };

const SettingsFile = z.object({ schedule: z.string().min(1).max(200) });

export const settingsPath = (dir: string) => join(dir, "backup-settings.json");

export function readBackupSettings(dir: string, env: { WIMM_BACKUP_SCHEDULE?: string | undefined }): BackupSettings {
  try {
    const parsed = SettingsFile.safeParse(JSON.parse(readFileSync(settingsPath(dir), "utf8")));
    if (parsed.success && scheduleProblem(parsed.data.schedule) === null) return { schedule: parsed.data.schedule };
  } catch {
    /* no file yet (or unreadable): the environment's first value */
  }
  const fromEnv = env.WIMM_BACKUP_SCHEDULE?.trim();
  return { schedule: fromEnv && scheduleProblem(fromEnv) === null ? fromEnv : DEFAULT_SCHEDULE };
}

/** Writes the settings whole (temp file, then rename); refuses a schedule croner cannot read. */
export function saveBackupSettings(
  dir: string,
  settings: BackupSettings,
): { ok: true } | { ok: false; problem: string } {
  const problem = scheduleProblem(settings.schedule);
  if (problem) return { ok: false, problem };
  const path = settingsPath(ensurePrivateDir(dir));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ schedule: settings.schedule }, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
  return { ok: true };
}
