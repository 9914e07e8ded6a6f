/**
 * What a restore answers: expected outcomes are values with reason codes (not exceptions),
 * the same for the server action and the CLI. lib/restore/messages.ts turns codes into text.
 */
/** What kind of backup a file is, read from its content (inspect/detect-backup-type.ts). */
export type BackupType = "sqlite" | "postgresql" | "postgresql-sql" | "unknown";

/** The scenarios of the matrix that run (spine/plan-restore.ts chooses; scenarios/ holds one module each). */
export type Scenario = "sqlite-to-sqlite" | "postgresql-to-postgresql" | "sqlite-to-postgresql";

export type RefusalCode =
  | "PG_DUMP_ON_SQLITE"
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
  | "MIGRATION_NOT_AVAILABLE"
  | "PREFLIGHT_FAILED";

export type FailureCode = "RESTORE_FAILED" | "VERIFY_FAILED";

export type Preview = { family: { name: string }; users: { username: string; role: string }[] };

export type RestoreResult =
  | ({
      success: true;
      scenario: Scenario;
      safetyBackup: string;
      sessionsEnded: true;
      /** Milliseconds per phase: validate, lock, safetyBackup, replace, verify, finish. */
      timings: Record<string, number>;
    } & Preview)
  | { success: false; needsMigrationConfirmation: true; scenario: "sqlite-to-postgresql"; message: string }
  | {
      success: false;
      refused: true;
      code: RefusalCode;
      scenario?: Scenario;
      error: string;
      /** The code's English text, with the specifics (`note`) in brackets. */
      details: string;
      /** What exactly was found (a table, a value, a tool's words): technical, not translated. */
      note?: string;
    }
  | {
      success: false;
      code: FailureCode;
      scenario: Scenario;
      error: string;
      details: string;
      /** Why the replace or the verification failed, in the log's words. */
      reason: string;
      rolledBack: boolean;
      safetyBackup: string;
    };

/** CLI exit codes of shared/DESIGN.md. */
export function exitCodeFor(result: RestoreResult): number {
  if (result.success) return 0;
  if ("needsMigrationConfirmation" in result) return 3;
  if ("refused" in result) return 2;
  return result.rolledBack ? 1 : 4;
}
