/**
 * The one entry point for restoring a backup, used by the settings page's server action and
 * by `./bin/wimm restore` and `./bin/wimm import`. The whole spine is in this file, one
 * short function per phase, and it never names a scenario: what differs between scenarios
 * is a property of the scenario's module (scenarios/types.ts). docs/ARCHITECTURE.md draws it.
 *
 *   chooseScenario      demo mode; the backup's type from its bytes; the plan (pure table);
 *                       a migration is validated, then confirmation asked for
 *   inspectBackup       validate the backup, read its preview — before touching anything live
 *   (maintenance lock)  the app answers "restore in progress" and accepts no writes
 *   quiesce             let in-flight writes finish; close the app's connections
 *   takeSafetyBackup    of the live database — no way back, no restore
 *   replaceAndVerify    replace the data; verify row counts and checksums of every table and
 *                       the family and users through the app's own Prisma client
 *   rollBack            on any failure there: put the safety backup back and verify it too
 *   finish              end every session (the backup's too), record the event
 *   unlock              (the journal goes, unless even the rollback failed)
 *
 * The journal (journal.ts) records each phase, so that a process killed anywhere in between
 * is finished or undone by the next start (recover.ts).
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { computeChecksums, diffChecksums, type Checksums } from "../../db/checksum.ts";
import { appendAuditEntry } from "../audit/audit-trail.ts";
import { sha256File } from "../engine/private-files.ts";
import { createPrismaClient } from "../../db/client.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { log } from "../../log.ts";
import { BackupError, createBackup } from "../backups/create-backup.ts";
import { crashPoint } from "../faults.ts";
import { RestoreProgress, rowsToCopy, type ProgressSink } from "../engine/progress.ts";
import { NOT_CARRIED } from "../engine/records.ts";
import { sniffBackupType } from "../inspect/detect-backup-type.ts";
import { SCENARIOS } from "../scenarios/index.ts";
import type { Inspection, Replaced, RestoreContext, ScenarioModule } from "../scenarios/types.ts";
import { latestSchemaVersion } from "../../db/migrate.ts";
import {
  demoModeRefusal,
  type Preview,
  type RefusalCode,
  type RefusalValues,
  type RestoreResult,
  type Scenario,
} from "../vocabulary.ts";
import { openJournal, type JournalWriter } from "./journal.ts";
import { acquireMaintenanceLock, waitForWrites, type MaintenanceLock } from "./maintenance-lock.ts";
import { planRestore } from "./plan-restore.ts";
import { buildRestoreContext, unwrapRequest, type RestoreLimits } from "./restore-context.ts";
import type { AgeKeys } from "../engine/age-keys.ts";
import { withUnwrapped } from "../inspect/unwrap-isolated.ts";

export type RestoreRequest = {
  /** The backup: a file (an upload, a path given to the CLI) or a JSON lines export folder. */
  file: string;
  live: DatabaseTarget;
  /** The second "yes" a migration needs (a SQLite file or JSON lines onto PostgreSQL). */
  confirmMigration: boolean;
  backupDir: string;
  demoMode: boolean;
  /** Who asked (a username, "cli"): the safety backup's catalogue record and the audit trail say so. */
  actor?: string;
  /** The web app closes its Prisma client here, before anything is replaced. */
  closeConnections?: () => Promise<void>;
  /** The private keys or passphrases of an encrypted (age) backup; never stored, never logged. */
  keys?: AgeKeys;
  /** Test-only fault injection (the CLI sets it only with WIMM_TEST_FAULTS=1 and WIMM_FAULT). */
  faults?: { failVerification?: boolean; failRollback?: boolean; diskFull?: boolean };
  /** Told each phase as it starts and ends, and the rows as they are copied (engine/progress.ts). */
  onProgress?: ProgressSink;
} & Omit<RestoreLimits, "validateTimeoutMs"> &
  Partial<Pick<RestoreLimits, "validateTimeoutMs">>;

/** One restore as it runs: what the phases share, and how long each took. */
type Run = {
  request: RestoreRequest;
  scenario: ScenarioModule;
  ctx: RestoreContext;
  /** Milliseconds per phase, in the result: the benchmark reads them, and so can an operator. */
  timings: Record<string, number>;
  lap: (phase: string) => void;
  log: (message: string) => void;
  progress?: RestoreProgress;
};

type SafetyBackup = { ok: true; path: string; before: Checksums } | { ok: false; details: string };

export function refusal(code: RefusalCode, note?: string, scenario?: Scenario, values?: RefusalValues): RestoreResult {
  log("RESTORE", `refused: ${code}${note ? ` — ${note}` : ""}`);
  return {
    success: false,
    refused: true,
    code,
    ...(scenario ? { scenario } : {}),
    ...(note ? { note } : {}),
    ...(values ? { values } : {}),
  };
}

export async function restoreBackup(request: RestoreRequest): Promise<RestoreResult> {
  // Hashed for the audit trail while the backup is inspected, not under the lock.
  const isFile = statSync(request.file, { throwIfNoEntry: false })?.isFile() === true;
  const sha256 = isFile ? sha256File(request.file).catch(() => undefined) : Promise.resolve(undefined);
  let recorded = false;
  const record = async (result: RestoreResult) => {
    recorded = true;
    await recordInAuditTrail(request, result, await sha256);
  };
  // A compressed or encrypted backup is restored from the file it holds, opened by the
  // isolated child into a private temp file that goes when the restore ends, whatever the end.
  const result = await withUnwrapped(
    request.file,
    unwrapRequest(request.file, request.backupDir, request, request.keys),
    (inner) => restoreOnce({ ...request, file: inner }, record),
    (refused) => refusal(refused.code, refused.note),
  );
  if (!recorded) await record(result);
  return result;
}

/**
 * Every outcome but "confirm first" goes into the audit trail beside the backups, which a
 * restore never replaces: who, which file (and its SHA-256), and what came of it.
 */
async function recordInAuditTrail(request: RestoreRequest, result: RestoreResult, sha256?: string): Promise<void> {
  if ("needsMigrationConfirmation" in result) return;
  const scenario = "scenario" in result ? result.scenario : undefined;
  const action =
    scenario === "sqlite-to-postgresql" || scenario === "json-lines-to-postgresql" ? "migration" : "restore";
  const base = { actor: request.actor ?? "system", file: basename(request.file), ...(sha256 ? { sha256 } : {}) };
  const dir = request.backupDir;
  if (result.success) {
    const upgraded = result.upgradedFrom !== undefined ? `; upgraded from schema ${result.upgradedFrom}` : "";
    appendAuditEntry(dir, {
      ...base,
      action,
      result: "ok",
      details: `${result.scenario}; family "${result.family.name}"${upgraded}`,
    });
  } else if ("refused" in result) {
    appendAuditEntry(dir, {
      ...base,
      action: "refusal",
      result: "refused",
      details: `${result.code}${result.note ? `: ${result.note}` : ""}`,
    });
  } else {
    appendAuditEntry(dir, { ...base, action, result: "failed", details: `${result.code}: ${result.reason}` });
    appendAuditEntry(dir, {
      ...base,
      action: "rollback",
      result: result.rolledBack ? "ok" : "failed",
      details: `${result.rolledBack ? "rolled back to" : "could not roll back to"} ${basename(result.safetyBackup)}`,
    });
  }
}

/** `record`: the audit entry of what happened under the lock is written before the lock goes. */
async function restoreOnce(
  request: RestoreRequest,
  record: (result: RestoreResult) => Promise<void>,
): Promise<RestoreResult> {
  const progress = request.onProgress ? new RestoreProgress(request.onProgress) : undefined;
  progress?.enter("validate");
  const chosen = await chooseScenario(request, progress);
  if ("answer" in chosen) {
    // Validated, and a confirmation is needed (a refusal leaves its phase unended).
    if ("needsMigrationConfirmation" in chosen.answer) progress?.end();
    return chosen.answer;
  }
  const run = startRun(request, chosen.scenario, progress);
  const inspection = await inspectBackup(run);
  if (!inspection.ok) return refusal(inspection.code, inspection.details, run.scenario.name, inspection.values);
  progress?.enter("lock");
  const lock = await acquireMaintenanceLock(request.backupDir, request.live);
  if (!lock) return refusal("RESTORE_IN_PROGRESS", undefined, run.scenario.name);
  const journal = openJournal(request.backupDir, {
    scenario: run.scenario.name,
    live: request.live,
    family: inspection.preview.family.name,
  });
  let result: RestoreResult | undefined;
  try {
    result = await restoreUnderLock(run, journal, inspection);
    return result;
  } finally {
    if (result) await record(result);
    await unlock(run, journal, lock, result);
    // Done, or put back: the last phase ends. A refusal under the lock leaves its phase as it was.
    if (result && (result.success || "rolledBack" in result)) progress?.end();
  }
}

async function chooseScenario(
  request: RestoreRequest,
  progress: RestoreProgress | undefined,
): Promise<{ scenario: ScenarioModule } | { answer: RestoreResult }> {
  const demo = demoModeRefusal(request.demoMode, "restore");
  if (demo) return { answer: refusal(demo) };
  // The bytes only: a file that says SQLite is opened by the scenario's inspection, in the
  // isolated child, and refused there if it does not open.
  const type = sniffBackupType(request.file);
  log("RESTORE", `backup type: ${type}; running engine: ${request.live.engine}`);
  const plan = planRestore(request.live.engine, type, request.confirmMigration);
  if (plan.action === "refuse") return { answer: refusal(plan.code) };
  const scenario = SCENARIOS[plan.scenario];
  if (plan.action === "run") return { scenario };
  // No point asking to migrate a backup we would refuse: validate it first (read-only).
  const inspection = await scenario.inspect({ ...contextFor(request), ...(progress ? { progress } : {}) });
  if (!inspection.ok) return { answer: refusal(inspection.code, inspection.details, scenario.name, inspection.values) };
  log(scenario.logTag, "asking for confirmation before migrating; nothing changed");
  return { answer: { success: false, needsMigrationConfirmation: true, scenario: scenario.name } };
}

const contextFor = (request: RestoreRequest) =>
  buildRestoreContext(request.file, request.live, request.backupDir, request);

function startRun(request: RestoreRequest, scenario: ScenarioModule, progress?: RestoreProgress): Run {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    request,
    scenario,
    ctx: { ...contextFor(request), ...(progress ? { progress } : {}) },
    progress,
    timings,
    lap(phase) {
      const now = performance.now();
      timings[phase] = Math.round(now - mark);
      mark = now;
    },
    log: (message) => log(scenario.logTag, message),
  };
}

async function inspectBackup(run: Run): Promise<Inspection> {
  const inspection = await run.scenario.inspect(run.ctx);
  if (!inspection.ok) return inspection;
  run.lap("validate");
  const { family, users } = inspection.preview;
  run.log(`backup valid: family "${family.name}", ${users.length} user(s)`);
  return inspection;
}

async function restoreUnderLock(
  run: Run,
  journal: JournalWriter,
  inspection: Extract<Inspection, { ok: true }>,
): Promise<RestoreResult> {
  journal.record({ phase: "started" });
  run.log("maintenance lock taken");
  await quiesce(run);
  const safety = await takeSafetyBackup(run);
  if (!safety.ok) return refusal("SAFETY_BACKUP_FAILED", safety.details, run.scenario.name);
  journal.record({ phase: "safety-backup-taken", safetyBackup: safety.path, before: safety.before });
  crashPoint("after-safety-backup");
  let replaced: Replaced;
  try {
    replaced = await replaceAndVerify(run, journal, inspection, safety.path);
  } catch (error) {
    return rollBack(run, safety, (error as Error).message);
  }
  finish(run);
  return {
    success: true,
    scenario: run.scenario.name,
    ...inspection.preview,
    ...(replaced.upgradedFrom !== undefined ? { upgradedFrom: replaced.upgradedFrom } : {}),
    ...(replaced.money ? { money: replaced.money } : {}),
    safetyBackup: safety.path,
    sessionsEnded: true,
    timings: run.timings,
  };
}

async function quiesce(run: Run): Promise<void> {
  if (!(await waitForWrites())) run.log("warning: writes still in flight after 30 s; continuing under the lock");
  await run.request.closeConnections?.();
  run.lap("lock");
}

/** The safety backup and the fingerprint of the live data it holds. */
async function takeSafetyBackup(run: Run): Promise<SafetyBackup> {
  const { live, backupDir, pgDumpTimeoutMs, faults } = run.request;
  run.progress?.enter("safety-backup");
  try {
    // Both only read the locked, quiet database: side by side on two cores.
    const [before, file] = await Promise.all([
      computeChecksums(live),
      createBackup(live, {
        dir: backupDir,
        trigger: "pre-restore",
        actor: run.request.actor ?? "system",
        pgDumpTimeoutMs,
        injectDiskFull: faults?.diskFull === true,
      }),
    ]);
    // A copy that does not read back is no way back: no restore.
    if (file.verified === false) return { ok: false, details: `BACKUP_CHECK_FAILED: ${file.verification}` };
    run.log(`safety backup created: ${file.path}`);
    run.lap("safetyBackup");
    return { ok: true, path: file.path, before };
  } catch (error) {
    const details = error instanceof BackupError ? `${error.code}: ${error.details}` : (error as Error).message;
    return { ok: false, details };
  }
}

async function replaceAndVerify(
  run: Run,
  journal: JournalWriter,
  inspection: Extract<Inspection, { ok: true }>,
  safety: string,
): Promise<Replaced> {
  journal.record({
    phase: "replacing",
    expected: inspection.expected,
    verifiedBeforeCommit: run.scenario.verifiesBeforeCommit,
  });
  const { family } = inspection.preview;
  const upgrading = inspection.schemaVersion < latestSchemaVersion(run.request.live.engine);
  run.progress?.enter("copy", rowsToCopy(inspection.expected, NOT_CARRIED));
  const replaced = await run.scenario.replace(run.ctx, inspection, {
    kind: "restore",
    message: `restored ${run.scenario.name} backup (family "${family.name}")${upgrading ? `, upgraded from schema ${inspection.schemaVersion}` : ""}`,
    details: `safety backup: ${safety}`,
  });
  run.lap("replace");
  run.log("data replaced, every session ended, event recorded; verifying");
  journal.record({ phase: "verifying" });
  run.progress?.enter("verify");
  crashPoint("during-verify");
  await verify(run, inspection);
  run.log("verified: row counts and checksums match the backup");
  run.lap("verify");
  journal.record({ phase: "finishing" });
  return replaced;
}

/** Throws "verification failed: …" when the live data is not exactly the backup's. */
async function verify(run: Run, inspection: Extract<Inspection, { ok: true }>): Promise<void> {
  const engineProblem = (await run.scenario.checkLive?.(run.ctx)) ?? null;
  if (engineProblem) throw new Error(`verification failed: ${engineProblem}`);
  // A scenario that compared every table inside its own transaction, just before COMMIT,
  // has checked exactly what was committed; reading a million rows again proves nothing new.
  const problems = run.scenario.verifiesBeforeCommit
    ? []
    : diffChecksums(inspection.expected, await computeChecksums(run.request.live));
  if (run.request.faults?.failVerification) problems.push("injected verification failure (test)");
  if (problems.length) throw new Error(`verification failed: ${problems.join("; ")}`);
  await verifyThroughApp(run.request.live, inspection.preview);
}

/** What the app will read after its connections reopen: the backup's family and users. */
async function verifyThroughApp(live: DatabaseTarget, preview: Preview): Promise<void> {
  const db = await createPrismaClient(live, { poolSize: 1 });
  try {
    const family = await db.family.findFirst({ orderBy: { id: "asc" } });
    const users = await db.user.findMany({ orderBy: { id: "asc" }, select: { username: true, role: true } });
    if (family?.name !== preview.family.name || JSON.stringify(users) !== JSON.stringify(preview.users)) {
      throw new Error("verification failed: the family and users read through the app differ from the backup's");
    }
  } finally {
    await db.$disconnect();
  }
}

async function rollBack(run: Run, safety: Extract<SafetyBackup, { ok: true }>, reason: string): Promise<RestoreResult> {
  run.log(`failed: ${reason}; rolling back to ${safety.path}`);
  run.progress?.enter("rollback");
  const rolledBack = await putSafetyBackupBack(run, safety);
  return {
    success: false,
    code: reason.startsWith("verification failed") ? "VERIFY_FAILED" : "RESTORE_FAILED",
    scenario: run.scenario.name,
    reason,
    rolledBack,
    safetyBackup: safety.path,
  };
}

async function putSafetyBackupBack(run: Run, safety: Extract<SafetyBackup, { ok: true }>): Promise<boolean> {
  try {
    if (run.request.faults?.failRollback) throw new Error("injected rollback failure (test)");
    // A load that failed before COMMIT changed nothing: the data is still exactly the old.
    if (diffChecksums(safety.before, await computeChecksums(run.request.live)).length === 0) {
      run.log("nothing was changed: the live data still equals the safety backup");
      return true;
    }
    await run.scenario.restoreSafetyBackup(run.ctx, safety.path, {
      kind: "restore-rolled-back",
      message: `a ${run.scenario.name} restore failed and was rolled back to the safety backup`,
      details: `safety backup: ${safety.path}`,
    });
    // The safety backup's rows, with no session (they end with a rollback too).
    const problems = diffChecksums(safety.before, await computeChecksums(run.request.live), ["sessions", "events"]);
    if (problems.length) throw new Error(`rollback verification failed: ${problems.join("; ")}`);
    run.log("rolled back: the live data equals the safety backup again");
    return true;
  } catch (error) {
    run.log(`ROLLBACK FAILED: ${(error as Error).message}. The safety backup is ${safety.path}`);
    return false;
  }
}

/** The sessions ended and the event was recorded with the data (the loaders do both). */
function finish(run: Run): void {
  run.progress?.enter("finish");
  run.log("all sessions ended; restore complete");
  run.lap("finish");
}

async function unlock(
  run: Run,
  journal: JournalWriter,
  lock: MaintenanceLock,
  result: RestoreResult | undefined,
): Promise<void> {
  // A failed rollback leaves the journal: the next start tries again before serving.
  const rollbackFailed = result !== undefined && "rolledBack" in result && !result.rolledBack;
  if (!rollbackFailed) journal.remove();
  crashPoint("before-unlock");
  await lock.release();
  run.log("maintenance lock released");
}
