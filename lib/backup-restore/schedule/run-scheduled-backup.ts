/**
 * One scheduled backup, when it is due (backup-schedule.ts), by exactly one process: the web
 * app's timer, `wimm backup --scheduled` from a system cron, or one of several app instances
 * sharing a PostgreSQL database and one WIMM_BACKUP_DIR. Who runs it is decided by locks the
 * system frees when a holder dies: an EXCLUSIVE transaction on `schedule.lock.sqlite3` in the
 * backup folder (processes of one machine), and on PostgreSQL `pg_try_advisory_lock` (every
 * instance of the database). The winner checks once more that the backup is still due (the
 * loser of a race may have just made it), writes and verifies it (create-backup.ts), then
 * applies retention (plan-retention.ts), which never deletes the newest verified backup.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "../../db/url.ts";
import { log } from "../../log.ts";
import { DEFAULT_TIME_ZONE, isTimeZone } from "../../time-zone.ts";
import { appendAuditEntry } from "../audit/audit-trail.ts";
import { catalogueEntry, deleteBackup, listBackups } from "../backups/catalogue.ts";
import { BackupError, createBackup, type BackupFile } from "../backups/create-backup.ts";
import { parseBackupFilename } from "../backups/parse-backup-filename.ts";
import { planRetention, type RetentionPolicy } from "../backups/plan-retention.ts";
import { ensurePrivateDir } from "../engine/private-files.ts";
import { pruneOffsite } from "../offsite/delete-offsite-copies.ts";
import { offsiteSettings, type OffsiteEnv, type OffsiteSettings } from "../offsite/offsite-remote.ts";
import { isRestoreInProgress } from "../spine/maintenance-lock.ts";
import type { RestoreLimits } from "../spine/restore-context.ts";
import { lastDrill, runDrill, type DrillResult } from "../spine/run-drill.ts";
import type { ScheduledBackupFailureCode } from "../vocabulary.ts";
import { isBackupDue, nextScheduledBackup } from "./backup-schedule.ts";
import { readBackupRecipients, readBackupSettings, type BackupSettingsEnv } from "./backup-settings.ts";
import { recordScheduledBackup } from "./scheduled-backup-status.ts";

/** pg_advisory_lock key of the scheduler: "WIMB" in ASCII (the restore's is "WIMM"). */
export const SCHEDULER_ADVISORY_KEY = 0x57494d42;

export type ScheduledOutcome =
  | { kind: "not-due"; next: Date | null }
  | { kind: "busy"; why: string }
  | { kind: "done"; file: BackupFile; pruned: string[] }
  | { kind: "failed"; code: ScheduledBackupFailureCode; details: string; file?: BackupFile };

export type ScheduledBackupOptions = {
  dir: string;
  target: DatabaseTarget;
  env: BackupSettingsEnv & OffsiteEnv & { WIMM_PG_DUMP_TIMEOUT_S: number };
  /** When the scheduler (or the process) started: with no backup yet, the first is due after it. */
  startedAt: Date;
  now?: Date;
  /** `wimm backup --scheduled`: a system cron decided it is time; the schedule is not asked. */
  force?: boolean;
  actor?: string;
};

/** The newest backup that did not fail verification, from the names and records alone. */
export function newestBackupAt(dir: string): Date | null {
  let newest: Date | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const file of names) {
    const name = parseBackupFilename(file);
    if (!name || catalogueEntry(dir, file)?.verified === false) continue;
    if (!newest || name.createdAt > newest) newest = name.createdAt;
  }
  return newest;
}

/** The family's time zone, read from the live database (UTC when it cannot say). */
export async function readFamilyTimeZone(target: DatabaseTarget): Promise<string> {
  const sql = "SELECT time_zone FROM families ORDER BY id LIMIT 1";
  try {
    let zone: string | undefined;
    if (target.engine === "sqlite") {
      const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
      try {
        zone = (db.prepare(sql).get() as { time_zone?: string } | undefined)?.time_zone;
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        zone = (await client.query<{ time_zone: string }>(sql)).rows[0]?.time_zone;
      } finally {
        await client.end();
      }
    }
    return zone && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export async function runScheduledBackup(options: ScheduledBackupOptions): Promise<ScheduledOutcome> {
  const { dir, target } = options;
  const now = options.now ?? new Date();
  const timeZone = await readFamilyTimeZone(target);
  const { schedule, retention } = readBackupSettings(dir, options.env);
  const dueAt = () =>
    nextScheduledBackup({ schedule, timeZone, newestBackupAt: newestBackupAt(dir), startedAt: options.startedAt });
  if (!options.force && !isBackupDue(now, dueAt())) return { kind: "not-due", next: dueAt() };
  if (isRestoreInProgress(dir)) return { kind: "busy", why: "a restore is in progress" };
  const lock = await acquireSchedulerLock(dir, target);
  if (!lock) return { kind: "busy", why: "another process is taking the scheduled backup" };
  try {
    if (!options.force && !isBackupDue(now, dueAt())) return { kind: "not-due", next: dueAt() };
    log("SCHEDULE", `scheduled backup due (${schedule}, ${timeZone}); taking it`);
    let file: BackupFile;
    // Every attempt's outcome is recorded (scheduled-backup-status.ts): the admins' banner
    // shows a failure until a later scheduled backup succeeds.
    const failed = (code: ScheduledBackupFailureCode, details: string, failedFile: string | null = null) => {
      recordScheduledBackup(dir, { at: new Date().toISOString(), ok: false, file: failedFile, code, details });
      return { kind: "failed" as const, code, details };
    };
    const offsite = offsiteSettings(options.env);
    try {
      file = await createBackup(target, {
        dir,
        trigger: "scheduled",
        actor: options.actor ?? "scheduler",
        pgDumpTimeoutMs: options.env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
        // What leaves the server is encrypted when there are keys to encrypt to.
        ...(offsite ? { offsite, recipients: readBackupRecipients(dir, options.env) } : {}),
      });
    } catch (error) {
      const details = (error as Error).message;
      log("SCHEDULE", `SCHEDULED BACKUP FAILED: ${details}`);
      return failed(error instanceof BackupError ? error.code : "BACKUP_FAILED", details);
    }
    if (file.verified === false) {
      log("SCHEDULE", `SCHEDULED BACKUP FAILED VERIFICATION: ${file.path}: ${file.verification}`);
      return failed("BACKUP_VERIFY_FAILED", `verification failed: ${file.verification}`, file.filename);
    }
    const offsiteFailed = file.offsite?.find((copy) => !copy.ok);
    if (offsiteFailed) {
      // The local backup is good, so retention still runs; the failure is reported like any other.
      const details = `${file.filename} is verified and kept; its off-site copy failed: ${offsiteFailed.code} ${offsiteFailed.details ?? ""}`;
      log("SCHEDULE", `SCHEDULED BACKUP'S OFF-SITE COPY FAILED: ${details}`);
      await prune(dir, timeZone, retention, options.actor ?? "scheduler", offsite);
      return { ...failed("OFFSITE_COPY_FAILED", details, file.filename), file };
    }
    recordScheduledBackup(dir, { at: new Date().toISOString(), ok: true, file: file.filename });
    return { kind: "done", file, pruned: await prune(dir, timeZone, retention, options.actor ?? "scheduler", offsite) };
  } finally {
    await lock.release();
  }
}

/** Retention after a good scheduled backup: what the configured policy does not keep goes, recorded. */
async function prune(
  dir: string,
  timeZone: string,
  policy: RetentionPolicy,
  actor: string,
  offsite: OffsiteSettings | undefined,
): Promise<string[]> {
  const entries = await listBackups(dir);
  const plan = planRetention(
    entries.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    { now: new Date(), timeZone, policy },
  );
  for (const { item, reason } of plan.prune) {
    deleteBackup(dir, item.file);
    appendAuditEntry(dir, { actor, action: "prune", result: "ok", file: item.file, details: reason });
    if (offsite) await pruneOffsite(dir, offsite, item, actor);
  }
  if (plan.prune.length) log("SCHEDULE", `retention deleted ${plan.prune.length} backup(s)`);
  return plan.prune.map((p) => p.item.file);
}

type SchedulerLock = { release: () => Promise<void> };

async function acquireSchedulerLock(dir: string, target: DatabaseTarget): Promise<SchedulerLock | null> {
  const file = new Database(join(ensurePrivateDir(dir), "schedule.lock.sqlite3"), { timeout: 0 });
  try {
    file.exec("BEGIN EXCLUSIVE");
  } catch {
    file.close();
    return null;
  }
  const releaseFile = () => {
    if (file.inTransaction) file.exec("ROLLBACK");
    file.close();
  };
  if (target.engine !== "postgresql") return { release: async () => releaseFile() };
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
      SCHEDULER_ADVISORY_KEY,
    ]);
    if (!rows[0]?.ok) {
      await client.end();
      releaseFile();
      return null;
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    releaseFile();
    throw error;
  }
  return {
    release: async () => {
      // Ending the session frees the advisory lock too.
      await client.end().catch(() => undefined);
      releaseFile();
    },
  };
}

const WEEK = 7 * 86_400_000;

/**
 * Whether the scheduler drills now, after a tick's outcome: weekly while backups are
 * scheduled (a backup nobody restored is a hope), and, after a failed drill, as soon as a
 * scheduled backup succeeds rather than a week later: the failure stays on the admins'
 * banner until a drill succeeds, so the drill that can clear it should not wait.
 */
export function isDrillDue({
  schedule,
  outcome,
  hasBackup,
  last,
  now,
}: {
  schedule: string;
  outcome: ScheduledOutcome;
  hasBackup: boolean;
  last: { at: string; ok: boolean } | null;
  now: Date;
}): boolean {
  if (schedule === "off" || outcome.kind === "busy" || !hasBackup) return false;
  if (!last || now.getTime() - Date.parse(last.at) >= WEEK) return true;
  return !last.ok && outcome.kind === "done";
}

/**
 * The web app's scheduler: every `intervalMs` it asks whether a backup is due, and takes it
 * when it is. Nothing to miss on a restart: due-ness is computed from the files.
 */
export function startBackupScheduler(
  options: Omit<ScheduledBackupOptions, "now" | "force" | "startedAt"> & {
    limits: RestoreLimits;
    /** What a failure must reach beyond the log (the admins' e-mail or webhook). */
    onOutcome?: (outcome: ScheduledOutcome) => Promise<void>;
    onDrill?: (drill: DrillResult) => Promise<void>;
  },
  intervalMs = 30_000,
): () => void {
  const startedAt = new Date();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const outcome = await runScheduledBackup({ ...options, startedAt });
      if (outcome.kind === "done") log("SCHEDULE", `scheduled backup ${outcome.file.filename} verified`);
      await options.onOutcome?.(outcome);
      const { schedule } = readBackupSettings(options.dir, options.env);
      if (
        isDrillDue({
          schedule,
          outcome,
          hasBackup: newestBackupAt(options.dir) !== null,
          last: lastDrill(options.dir),
          now: new Date(),
        })
      ) {
        const drill = await runDrill(options.dir, options.target, options.limits, "scheduler");
        await options.onDrill?.(drill);
      }
    } catch (error) {
      log("SCHEDULE", `SCHEDULER ERROR: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
