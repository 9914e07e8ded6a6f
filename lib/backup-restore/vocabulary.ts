/**
 * The restore vocabulary, shared by every layer of the wing and by its two adapters (the
 * CLI, the web). Expected outcomes are values with reason codes, not exceptions, and carry
 * no prose: the CLI renders English at its own edge (lib/cli/restore-messages.ts), the web
 * renders the user's language from the same codes (lib/i18n/messages/<locale>/settings.json).
 * What exactly was found (a table, a value, a tool's words) travels beside the code as
 * `note` or `reason`: technical, never translated.
 */

/**
 * What kind of backup a path holds, read from its content, never its name
 * (inspect/detect-backup-type.ts). `json-lines` is a folder written by `wimm export`.
 */
export type BackupType = "sqlite" | "postgresql" | "postgresql-sql" | "json-lines" | "unknown";

/** The scenarios of the matrix that run: spine/plan-restore.ts chooses, scenarios/ holds one module each. */
export type Scenario =
  "sqlite-to-sqlite" | "postgresql-to-postgresql" | "sqlite-to-postgresql" | "json-lines-to-postgresql";

export type RefusalCode =
  | "PG_DUMP_ON_SQLITE"
  | "JSON_LINES_ON_SQLITE"
  | "PLAIN_SQL_DUMP"
  | "UNKNOWN_FILE_TYPE"
  | "SQLITE_CORRUPT"
  | "NOT_THIS_APP"
  | "NEWER_SCHEMA"
  | "SCHEMA_MISMATCH"
  | "NO_FAMILY"
  | "PG_ARCHIVE_UNREADABLE"
  | "PG_ARCHIVE_FORBIDDEN"
  | "PG_TOOLS_TOO_OLD"
  | "DEMO_MODE"
  | "RESTORE_IN_PROGRESS"
  | "SAFETY_BACKUP_FAILED"
  | "PREFLIGHT_FAILED"
  | UnwrapRefusalCode;

/**
 * Why a compressed (gzip) or encrypted (age) backup could not be unwrapped into the file it
 * holds (inspect/unwrap-isolated.ts): it inflates past WIMM_MAX_UPLOAD_MB, the gzip stream is
 * damaged or cut short, no key or a wrong key was given, the ciphertext is damaged, cut short
 * or tampered with (age's per-chunk MAC), or the unwrapping itself failed (time limit, disk).
 */
export type UnwrapRefusalCode =
  | "INFLATED_TOO_LARGE"
  | "GZIP_CORRUPT"
  | "ENCRYPTED_NEEDS_KEY"
  | "ENCRYPTED_WRONG_KEY"
  | "ENCRYPTED_CORRUPT"
  | "UNWRAP_FAILED";

/** How a backup file is wrapped around what it holds, outermost first: age encryption, gzip. */
export type Wrapping = "age" | "gzip";

/**
 * Values a refusal's text names (NEWER_SCHEMA: `backup` and `app`, the two schema
 * versions), filled into the translated text by each adapter.
 */
export type RefusalValues = Record<string, string>;

export type FailureCode = "RESTORE_FAILED" | "VERIFY_FAILED";

/** Why a backup (by hand, or a restore's safety backup) could not be written. */
export type BackupFailureCode =
  | "BACKUP_WRITE_FAILED"
  | "BACKUP_CHECK_FAILED"
  | "BACKUP_NO_SPACE"
  | "PG_DUMP_UNAVAILABLE"
  | "PG_DUMP_TIMEOUT"
  | "PG_DUMP_FAILED";

/** The accounts a restore brought back and their total, in cents (a string: 64 bits), each balance checked equal to the backup's. */
export type MoneySummary = { accounts: number; totalCents: string };

/**
 * Why a scheduled backup failed: why no file could be written, or that the file written
 * failed its verification, or an error nobody foresaw (its message is in the log).
 */
export type ScheduledBackupFailureCode =
  BackupFailureCode | "BACKUP_VERIFY_FAILED" | "BACKUP_FAILED" | "OFFSITE_COPY_FAILED";

/**
 * Why a verified backup has no proven off-site copy (offsite/ship-backup-offsite.ts): rclone is
 * missing, took too long, the copy or the read-back failed, the bytes read back differ from
 * the file's, or the catalogue and audit trail could not follow it. The local backup is kept
 * and verified in every case.
 */
export type OffsiteFailureCode =
  | "OFFSITE_RCLONE_MISSING"
  | "OFFSITE_TIMEOUT"
  | "OFFSITE_COPY_FAILED"
  | "OFFSITE_READBACK_FAILED"
  | "OFFSITE_READBACK_MISMATCH"
  | "OFFSITE_HISTORY_FAILED";

/** Why `wimm restore --remote FILE` fetched nothing to restore (nothing is touched then). */
export type OffsiteFetchCode =
  | "OFFSITE_NOT_CONFIGURED"
  | "OFFSITE_NOT_A_BACKUP_NAME"
  | "OFFSITE_NOT_FOUND"
  | "OFFSITE_FETCH_FAILED"
  | "OFFSITE_TOO_LARGE"
  | "OFFSITE_CHECKSUM_MISMATCH"
  | "OFFSITE_RCLONE_MISSING"
  | "OFFSITE_TIMEOUT";

/** Why a drill did not prove the newest backup restorable. */
export type DrillFailureCode =
  /** There is no backup in the folder. */
  | "DRILL_NO_BACKUP"
  /** The inspection a restore would run refused the file. */
  | "DRILL_REFUSED"
  /** The file's tables differ from what its verification recorded. */
  | "DRILL_FILE_CHANGED"
  /** The restored copy failed SQLite's integrity check. */
  | "DRILL_CHECK_FAILED"
  /** A PostgreSQL dump on a SQLite instance: nothing to restore it into. */
  | "DRILL_NEEDS_POSTGRESQL"
  /** Anything else (loading or upgrading threw): the details say what. */
  | "DRILL_FAILED";

/**
 * The phases of a restore as it reports them, in order (the README lists them): `validate`
 * the backup, take the maintenance `lock`, the `safety-backup` of the live data, `copy` the
 * rows in (done of total rows), rebuild keys and `indexes`, `verify` (checksums, balances,
 * the family through the app), `finish`; `rollback` only after a failure.
 */
export const RESTORE_PHASES = [
  "validate",
  "lock",
  "safety-backup",
  "copy",
  "indexes",
  "verify",
  "finish",
  "rollback",
] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];

/** How far a phase is: `total` null while unknown; within a phase `done` never decreases. */
export type ProgressEvent = { phase: RestorePhase; done: number; total: number | null };

/** Who is in a backup: what the admin sees before and after a restore. */
export type Preview = { family: { name: string }; users: { username: string; role: string }[] };

export type RestoreResult =
  | ({
      success: true;
      scenario: Scenario;
      safetyBackup: string;
      sessionsEnded: true;
      /** The backup's schema version, when it was older and upgraded on the way in. */
      upgradedFrom?: number;
      /** The accounts restored and their total, each balance checked equal to the backup's. */
      money?: MoneySummary;
      /** Milliseconds per phase: validate, lock, safetyBackup, replace, verify, finish. */
      timings: Record<string, number>;
    } & Preview)
  | {
      success: false;
      /** A migration (a SQLite file, or JSON lines, onto PostgreSQL) runs only when asked twice. */
      needsMigrationConfirmation: true;
      scenario: Scenario;
    }
  | {
      success: false;
      refused: true;
      code: RefusalCode;
      scenario?: Scenario;
      /** What exactly was found: technical, not translated. */
      note?: string;
      /** What the code's text names (RefusalValues). */
      values?: RefusalValues;
    }
  | {
      success: false;
      code: FailureCode;
      scenario: Scenario;
      /** Why the replace or the verification failed, in the log's words. */
      reason: string;
      rolledBack: boolean;
      safetyBackup: string;
    };

/** The exit codes of `./bin/wimm` (docs/ARCHITECTURE.md): 0 done, 1 rolled back, 2 refused, 3 confirm, 4 rollback failed. */
export function exitCodeFor(result: RestoreResult): number {
  if (result.success) return 0;
  if ("needsMigrationConfirmation" in result) return 3;
  if ("refused" in result) return 2;
  return result.rolledBack ? 1 : 4;
}

/** The operations of the wing that a deployment may switch off. */
export type WingOperation = "backup" | "restore" | "upload";

/**
 * What DEMO_MODE=true refuses, said once for the CLI, the routes and the actions: reading the
 * family's data out (a backup) and replacing it (a restore or an import, and the upload
 * that starts a restore).
 */
const DEMO_MODE_REFUSES: ReadonlySet<WingOperation> = new Set(["backup", "restore", "upload"]);

export function demoModeRefusal(demoMode: boolean, operation: WingOperation): "DEMO_MODE" | null {
  return demoMode && DEMO_MODE_REFUSES.has(operation) ? "DEMO_MODE" : null;
}
