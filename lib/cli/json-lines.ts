/**
 * `wimm export` / `wimm import`: the JSON lines form of the migration's record stream.
 * Import replaces the live PostgreSQL data like a migration does: maintenance lock, safety
 * dump, one transaction checked against the manifest and the target before COMMIT.
 */
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { BackupError, createBackup } from "../backup-restore/backups/create-backup.ts";
import { getEnv } from "../env.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { parseDatabaseUrl } from "../db/url.ts";
import { log } from "../log.ts";
import {
  ImportRefused,
  exportJsonLines as writeJsonLines,
  jsonLinesSource,
  manifestChecksums,
  readManifest,
} from "../backup-restore/engine/json-lines.ts";
import { migrateIntoPostgres } from "../backup-restore/engine/migrate-into-postgres.ts";
import { acquireMaintenanceLock } from "../backup-restore/spine/maintenance-lock.ts";
import { inspectSqliteBackup, openUntrustedSqlite } from "../backup-restore/inspect/inspect-sqlite-backup.ts";
import type { CommandResult } from "./main.ts";

const refused = (error: string): CommandResult => {
  console.error(`[IMPORT] refused: ${error}`);
  return { exitCode: 2, output: { success: false, error } };
};

export async function exportJsonLines(file: string | undefined, out: string): Promise<CommandResult> {
  const target = file ? parseDatabaseUrl(`file:${file}`) : parseDatabaseUrl(getEnv().DATABASE_URL);
  if (target.engine !== "sqlite")
    return refused("export reads a SQLite database: pass --from FILE, or run it on a SQLite instance");
  if (file) {
    const check = inspectSqliteBackup(target.path, { checksums: false });
    if (!check.ok) return refused(`${file} is not a WIMM-Finance SQLite database we can read (${check.code})`);
  } else {
    await bootstrapDatabase(target, getEnv());
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

export async function importJsonLinesCommand(dir: string, confirmed: boolean): Promise<CommandResult> {
  const env = getEnv();
  const live = parseDatabaseUrl(env.DATABASE_URL);
  if (env.DEMO_MODE) return refused("disabled in demo mode");
  if (live.engine !== "postgresql") return refused("import loads into PostgreSQL; this instance runs on SQLite");
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return refused(`${dir} is not a directory`);
  let manifest;
  try {
    manifest = readManifest(dir);
  } catch (error) {
    if (error instanceof ImportRefused) return refused(error.message);
    throw error;
  }
  if (!confirmed) {
    return {
      exitCode: 3,
      output: {
        success: false,
        needsConfirmation: true,
        message: "This replaces all current PostgreSQL data with the export. Run again with --confirm.",
      },
    };
  }
  await bootstrapDatabase(live, env);
  const lock = await acquireMaintenanceLock(env.WIMM_BACKUP_DIR, live);
  if (!lock) return refused("a restore is in progress");
  try {
    let safety: string;
    try {
      safety = (
        await createBackup(live, {
          dir: env.WIMM_BACKUP_DIR,
          kind: "pre_restore",
          pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
        })
      ).path;
    } catch (error) {
      return refused(
        `the safety backup could not be taken: ${error instanceof BackupError ? error.details : (error as Error).message}`,
      );
    }
    log("IMPORT", `safety backup created: ${safety}`);
    try {
      await migrateIntoPostgres(live.url, jsonLinesSource(dir), { expected: manifestChecksums(manifest) });
    } catch (error) {
      // One transaction: nothing was committed, the old data is still there.
      log("IMPORT", `failed, nothing committed: ${(error as Error).message}`);
      return {
        exitCode: 1,
        output: {
          success: false,
          error: "The import failed; nothing was changed.",
          details: (error as Error).message,
          rolledBack: true,
          safetyBackup: safety,
        },
      };
    }
    const client = new pg.Client({ connectionString: live.url });
    await client.connect();
    try {
      await client.query("DELETE FROM sessions");
      await client.query("INSERT INTO events (kind, message, details) VALUES ('import', $1, $2)", [
        `imported JSON lines from ${dir}`,
        `safety backup: ${safety}`,
      ]);
    } finally {
      await client.end();
    }
    log("IMPORT", "done; all sessions ended");
    return {
      exitCode: 0,
      output: {
        success: true,
        tables: manifest.tables.map(({ name, rows }) => ({ name, rows })),
        safetyBackup: safety,
      },
    };
  } finally {
    await lock.release();
  }
}
