/**
 * What the two scenarios that restore a SQLite file share: the file is inspected by two
 * isolated children side by side (integrity check, this app's schema, the preview, every
 * table's checksum and the value checks; and the SQL pre-flight scan, which finds what only
 * SQLite's own types can show: invalid UTF-8, a number where text belongs), and its rows are
 * read for the load by a third. No process but those children ever opens the upload.
 */
import { inTableOrder, type LoadResult, type RecordSource } from "../engine/records.ts";
import { inspectSqliteIsolated, readSqliteRowsIsolated, scanSqliteIsolated } from "../inspect/inspect-isolated.ts";
import { describeFindings, mergeFindings } from "../inspect/preflight.ts";
import type { Inspection, Replaced, RestoreContext } from "./types.ts";

export async function inspectSqliteUpload(ctx: RestoreContext): Promise<Inspection> {
  const limit = { timeoutMs: ctx.validateTimeoutMs };
  const [validated, scanned] = await Promise.all([
    inspectSqliteIsolated(ctx.file, {
      ...limit,
      checksums: true,
      ...(ctx.progress ? { onRows: (done: number, total: number) => ctx.progress?.report(done, total) } : {}),
    }),
    scanSqliteIsolated(ctx.file, limit),
  ]);
  // The integrity check's verdict comes first: a damaged file is refused as damaged.
  if (!validated.ok) return { ok: false, code: "SQLITE_CORRUPT", details: validated.details };
  if (!validated.inspection.ok) return validated.inspection;
  if (!scanned.ok) return { ok: false, code: "SQLITE_CORRUPT", details: scanned.details };
  const findings = mergeFindings(validated.inspection.findings, scanned.findings);
  if (findings.length) return { ok: false, code: "PREFLIGHT_FAILED", details: describeFindings(findings) };
  const { preview, checksums, schemaVersion } = validated.inspection;
  return { ok: true, preview, expected: checksums, schemaVersion };
}

/** The upload's rows at its schema version, streamed from the isolated child into `load`. */
export async function loadSqliteUpload(
  ctx: RestoreContext,
  version: number,
  load: (records: RecordSource) => Promise<LoadResult>,
): Promise<Replaced> {
  const rows = readSqliteRowsIsolated(ctx.file, { timeoutMs: ctx.pgRestoreTimeoutMs, version });
  try {
    const { upgradedFrom, money } = await load(inTableOrder(rows.source, version));
    await rows.finished;
    return { upgradedFrom, money };
  } finally {
    rows.stop();
  }
}
