/**
 * The one place a scenario's context is built: for a restore from its request, for a
 * recovery from the journal, with the same time limits (from the environment at the edges),
 * each raised to what the backup's size needs (engine/time-limits.ts): reading, checking and
 * loading a large backup never runs into a limit set for a small one.
 */
import type { DatabaseTarget } from "../../db/url.ts";
import type { Env } from "../../env.ts";
import { backupBytes, scaleTimeLimit } from "../engine/time-limits.ts";
import type { RestoreContext } from "../scenarios/types.ts";

export type RestoreLimits = { pgDumpTimeoutMs: number; pgRestoreTimeoutMs: number; validateTimeoutMs: number };

/** WIMM_VALIDATE_TIMEOUT_S's default, for a caller that names no limit. */
const DEFAULT_VALIDATE_TIMEOUT_MS = 600_000;

export function restoreLimits(
  env: Pick<Env, "WIMM_PG_DUMP_TIMEOUT_S" | "WIMM_PG_RESTORE_TIMEOUT_S" | "WIMM_VALIDATE_TIMEOUT_S">,
): RestoreLimits {
  return {
    pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
    pgRestoreTimeoutMs: env.WIMM_PG_RESTORE_TIMEOUT_S * 1000,
    validateTimeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000,
  };
}

export function buildRestoreContext(
  file: string,
  live: DatabaseTarget,
  backupDir: string,
  limits: Omit<RestoreLimits, "validateTimeoutMs"> & { validateTimeoutMs?: number },
): RestoreContext {
  const bytes = backupBytes(file);
  return {
    file,
    live,
    backupDir,
    // The safety backup is of the live database: createBackup scales it by that size.
    pgDumpTimeoutMs: limits.pgDumpTimeoutMs,
    pgRestoreTimeoutMs: scaleTimeLimit(limits.pgRestoreTimeoutMs, bytes),
    validateTimeoutMs: scaleTimeLimit(limits.validateTimeoutMs ?? DEFAULT_VALIDATE_TIMEOUT_MS, bytes),
  };
}
