import type { Checksums } from "../../db/checksum.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import type { RestoreProgress } from "../engine/progress.ts";
import type { LoadEvent } from "../engine/records.ts";
import type { MoneySummary, Preview, RefusalCode, RefusalValues, Scenario } from "../vocabulary.ts";

/** What a scenario works with; built by spine/restore-context.ts, for a restore and for a recovery alike. */
export type RestoreContext = {
  /** The backup: an uploaded file (already on disk, private) or a JSON lines export folder. */
  file: string;
  live: DatabaseTarget;
  backupDir: string;
  pgDumpTimeoutMs: number;
  pgRestoreTimeoutMs: number;
  /** Time limit of the isolated child that reads an untrusted SQLite file. */
  validateTimeoutMs: number;
  /** Where a restore reports how far it has got (a recovery and a rollback report nothing). */
  progress?: RestoreProgress;
};

/** What an inspection found in a backup that it did not refuse. */
export type InspectedBackup = {
  preview: Preview;
  /** Every table's checksum at the backup's own schema version. */
  expected: Checksums;
  /** The schema version the backup was written at (1 … latest); an older one is upgraded. */
  schemaVersion: number;
};

export type Inspection =
  ({ ok: true } & InspectedBackup) | { ok: false; code: RefusalCode; details?: string; values?: RefusalValues };

/**
 * What a replace did: the backup's schema version when the loader upgraded it, and the
 * accounts whose balances it found equal to the backup's (money-check.ts).
 */
export type Replaced = { upgradedFrom?: number; money?: MoneySummary };

/**
 * Every scenario has the same shape; spine/restore-backup.ts runs the spine (validate →
 * preview → lock → safety backup → replace → verify → roll back → finish) around it and
 * never names a scenario: what differs between them is said here, as properties.
 */
export type ScenarioModule = {
  name: Scenario;
  /** The `[MODULE]` of its log lines. */
  logTag: string;
  /**
   * True when `replace` compares every table with the backup's inside its own transaction,
   * just before COMMIT: what committed was verified, so the spine does not read every row
   * again, and a recovery that finds the data replaced may complete the restore.
   */
  verifiesBeforeCommit: boolean;
  /**
   * Validate the backup, every value included, and read what it holds. Read-only; the live
   * database is not touched.
   */
  inspect(ctx: RestoreContext): Promise<Inspection>;
  /**
   * Replace the live data with the backup's rows (whose checksums are `backup.expected`, at
   * `backup.schemaVersion`) through the live engine's loader: the app's own schema at the
   * backup's version, only rows from the backup, upgraded by the later migrations, every
   * session ended and `event` recorded in the same transaction. May throw; nothing is then
   * changed.
   */
  replace(ctx: RestoreContext, backup: InspectedBackup, event: LoadEvent): Promise<Replaced>;
  /** The live engine's own check of the replaced database, where it has one: a problem, or null. */
  checkLive?(ctx: RestoreContext): Promise<string | null>;
  /**
   * Put the safety backup back (after a failure, and in a recovery) through the same loader.
   * It is the app's own data, so its values are not refused; sessions end with it.
   */
  restoreSafetyBackup(ctx: RestoreContext, safetyBackupPath: string, event: LoadEvent): Promise<void>;
};
