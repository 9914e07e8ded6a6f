/**
 * Finishing a restore that was interrupted (the process was killed), on the next start of
 * the app or of any `./bin/wimm` command, before the database serves anything.
 *
 * The decision only ever leads to one of two states — exactly the old data, or exactly the
 * backup's — and every session ends either way:
 *   - the live data still equals its checksums from before → nothing was replaced;
 *   - it equals the backup's expected checksums, or the scenario had verified inside its
 *     transaction before COMMIT, or verification had already passed → complete the restore;
 *   - anything else → put the safety backup back and verify it.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { computeChecksums, diffChecksums } from "../../db/checksum.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { log } from "../../log.ts";
import { endSessionsAndRecord } from "./end-sessions.ts";
import { RESTORE_APPLICATION_NAME } from "../engine/pg-tools.ts";
import { describeLive, readJournal, removeJournal, type Journal } from "./journal.ts";
import { isRestoreInProgress, lockPath } from "./maintenance-lock.ts";
import { SCENARIOS } from "../scenarios/index.ts";
import { buildRestoreContext, type RestoreLimits } from "./restore-context.ts";

type Decided = { kind: "nothing-changed" | "completed" | "rolled-back"; message: string };
type Settled = Decided | { kind: "failed"; message: string };

export type RecoveryOutcome =
  | { kind: "none" }
  | { kind: "busy" } // a live process is restoring right now
  | Settled;

/** `limits`: the same time limits a restore gets (restoreLimits(env) at the edges). */
export async function recoverInterruptedRestore(
  live: DatabaseTarget,
  backupDir: string,
  limits: RestoreLimits,
): Promise<RecoveryOutcome> {
  const journal = readJournal(backupDir);
  if (!journal) return { kind: "none" };
  // A live process still holds the kernel lock: it is restoring right now, not interrupted.
  if (isRestoreInProgress(backupDir)) return { kind: "busy" };
  log("RECOVERY", `found an interrupted ${journal.scenario} restore (phase ${journal.phase}, pid ${journal.pid})`);
  if (journal.live !== describeLive(live)) {
    const message = `The interrupted restore was for ${journal.live}, but this instance uses ${describeLive(live)}; recover it by hand with the safety backup ${journal.safetyBackup ?? "(none)"}.`;
    log("RECOVERY", message);
    return { kind: "failed", message };
  }
  // A helper process of the dead restore (pg_restore) may still be running: stop it, so the
  // database holds still while we look at it. Its transaction is rolled back by PostgreSQL.
  if (live.engine === "postgresql") await terminateRestoreSessions(live.url);
  removePartialBackups(backupDir);

  let outcome: Settled;
  try {
    outcome = await decide(live, journal, backupDir, limits);
  } catch (error) {
    outcome = {
      kind: "failed",
      message: `Recovery failed: ${(error as Error).message}. Safety backup: ${journal.safetyBackup ?? "(none)"}`,
    };
  }
  if (outcome.kind !== "failed") {
    // A rollback's loader ended the sessions and recorded the event with the data.
    if (outcome.kind !== "rolled-back")
      await endSessionsAndRecord(live, { kind: `recovery-${outcome.kind}`, message: outcome.message });
    removeJournal(backupDir);
    rmSync(lockPath(backupDir), { force: true });
  }
  log("RECOVERY", outcome.kind === "failed" ? `FAILED: ${outcome.message}` : outcome.message);
  return outcome;
}

async function decide(
  live: DatabaseTarget,
  journal: Journal,
  backupDir: string,
  limits: RestoreLimits,
): Promise<Decided> {
  if (journal.phase === "started" || !journal.before) {
    return {
      kind: "nothing-changed",
      message: "An interrupted restore had not replaced anything; the data is unchanged.",
    };
  }
  if (journal.phase === "finishing") {
    return {
      kind: "completed",
      message: `An interrupted restore had already verified the backup's data; it was completed.`,
    };
  }
  const now = await computeChecksums(live);
  if (diffChecksums(journal.before, now).length === 0) {
    return {
      kind: "nothing-changed",
      message: "An interrupted restore had not replaced anything; the data is unchanged.",
    };
  }
  // An empty `expected` means "not known in advance" (the migration hashes as it copies).
  const matchesBackup =
    journal.expected !== undefined &&
    Object.keys(journal.expected).length > 0 &&
    diffChecksums(journal.expected, now, ["sessions"]).length === 0;
  if (matchesBackup || (journal.phase === "verifying" && journal.verifiedBeforeCommit)) {
    return {
      kind: "completed",
      message: "An interrupted restore had put the backup's data in place and it checks out; it was completed.",
    };
  }
  if (journal.verifiedBeforeCommit && journal.phase === "replacing") {
    // The migration verifies every table before COMMIT: a committed state is a verified one.
    return {
      kind: "completed",
      message: "An interrupted migration had committed its verified data; it was completed.",
    };
  }
  if (!journal.safetyBackup || !existsSync(journal.safetyBackup)) {
    throw new Error("the data matches neither the old nor the backup's and the safety backup is missing");
  }
  // The scenario the journal names puts its own safety backup back, as its rollback would have.
  const scenario = SCENARIOS[journal.scenario];
  if (!scenario) throw new Error(`the journal names an unknown scenario "${String(journal.scenario)}"`);
  const ctx = buildRestoreContext(journal.safetyBackup, live, backupDir, limits);
  await scenario.restoreSafetyBackup(ctx, journal.safetyBackup, {
    kind: "recovery-rolled-back",
    message: `An interrupted restore was rolled back to the safety backup ${journal.safetyBackup}; nothing was lost.`,
  });
  const problems = diffChecksums(journal.before, await computeChecksums(live), ["sessions", "events"]);
  if (problems.length) throw new Error(`the rolled-back data does not match the safety backup: ${problems.join("; ")}`);
  return {
    kind: "rolled-back",
    message: `An interrupted restore was rolled back to the safety backup ${journal.safetyBackup}; nothing was lost.`,
  };
}

function removePartialBackups(dir: string) {
  try {
    for (const name of readdirSync(dir))
      if (name.endsWith(".partial") || name.endsWith(".partial-journal")) rmSync(join(dir, name), { force: true });
  } catch {
    /* no folder yet */
  }
}

async function terminateRestoreSessions(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
      [RESTORE_APPLICATION_NAME],
    );
    if (rowCount) log("RECOVERY", `stopped ${rowCount} leftover restore connection(s)`);
  } finally {
    await client.end();
  }
}
