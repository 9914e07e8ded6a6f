/**
 * pg_dump archive → PostgreSQL app: `pg_restore --clean --if-exists --no-owner --no-acl`
 * in a single transaction that stops at the first error, so a failing restore changes
 * nothing; time-limited.
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkArchiveToc } from "../inspect/check-archive-toc.ts";
import { inspectPgArchive } from "../inspect/inspect-pg-archive.ts";
import { RESTORE_APPLICATION_NAME, findPgTool, libpqConnection, runTool } from "../engine/pg-tools.ts";
import { log } from "../../log.ts";
import { crashPoint, testFault } from "../faults.ts";
import type { RestoreContext, ScenarioModule } from "./types.ts";

async function pgRestore(ctx: RestoreContext, file: string) {
  if (ctx.live.engine !== "postgresql") throw new Error("postgresql-to-postgresql needs a PostgreSQL live database");
  const { dbname, env } = libpqConnection(ctx.live.url);
  // Named, so that recovery after a crash can find and stop a pg_restore that outlived us.
  env.PGAPPNAME = RESTORE_APPLICATION_NAME;
  // Test-only: die while pg_restore is loading table data (its --verbose progress says when).
  const killMidway = testFault() === "kill:mid-replace";
  // Restore exactly the entries the table-of-contents check allowed (-L), nothing else.
  const listing = await runTool(findPgTool("pg_restore"), ["--list", "--create", file], {
    timeoutMs: 60_000,
    captureStdout: true,
  });
  const allowed = checkArchiveToc(listing.stdout);
  if (listing.code !== 0 || !allowed.ok) throw new Error("the archive's table of contents changed or cannot be read");
  const listFile = join(ctx.backupDir || tmpdir(), `.restore-list-${process.pid}-${Date.now()}`);
  writeFileSync(listFile, allowed.list, { mode: 0o600 });
  const args = [
    ...(killMidway ? ["--verbose"] : []),
    "--use-list",
    listFile,
    "--clean",
    "--if-exists",
    "--no-owner",
    "--no-acl",
    "--single-transaction",
    "--exit-on-error",
    "--dbname",
    dbname,
    file,
  ];
  let r;
  try {
    r = await runTool(findPgTool("pg_restore"), args, {
      timeoutMs: ctx.pgRestoreTimeoutMs,
      env,
      onStderr: killMidway
        ? (text) => text.includes("processing data for table") && crashPoint("mid-replace")
        : undefined,
    });
  } finally {
    rmSync(listFile, { force: true });
  }
  if (r.timedOut)
    throw new Error(`pg_restore took longer than ${Math.round(ctx.pgRestoreTimeoutMs / 1000)} s and was stopped`);
  if (r.code !== 0) throw new Error(`pg_restore failed: ${r.stderr.trim().slice(0, 1000) || `exit code ${r.code}`}`);
}

export const postgresqlToPostgresql: ScenarioModule = {
  name: "postgresql-to-postgresql",
  logTag: "PG_RESTORE",
  verifiesBeforeCommit: false,

  async inspect(ctx) {
    if (ctx.live.engine !== "postgresql") throw new Error("postgresql-to-postgresql needs a PostgreSQL live database");
    const result = await inspectPgArchive(ctx.file, ctx.live.url);
    if (!result.ok) return result;
    return { ok: true, preview: result.preview, expected: result.checksums };
  },

  async replace(ctx) {
    log("PG_RESTORE", `pg_restore --clean --single-transaction from ${ctx.file}`);
    await pgRestore(ctx, ctx.file);
  },

  async restoreSafetyBackup(ctx, safetyBackupPath) {
    log("PG_RESTORE", `rolling back from ${safetyBackupPath}`);
    await pgRestore(ctx, safetyBackupPath);
  },
};
