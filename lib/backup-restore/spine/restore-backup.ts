/**
 * The one entry point for restoring a backup, used by the settings page's server action and
 * by `./bin/wimm restore`. The whole spine of shared/DESIGN.md is in this file:
 *
 *   1. detect the file's type (content only) and choose the scenario (pure table);
 *   2. validate the upload and read its preview — before touching anything live;
 *   3. maintenance lock; let in-flight writes finish; close the app's connections;
 *   4. safety backup of the live database — no way back, no restore;
 *   5. replace the data;
 *   6. verify: row counts and checksums of every table equal the upload's, the family and
 *      users readable through the app's own Prisma client;
 *   7. on any failure in 5–6, put the safety backup back and verify that too;
 *   8. end every session (including any the backup carried), record the event, unlock.
 */
import Database from "better-sqlite3";
import { computeChecksums, diffChecksums, type Checksums } from "../../db/checksum.ts";
import { createPrismaClient } from "../../db/client.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { BackupError, createBackup } from "../backups/create-backup.ts";
import { log } from "../../log.ts";
import { detectBackupType, hasSqliteHeader } from "../inspect/detect-backup-type.ts";
import { endSessionsAndRecord } from "./end-sessions.ts";
import { inspectSqliteIsolated } from "../inspect/inspect-isolated.ts";
import { crashPoint } from "../faults.ts";
import { describeLive, removeJournal, writeJournal, type Journal } from "./journal.ts";
import { acquireMaintenanceLock, waitForWrites } from "./maintenance-lock.ts";
import { NEEDS_MIGRATION_MESSAGE, REFUSALS } from "../../cli/restore-messages.ts";
import { planRestore } from "./plan-restore.ts";
import type { Preview, RefusalCode, RestoreResult, Scenario } from "../vocabulary.ts";
import { postgresqlToPostgresql } from "../scenarios/postgresql-to-postgresql.ts";
import { sqliteToPostgresql } from "../scenarios/sqlite-to-postgresql.ts";
import { sqliteToSqlite } from "../scenarios/sqlite-to-sqlite.ts";
import type { RestoreContext, ScenarioModule } from "../scenarios/types.ts";

const SCENARIOS: Record<Scenario, ScenarioModule | undefined> = {
  "sqlite-to-sqlite": sqliteToSqlite,
  "postgresql-to-postgresql": postgresqlToPostgresql,
  "sqlite-to-postgresql": sqliteToPostgresql,
};

export type RestoreRequest = {
  file: string;
  live: DatabaseTarget;
  confirmMigration: boolean;
  backupDir: string;
  demoMode: boolean;
  pgDumpTimeoutMs: number;
  pgRestoreTimeoutMs: number;
  /** The web app closes its Prisma client here, before anything is replaced. */
  closeConnections?: () => Promise<void>;
  /** Test-only fault injection (the CLI sets it only with WIMM_TEST_FAULTS=1 and WIMM_FAULT). */
  faults?: { failVerification?: boolean; failRollback?: boolean; diskFull?: boolean };
};

export function refusal(code: RefusalCode, details?: string, scenario?: Scenario): RestoreResult {
  const text = REFUSALS[code];
  const fullDetails = details ? `${text.details} (${details})` : text.details;
  log("RESTORE", `refused: ${code}${details ? ` — ${details}` : ""}`);
  return {
    success: false,
    refused: true,
    code,
    ...(scenario ? { scenario } : {}),
    error: text.error,
    details: fullDetails,
    ...(details ? { note: details } : {}),
  };
}

export async function restoreBackup(request: RestoreRequest): Promise<RestoreResult> {
  if (request.demoMode) return refusal("DEMO_MODE");
  const type = detectBackupType(request.file);
  log("RESTORE", `backup file type: ${type}; running engine: ${request.live.engine}`);
  const plan = planRestore(request.live.engine, type, request.confirmMigration);
  if (plan.action === "refuse") {
    // A file with a SQLite header that does not open is a damaged SQLite file: say so.
    if (plan.code === "UNKNOWN_FILE_TYPE" && hasSqliteHeader(request.file)) {
      return refusal("SQLITE_CORRUPT", "the file starts like a SQLite database but cannot be opened");
    }
    return refusal(plan.code);
  }
  if (plan.action === "confirm") {
    // No point asking to migrate a file we would refuse: validate it first (read-only).
    const isolated = await inspectSqliteIsolated(request.file);
    if (!isolated.ok) return refusal("SQLITE_CORRUPT", isolated.details, plan.scenario);
    if (!isolated.inspection.ok) return refusal(isolated.inspection.code, isolated.inspection.details, plan.scenario);
    log("RESTORE", "SQLite backup on PostgreSQL: asking for migration confirmation; nothing changed");
    return {
      success: false,
      needsMigrationConfirmation: true,
      scenario: plan.scenario,
      message: NEEDS_MIGRATION_MESSAGE,
    };
  }
  const scenario = SCENARIOS[plan.scenario];
  if (!scenario) return refusal("MIGRATION_NOT_AVAILABLE", undefined, plan.scenario);
  const ctx: RestoreContext = {
    file: request.file,
    live: request.live,
    backupDir: request.backupDir,
    pgDumpTimeoutMs: request.pgDumpTimeoutMs,
    pgRestoreTimeoutMs: request.pgRestoreTimeoutMs,
  };
  const logModule = {
    "sqlite-to-sqlite": "SQLITE_RESTORE",
    "postgresql-to-postgresql": "PG_RESTORE",
    "sqlite-to-postgresql": "PG_MIGRATION",
  }[scenario.name];

  // Milliseconds per phase, in the result: the benchmark reads them, and so can an operator.
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    timings[phase] = Math.round(now - mark);
    mark = now;
  };

  // 2. Validate and preview, read-only.
  const inspection = await scenario.inspect(ctx);
  if (!inspection.ok) return refusal(inspection.code, inspection.details, scenario.name);
  lap("validate");
  log(
    logModule,
    `backup valid: family "${inspection.preview.family.name}", ${inspection.preview.users.length} user(s)`,
  );

  // 3. Lock, drain writes, close connections.
  const lock = await acquireMaintenanceLock(request.backupDir, request.live);
  if (!lock) return refusal("RESTORE_IN_PROGRESS", undefined, scenario.name);
  // The journal lets the next start finish or undo this restore if the process dies.
  let journal: Journal = {
    version: 1,
    pid: process.pid,
    scenario: scenario.name,
    live: describeLive(request.live),
    phase: "started",
    startedAt: new Date().toISOString(),
    updatedAt: "",
    family: inspection.preview.family.name,
  };
  const record = (update: Partial<Journal>) => writeJournal(request.backupDir, (journal = { ...journal, ...update }));
  let keepJournal = false;
  try {
    record({});
    log(logModule, "maintenance lock taken");
    if (!(await waitForWrites()))
      log(logModule, "warning: writes still in flight after 30 s; continuing under the lock");
    await request.closeConnections?.();
    lap("lock");

    // 4. Safety backup, and the fingerprint of the live data it holds.
    let safetyBackup: string;
    let before: Checksums;
    try {
      // Both only read the locked, quiet database: side by side on two cores.
      const [checksums, file] = await Promise.all([
        computeChecksums(request.live),
        createBackup(request.live, {
          dir: request.backupDir,
          kind: "pre_restore",
          pgDumpTimeoutMs: request.pgDumpTimeoutMs,
          injectDiskFull: request.faults?.diskFull === true,
        }),
      ]);
      before = checksums;
      safetyBackup = file.path;
    } catch (error) {
      const details = error instanceof BackupError ? `${error.message} ${error.details}` : (error as Error).message;
      return refusal("SAFETY_BACKUP_FAILED", details, scenario.name);
    }
    log(logModule, `safety backup created: ${safetyBackup}`);
    lap("safetyBackup");
    record({ phase: "safety-backup-taken", safetyBackup, before });
    crashPoint("after-safety-backup");

    // 5–6. Replace and verify.
    try {
      record({
        phase: "replacing",
        expected: inspection.expected,
        verifiedBeforeCommit: scenario.name === "sqlite-to-postgresql",
      });
      const replaced = await scenario.replace(ctx, inspection.expected);
      lap("replace");
      log(logModule, "data replaced; verifying");
      const expected = inspection.expected;
      record({ phase: "verifying" });
      crashPoint("during-verify");
      await verify(request.live, expected, inspection.preview, {
        checksumsAlreadyCompared: replaced?.verified === true,
        injectFailure: request.faults?.failVerification === true,
      });
      log(logModule, "verified: row counts and checksums match the backup");
      lap("verify");
      record({ phase: "finishing" });
    } catch (error) {
      // 7. Roll back.
      const reason = (error as Error).message;
      log(logModule, `failed: ${reason}; rolling back to ${safetyBackup}`);
      const rolledBack = await rollBack(
        scenario,
        ctx,
        safetyBackup,
        before,
        request.faults?.failRollback === true,
        logModule,
      );
      // A failed rollback leaves the journal: the next start tries again before serving.
      keepJournal = !rolledBack;
      return {
        success: false,
        code: reason.startsWith("verification failed") ? "VERIFY_FAILED" : "RESTORE_FAILED",
        scenario: scenario.name,
        error: rolledBack
          ? "The restore failed; your previous data was put back"
          : "The restore failed AND the automatic rollback failed",
        details: rolledBack
          ? `${reason}. The safety backup was restored and verified; nothing was lost. Safety backup: ${safetyBackup}`
          : `${reason}. Restore the safety backup by hand: ${safetyBackup}`,
        reason,
        rolledBack,
        safetyBackup,
      };
    }

    // 8. Sessions end; the event is recorded.
    await endSessionsAndRecord(request.live, {
      kind: "restore",
      message: `restored ${scenario.name} backup (family "${inspection.preview.family.name}")`,
      details: `safety backup: ${safetyBackup}`,
    });
    log(logModule, "all sessions ended; restore complete");
    lap("finish");
    return {
      success: true,
      scenario: scenario.name,
      ...inspection.preview,
      safetyBackup,
      sessionsEnded: true,
      timings,
    };
  } finally {
    if (!keepJournal) removeJournal(request.backupDir);
    crashPoint("before-unlock");
    await lock.release();
    log(logModule, "maintenance lock released");
  }
}

async function verify(
  live: DatabaseTarget,
  expected: Checksums,
  preview: Preview,
  options: { checksumsAlreadyCompared: boolean; injectFailure: boolean },
) {
  if (live.engine === "sqlite") {
    const db = new Database(live.path, { readonly: true, fileMustExist: true });
    try {
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`verification failed: integrity check says ${String(check)}`);
    } finally {
      db.close();
    }
  }
  // A scenario that compared every table inside its own transaction, just before COMMIT,
  // has checked exactly what was committed; reading a million rows again proves nothing new.
  const problems = options.checksumsAlreadyCompared ? [] : diffChecksums(expected, await computeChecksums(live));
  if (options.injectFailure) problems.push("injected verification failure (test)");
  if (problems.length) throw new Error(`verification failed: ${problems.join("; ")}`);
  // Through the app's own client: what the app will read after we reopen.
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

async function rollBack(
  scenario: ScenarioModule,
  ctx: RestoreContext,
  safetyBackup: string,
  before: Checksums,
  injectFailure: boolean,
  logModule: string,
): Promise<boolean> {
  try {
    if (injectFailure) throw new Error("injected rollback failure (test)");
    await scenario.restoreSafetyBackup(ctx, safetyBackup);
    const problems = diffChecksums(before, await computeChecksums(ctx.live));
    if (problems.length) throw new Error(`rollback verification failed: ${problems.join("; ")}`);
    log(logModule, "rolled back: the live data equals the safety backup again");
    return true;
  } catch (error) {
    log(logModule, `ROLLBACK FAILED: ${(error as Error).message}. The safety backup is ${safetyBackup}`);
    return false;
  }
}

/** Sessions found in a backup are never valid after a restore: every user signs in again. */
