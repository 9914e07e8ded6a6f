/**
 * `wimm export`: every record of a SQLite database as JSON lines, one file per table plus a
 * manifest (lib/backup-restore/engine/json-lines.ts). Its counterpart `wimm import` is a
 * restore like any other (the json-lines-to-postgresql scenario), run by commands.ts.
 */
import Database from "better-sqlite3";
import { exportJsonLines as writeJsonLines } from "../backup-restore/engine/json-lines.ts";
import { inspectSqliteIsolated } from "../backup-restore/inspect/inspect-isolated.ts";
import { openUntrustedSqlite } from "../backup-restore/inspect/inspect-sqlite-backup.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { parseDatabaseUrl } from "../db/url.ts";
import { getEnv } from "../env.ts";
import type { CommandResult } from "./command.ts";

const refused = (error: string): CommandResult => {
  console.error(`[EXPORT] refused: ${error}`);
  return { exitCode: 2, output: { success: false, error } };
};

export async function exportJsonLines(file: string | undefined, out: string): Promise<CommandResult> {
  const env = getEnv();
  const target = file ? parseDatabaseUrl(`file:${file}`) : parseDatabaseUrl(env.DATABASE_URL);
  if (target.engine !== "sqlite")
    return refused("export reads a SQLite database: pass --from FILE, or run it on a SQLite instance");
  if (file) {
    // Someone else's file: SQLite parses it first in the isolated child.
    const check = await inspectSqliteIsolated(target.path, { timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000 });
    const code = !check.ok ? "SQLITE_CORRUPT" : !check.inspection.ok ? check.inspection.code : null;
    if (code) return refused(`${file} is not a WIMM-Finance SQLite database we can read (${code})`);
  } else {
    await bootstrapDatabase(target, env);
  }
  const db = file ? openUntrustedSqlite(target.path) : new Database(target.path, { readonly: true });
  try {
    const manifest = await writeJsonLines(db, out);
    return {
      exitCode: 0,
      output: { success: true, dir: out, tables: manifest.tables.map(({ name, rows }) => ({ name, rows })) },
    };
  } finally {
    db.close();
  }
}
