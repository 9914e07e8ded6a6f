/**
 * What a restore of a backup would do, found out before anything is done (`wimm inspect`;
 * issue 14's preview): the backup's family, users and schema, its rows and each account's
 * balance beside the live ones, and what the restore would take away. Nothing is locked,
 * written or migrated, live or anywhere else.
 *
 * The backup is judged exactly as a restore judges it — the same sniffing, the same plan,
 * the same scenario inspection (integrity, this app's schema at a version this app reads,
 * every value checked) — and a file the restore would refuse is refused here with the same
 * code. Then its rows are read by the reader the restore would load them with, at the
 * backup's own schema version (inspect/read-backup-records.ts), and the live data in one
 * read transaction (inspect/read-live-data.ts).
 *
 * One case is described although a restore here would refuse it: a dump or a JSON lines
 * export on a SQLite instance. Their readers need no server (pg_restore reads an archive
 * offline), so the admin can still see what the file holds and what it lacks; the result
 * carries the plan's refusal beside the description, and the CLI exits 2 all the same.
 */
import { readSchemaVersion } from "../../db/schema.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { compareWithLive, type LiveComparison, type Side } from "../inspect/compare-with-live.ts";
import { describeBackup } from "../inspect/describe-backup.ts";
import { sniffBackupType } from "../inspect/detect-backup-type.ts";
import { inspectPgArchive } from "../inspect/inspect-pg-archive.ts";
import { readBackupRecords } from "../inspect/read-backup-records.ts";
import { readLiveData } from "../inspect/read-live-data.ts";
import { comparedTables, summarizeRecords } from "../inspect/summarize-records.ts";
import { SCENARIOS } from "../scenarios/index.ts";
import type { InspectedBackup, Inspection, RestoreContext } from "../scenarios/types.ts";
import { demoModeRefusal, type BackupType, type Preview, type RefusalCode, type RefusalValues } from "../vocabulary.ts";
import { planRestore, type RestorePlan } from "./plan-restore.ts";
import { buildRestoreContext, unwrapRequest, type RestoreLimits } from "./restore-context.ts";
import type { AgeKeys } from "../engine/age-keys.ts";
import { withUnwrapped } from "../inspect/unwrap-isolated.ts";

export type PreviewRequest = {
  file: string;
  live: DatabaseTarget;
  backupDir: string;
  demoMode: boolean;
  /** The keys of an encrypted backup (as a restore takes them). */
  keys?: AgeKeys;
} & RestoreLimits;

type ReadableType = Extract<BackupType, "sqlite" | "postgresql" | "json-lines">;

export type RestorePreview = {
  type: ReadableType;
  schemaVersion: number;
  appVersion?: string;
  createdAt?: string;
} & Preview &
  LiveComparison;

export type PreviewResult =
  | { ok: true; preview: RestorePreview }
  | {
      ok: false;
      code: RefusalCode;
      details?: string;
      values?: RefusalValues;
      /** A readable file that a restore on this instance would refuse (see above). */
      preview?: RestorePreview;
    };

export async function previewRestore(request: PreviewRequest): Promise<PreviewResult> {
  const demo = demoModeRefusal(request.demoMode, "restore");
  if (demo) return { ok: false, code: demo };
  // As the restore does: a compressed or encrypted backup is judged by the file it holds.
  return withUnwrapped(
    request.file,
    unwrapRequest(request.file, request.backupDir, request, request.keys),
    (inner) => previewUnwrapped({ ...request, file: inner }),
    (refused) => ({ ok: false, code: refused.code, details: refused.note }),
  );
}

async function previewUnwrapped(request: PreviewRequest): Promise<PreviewResult> {
  // As the restore does: the bytes say the type; a SQLite file is opened only by the child.
  const type = sniffBackupType(request.file);
  const plan = planRestore(request.live.engine, type, true);
  // Plain SQL and unknown files are refused by every plan.
  if (!isReadable(type)) return { ok: false, code: plan.action === "refuse" ? plan.code : "UNKNOWN_FILE_TYPE" };
  const ctx = buildRestoreContext(request.file, request.live, request.backupDir, request);
  const inspection = await inspectAsRestore(plan, type, ctx);
  if (!inspection.ok)
    return {
      ok: false,
      code: inspection.code,
      ...(inspection.details ? { details: inspection.details } : {}),
      ...(inspection.values ? { values: inspection.values } : {}),
    };
  const preview = await describeAgainstLive(ctx, type, inspection);
  if (plan.action === "refuse") return { ok: false, code: plan.code, preview };
  return { ok: true, preview };
}

function isReadable(type: BackupType): type is ReadableType {
  return type === "sqlite" || type === "postgresql" || type === "json-lines";
}

/** The scenario's own inspection; for a file this instance cannot restore, the same checks offline. */
async function inspectAsRestore(plan: RestorePlan, type: ReadableType, ctx: RestoreContext): Promise<Inspection> {
  if (plan.action !== "refuse") return SCENARIOS[plan.scenario].inspect(ctx);
  // The JSON lines inspection reads only the folder; the dump's compares our pg_dump and
  // pg_restore with the live server, which a SQLite instance does not have.
  if (type === "json-lines") return SCENARIOS["json-lines-to-postgresql"].inspect(ctx);
  const result = await inspectPgArchive(ctx.file, null, { timeoutMs: ctx.pgRestoreTimeoutMs });
  if (!result.ok) return result;
  return { ok: true, preview: result.preview, expected: result.checksums, schemaVersion: result.schemaVersion };
}

async function describeAgainstLive(
  ctx: RestoreContext,
  type: ReadableType,
  inspection: InspectedBackup,
): Promise<RestorePreview> {
  const version = inspection.schemaVersion;
  const { appVersion, createdAt } = await describeBackup(ctx.file, { timeoutMs: ctx.validateTimeoutMs });
  // 0: an empty live database (never started); every live count is then null.
  const liveVersion = await readSchemaVersion(ctx.live);
  const compared = comparedTables(version, liveVersion || version);
  const reader = readBackupRecords(ctx.file, type, { version, timeoutMs: ctx.pgRestoreTimeoutMs });
  let backup: Side;
  try {
    // The counts the restore promises to load (its checksums'), sessions included: none.
    const rows = Object.fromEntries(Object.entries(inspection.expected).map(([name, c]) => [name, c.rows]));
    backup = { rows, summary: await summarizeRecords(reader.records, compared) };
    await reader.finished;
  } finally {
    reader.stop();
  }
  const live: Side = liveVersion
    ? await readLiveData(ctx.live, liveVersion, compared)
    : {
        rows: {},
        summary: {
          rows: { users: new Map(), accounts: new Map(), transactions: new Map() },
          accountNames: new Map(),
          balances: new Map(),
        },
      };
  return {
    type,
    schemaVersion: version,
    ...(appVersion ? { appVersion } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...inspection.preview,
    ...compareWithLive(backup, live),
  };
}
