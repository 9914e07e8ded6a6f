/**
 * How the last scheduled backup went, in `scheduled-backup-status.json` beside the backups
 * (0600), as `drill-status.json` records the last drill. Written by runScheduledBackup under
 * the scheduler's locks at the end of every attempt that was due, whoever made it (the web
 * app's timer, `wimm backup --scheduled` from a system cron, another instance), and only
 * then: a "not due" or a "busy" is no attempt. A later success overwrites a failure, which
 * is how the admins' banner clears itself.
 *
 * A file of its own rather than the audit trail or the catalogue: the banner reads it on
 * every page an admin opens, and it must cost one small read — the trail grows without end,
 * and a backup that failed before a file was written (a full disk) has no catalogue record.
 * The audit trail still records every attempt; this is only the latest.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { log } from "../../log.ts";
import { ensurePrivateDir, writePrivateJson } from "../engine/private-files.ts";
import type { ScheduledBackupFailureCode } from "../vocabulary.ts";

const FAILURE_CODES = [
  "BACKUP_WRITE_FAILED",
  "BACKUP_CHECK_FAILED",
  "BACKUP_NO_SPACE",
  "PG_DUMP_UNAVAILABLE",
  "PG_DUMP_TIMEOUT",
  "PG_DUMP_FAILED",
  "BACKUP_VERIFY_FAILED",
  "BACKUP_FAILED",
  "OFFSITE_COPY_FAILED",
] as const satisfies readonly ScheduledBackupFailureCode[];

export type ScheduledBackupStatus =
  | { at: string; ok: true; file: string }
  | { at: string; ok: false; file: string | null; code: ScheduledBackupFailureCode; details: string };

const StatusFile = z.discriminatedUnion("ok", [
  z.object({ at: z.iso.datetime(), ok: z.literal(true), file: z.string() }),
  z.object({
    at: z.iso.datetime(),
    ok: z.literal(false),
    file: z.string().nullable(),
    // A code of a later version reads as the generic one rather than as no failure.
    code: z.enum(FAILURE_CODES).catch("BACKUP_FAILED"),
    details: z.string(),
  }),
]);

const statusPath = (dir: string) => join(dir, "scheduled-backup-status.json");

/** Records the attempt's outcome (temp file, then rename); never throws: the backup itself is what matters. */
export function recordScheduledBackup(dir: string, status: ScheduledBackupStatus): void {
  try {
    writePrivateJson(statusPath(ensurePrivateDir(dir)), status);
  } catch (error) {
    log("SCHEDULE", `could not record the scheduled backup's status: ${(error as Error).message}`);
  }
}

/** The last scheduled backup's outcome, or null when none was recorded (or the file is not one). */
export function lastScheduledBackup(dir: string): ScheduledBackupStatus | null {
  try {
    const parsed = StatusFile.safeParse(JSON.parse(readFileSync(statusPath(dir), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
