/**
 * Reason codes → what the user reads. The only place user-facing restore text is written;
 * raw driver messages go to the log, and to `details` only when they help the user act.
 */
import type { RefusalCode } from "./result.ts";

export const ACCEPTED_TYPES =
  "a WIMM-Finance SQLite backup (.sqlite3) or a PostgreSQL custom-format dump made with pg_dump -Fc (.dump)";

export const REFUSALS: Record<RefusalCode, { error: string; details: string }> = {
  PG_DUMP_ON_SQLITE: {
    error: "Cannot restore a PostgreSQL backup to a SQLite database",
    details:
      "This WIMM-Finance instance runs on SQLite, and the file is a PostgreSQL dump (pg_dump -Fc). A PostgreSQL dump can only be restored into PostgreSQL. Restore a .sqlite3 backup taken from a SQLite instance instead, or run WIMM-Finance on PostgreSQL (set DATABASE_URL) and restore the dump there.",
  },
  PLAIN_SQL_DUMP: {
    error: "Plain SQL dumps cannot be restored",
    details:
      "The file is a plain-text SQL script. Running SQL from an uploaded file could do anything to the server, so WIMM-Finance never executes it. Make a custom-format dump instead (pg_dump -Fc, or Download backup on a PostgreSQL instance) and restore that.",
  },
  UNKNOWN_FILE_TYPE: {
    error: "This file is not a backup WIMM-Finance can restore",
    details: `Accepted files: ${ACCEPTED_TYPES}. The file's content matched neither (its name is not used to decide).`,
  },
  SQLITE_CORRUPT: {
    error: "The SQLite backup is damaged",
    details: "The file failed SQLite's integrity check, so it cannot be trusted. Use another backup.",
  },
  NOT_THIS_APP: {
    error: "This database is not a WIMM-Finance backup",
    details: "The file is a valid database, but not one written by WIMM-Finance (its tables or its app marker differ).",
  },
  NEWER_SCHEMA: {
    error: "The backup comes from a newer version of WIMM-Finance",
    details: "Its schema version is newer than this app understands. Upgrade WIMM-Finance, then restore it.",
  },
  SCHEMA_MISMATCH: {
    error: "The backup's tables do not match WIMM-Finance's",
    details: "A table or column is missing, extra, or of the wrong kind.",
  },
  NO_FAMILY: {
    error: "The backup holds no family",
    details: "Restoring it would leave nobody able to sign in.",
  },
  PG_ARCHIVE_UNREADABLE: {
    error: "The PostgreSQL dump cannot be read",
    details: "pg_restore could not list the archive's contents; it is damaged or not a pg_dump custom-format file.",
  },
  PG_ARCHIVE_FORBIDDEN: {
    error: "The PostgreSQL dump contains something WIMM-Finance never writes",
    details:
      "Only this app's tables, their data, sequences, defaults, indexes and key constraints may be restored. The file was refused without running anything from it.",
  },
  PG_TOOLS_TOO_OLD: {
    error: "The PostgreSQL tools on this server are too old",
    details: "pg_dump/pg_restore must be at least as new as the server and as the pg_dump that made the file.",
  },
  DEMO_MODE: {
    error: "Backup and restore are disabled in demo mode",
    details: "This instance runs with DEMO_MODE=true.",
  },
  RESTORE_IN_PROGRESS: {
    error: "Another restore is in progress",
    details: "Wait for it to finish, then try again. Nothing was changed.",
  },
  SAFETY_BACKUP_FAILED: {
    error: "The safety backup could not be taken, so nothing was restored",
    details:
      "A restore is only started when the current data can be put back. Check the backup folder (free space, permissions) and the server log, then try again.",
  },
  MIGRATION_NOT_AVAILABLE: {
    error: "Migration from SQLite to PostgreSQL is not available yet",
    details: "Nothing was changed.",
  },
  PREFLIGHT_FAILED: {
    error: "The SQLite backup holds values PostgreSQL would reject or change",
    details: "Nothing was changed.",
  },
};

export const NEEDS_MIGRATION_MESSAGE =
  "The backup is a SQLite database and this instance runs on PostgreSQL. Restoring it means migrating: the current PostgreSQL data is backed up first, then dropped, and the SQLite data is copied into PostgreSQL. Confirm to migrate.";
