import type { Checksums } from "../../db/checksum.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import type { Preview, RefusalCode, Scenario } from "../vocabulary.ts";

export type RestoreContext = {
  /** The uploaded backup file (already on disk, private). */
  file: string;
  live: DatabaseTarget;
  backupDir: string;
  pgDumpTimeoutMs: number;
  pgRestoreTimeoutMs: number;
};

export type Inspection =
  { ok: true; preview: Preview; expected: Checksums } | { ok: false; code: RefusalCode; details?: string };

/**
 * Every scenario has the same shape; lib/restore/restore-backup.ts runs the spine
 * (validate → preview → lock → safety backup → replace → verify → roll back) around it.
 */
export type ScenarioModule = {
  name: Scenario;
  /** Validate the upload and read what it holds. Read-only; the live database is not touched. */
  inspect(ctx: RestoreContext): Promise<Inspection>;
  /**
   * Replace the live data with the upload's (whose checksums are `expected`). May throw;
   * the spine rolls back. `verified: true` says the scenario already compared every table
   * with `expected` inside its own transaction, before COMMIT.
   */
  replace(ctx: RestoreContext, expected: Checksums): Promise<void | { verified: boolean }>;
  /** Put the safety backup back after a failure. */
  restoreSafetyBackup(ctx: RestoreContext, safetyBackupPath: string): Promise<void>;
};
