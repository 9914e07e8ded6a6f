/**
 * SQLite backup → SQLite app. The upload is inspected by isolated children (sqlite-upload.ts)
 * and its rows, read by another, are loaded into the live file by the SQLite loader
 * (engine/load-into-sqlite.ts): one write transaction that rebuilds the app's own schema,
 * inserts the rows and compares every table before COMMIT. Nothing of the upload's own
 * schema (a hidden cascade, a trigger, its `sqlite_sequence`) reaches the live file.
 */
import Database from "better-sqlite3";
import { readMeta, type MetaRow } from "../../db/schema.ts";
import { log } from "../../log.ts";
import { loadIntoSqlite } from "../engine/load-into-sqlite.ts";
import { inTableOrder, sqliteLineSource } from "../engine/records.ts";
import { inspectSqliteUpload, loadSqliteUpload } from "./sqlite-upload.ts";
import type { RestoreContext, ScenarioModule } from "./types.ts";

function livePath(ctx: RestoreContext): string {
  if (ctx.live.engine !== "sqlite") throw new Error("sqlite-to-sqlite needs a SQLite live database");
  return ctx.live.path;
}

/** SQLite's own check of the whole file, after the load: "ok", or what is wrong. */
async function integrityProblem(path: string): Promise<string | null> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma("integrity_check", { simple: true });
    return check === "ok" ? null : `integrity check says ${String(check)}`;
  } finally {
    db.close();
  }
}

export const sqliteToSqlite: ScenarioModule = {
  name: "sqlite-to-sqlite",
  logTag: "SQLITE_RESTORE",
  verifiesBeforeCommit: true,

  inspect: inspectSqliteUpload,

  async replace(ctx, { expected, schemaVersion: version }, event) {
    const path = livePath(ctx);
    log("SQLITE_RESTORE", `loading the rows of ${ctx.file} (schema ${version}) into ${path}`);
    return loadSqliteUpload(ctx, version, (records) =>
      loadIntoSqlite(path, records, { expected, event, version, progress: ctx.progress }),
    );
  },

  checkLive: (ctx) => integrityProblem(livePath(ctx)),

  async restoreSafetyBackup(ctx, safetyBackupPath, event) {
    const path = livePath(ctx);
    log("SQLITE_RESTORE", `rolling back: loading the rows of ${safetyBackupPath}`);
    // The app's own copy of its own data: read in this process, loaded without refusals.
    const source = new Database(safetyBackupPath, { readonly: true, fileMustExist: true });
    try {
      // At the schema the live file had when it was copied.
      const { version } = readMeta(source.prepare("SELECT key, value FROM app_meta").all() as MetaRow[]);
      await loadIntoSqlite(path, inTableOrder(sqliteLineSource(source), version), { event, version, appMeta: "keep" });
    } finally {
      source.close();
    }
  },
};
