/**
 * What a backup says about itself, whatever its kind (`wimm detect`, the inspections, the
 * restore result): the schema version it was written at, and where the file holds them, the
 * app version that wrote it, its creation time and its rows per table. And the one rule of
 * the version contract that refuses: a backup from a newer schema than this app's (its
 * tables could hold what this app would drop); an older one is upgraded on the way in.
 */
import type { RefusalCode, RefusalValues } from "../vocabulary.ts";

export type BackupFacts = {
  schemaVersion: number;
  appVersion?: string;
  createdAt?: string;
  rows?: Record<string, number>;
};

export function versionRefusal(
  version: number,
  latest: number,
): { ok: false; code: RefusalCode; details: string; values?: RefusalValues } | null {
  if (version > latest)
    return {
      ok: false,
      code: "NEWER_SCHEMA",
      details: `the backup has schema version ${version}; this WIMM-Finance reads schema versions 1 to ${latest}: update WIMM-Finance first, then restore it`,
      values: { backup: String(version), app: String(latest) },
    };
  if (version < 1)
    return { ok: false, code: "SCHEMA_MISMATCH", details: "the backup names no schema version this app knows" };
  return null;
}
