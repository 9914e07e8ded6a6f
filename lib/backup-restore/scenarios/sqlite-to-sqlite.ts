/**
 * SQLite backup → SQLite app. The live file is never deleted or renamed (other processes
 * may hold it open): its contents are replaced through SQLite's online backup API, in one
 * step, inside SQLite's own write transaction — a crash halfway leaves SQLite's journal to
 * put the old pages back.
 */
import Database from "better-sqlite3";
import { inspectSqliteIsolated } from "../inspect/inspect-isolated.ts";
import type { RestoreContext, ScenarioModule } from "./types.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";

/** SQLite's own check of the whole file, after the copy: "ok", or what is wrong. */
async function integrityProblem(livePath: string): Promise<string | null> {
  const db = new Database(livePath, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma("integrity_check", { simple: true });
    return check === "ok" ? null : `integrity check says ${String(check)}`;
  } finally {
    db.close();
  }
}

async function copyInto(source: string, livePath: string) {
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // Returning a huge page count makes every step after the first copy everything at once.
    await src.backup(livePath, {
      progress: () => {
        crashPoint("mid-replace"); // test-only: dies after the first 100 pages
        return 2_000_000_000;
      },
    });
  } finally {
    src.close();
  }
  // The copied header carries the backup's rollback-journal mode; the live app uses WAL.
  const live = new Database(livePath, { timeout: 15000 });
  try {
    live.pragma("journal_mode = WAL");
  } finally {
    live.close();
  }
}

export const sqliteToSqlite: ScenarioModule = {
  name: "sqlite-to-sqlite",
  logTag: "SQLITE_RESTORE",
  verifiesBeforeCommit: false,

  async inspect(ctx: RestoreContext) {
    const isolated = await inspectSqliteIsolated(ctx.file, { checksums: true, timeoutMs: ctx.validateTimeoutMs });
    if (!isolated.ok) return { ok: false, code: "SQLITE_CORRUPT", details: isolated.details };
    const result = isolated.inspection;
    if (!result.ok) return result;
    return { ok: true, preview: result.preview, expected: result.checksums };
  },

  async replace(ctx) {
    if (ctx.live.engine !== "sqlite") throw new Error("sqlite-to-sqlite needs a SQLite live database");
    log("SQLITE_RESTORE", `copying ${ctx.file} into ${ctx.live.path} with the backup API`);
    await copyInto(ctx.file, ctx.live.path);
  },

  async checkLive(ctx) {
    if (ctx.live.engine !== "sqlite") throw new Error("sqlite-to-sqlite needs a SQLite live database");
    return integrityProblem(ctx.live.path);
  },

  async restoreSafetyBackup(ctx, safetyBackupPath) {
    if (ctx.live.engine !== "sqlite") throw new Error("sqlite-to-sqlite needs a SQLite live database");
    log("SQLITE_RESTORE", `rolling back from ${safetyBackupPath}`);
    await copyInto(safetyBackupPath, ctx.live.path);
  },
};
