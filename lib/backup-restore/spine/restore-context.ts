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
import type { AgeKeys } from "../engine/age-keys.ts";
import { DEFAULT_MAX_UNWRAPPED_BYTES, type UnwrapRequest } from "../inspect/unwrap-isolated.ts";

export type RestoreLimits = {
  pgDumpTimeoutMs: number;
  pgRestoreTimeoutMs: number;
  validateTimeoutMs: number;
  /** The cap on a compressed or encrypted backup once unwrapped (WIMM_MAX_UPLOAD_MB; default 2048 MiB). */
  maxUnwrappedBytes?: number;
};

/** WIMM_VALIDATE_TIMEOUT_S's default, for a caller that names no limit. */
const DEFAULT_VALIDATE_TIMEOUT_MS = 600_000;

export function restoreLimits(
  env: Pick<Env, "WIMM_PG_DUMP_TIMEOUT_S" | "WIMM_PG_RESTORE_TIMEOUT_S" | "WIMM_VALIDATE_TIMEOUT_S"> &
    Partial<Pick<Env, "WIMM_MAX_UPLOAD_MB">>,
): RestoreLimits {
  return {
    pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
    pgRestoreTimeoutMs: env.WIMM_PG_RESTORE_TIMEOUT_S * 1000,
    validateTimeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000,
    ...(env.WIMM_MAX_UPLOAD_MB ? { maxUnwrappedBytes: env.WIMM_MAX_UPLOAD_MB * 1024 * 1024 } : {}),
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

/**
 * How a compressed or encrypted backup is opened (inspect/unwrap-isolated.ts): in the backup
 * folder (private, on the backups' disk), capped at WIMM_MAX_UPLOAD_MB, within the
 * validation's time limit scaled by the wrapped file's size.
 */
export function unwrapRequest(
  file: string,
  backupDir: string,
  limits: Pick<RestoreLimits, "maxUnwrappedBytes"> & { validateTimeoutMs?: number },
  keys?: AgeKeys,
): UnwrapRequest {
  return {
    scratchDir: backupDir,
    maxBytes: limits.maxUnwrappedBytes ?? DEFAULT_MAX_UNWRAPPED_BYTES,
    timeoutMs: scaleTimeLimit(limits.validateTimeoutMs ?? DEFAULT_VALIDATE_TIMEOUT_MS, backupBytes(file)),
    ...(keys ? { keys } : {}),
  };
}
