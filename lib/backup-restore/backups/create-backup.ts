/**
 * A backup of the live database in its own native format, as one self-contained file:
 *   SQLite     → `VACUUM INTO` a fresh file: one read transaction, so a consistent snapshot
 *                that continuous writers cannot starve (the backup API restarts whenever
 *                the source changes); then switched to rollback-journal mode so it never
 *                needs a -wal file.
 *   PostgreSQL → `pg_dump -Fc` with a time limit, after checking its version.
 * Files are written under a temporary name and renamed when complete, so a crash never
 * leaves a half backup under a real name. User backups carry no sessions (tokens are hashed
 * anyway); safety backups (pre_restore_*) are exact copies, for an exact rollback.
 */
import { appendFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { DatabaseTarget, Engine } from "../../db/url.ts";
import { log } from "../../log.ts";
import type { BackupFailureCode } from "../vocabulary.ts";
import {
  createPrivateFile,
  ensurePrivateDir,
  fileSize,
  fileTimestamp,
  fsyncFile,
  sha256File,
} from "../engine/private-files.ts";
import { checkPgTools, findPgTool, libpqConnection, runTool } from "../engine/pg-tools.ts";
import { BACKUP_CREATED_AT_KEY } from "../engine/upgrade-steps.ts";

export type BackupKind = "backup" | "pre_restore" | "pre_upgrade";

export type BackupFile = {
  path: string;
  filename: string;
  bytes: number;
  sha256: string;
  engine: Engine;
  createdAt: string;
};

export type CreateBackupOptions = {
  dir: string;
  kind?: BackupKind;
  pgDumpTimeoutMs?: number;
  /** Test-only: the disk fills up after the first bytes are written (where tmpfs cannot be mounted). */
  injectDiskFull?: boolean;
};

/** A backup that could not be written: a reason code and the specifics (a tool's words, a path), no prose. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupFailureCode,
    readonly details: string,
  ) {
    super(`${code}: ${details}`);
  }
}

export function backupFilename(engine: Engine, kind: BackupKind, date = new Date()): string {
  const ext = engine === "sqlite" ? "sqlite3" : "dump";
  if (kind === "pre_upgrade") return `wimm-pre-upgrade-${fileTimestamp(date)}.${ext}`;
  return kind === "backup" ? `wimm-${fileTimestamp(date)}.${ext}` : `pre_restore_${fileTimestamp(date)}.${ext}`;
}

export async function createBackup(target: DatabaseTarget, options: CreateBackupOptions): Promise<BackupFile> {
  const kind = options.kind ?? "backup";
  const dir = ensurePrivateDir(options.dir);
  const now = new Date();
  const filename = backupFilename(target.engine, kind, now);
  const finalPath = join(dir, filename);
  const partial = join(dir, `.${filename}.partial`);
  const logModule = kind === "backup" ? "BACKUP" : "SAFETY_BACKUP";
  try {
    createPrivateFile(partial);
    if (options.injectDiskFull) {
      appendFileSync(partial, Buffer.alloc(4096));
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }
    if (target.engine === "sqlite") copySqlite(target.path, partial, kind === "backup", now);
    else await dumpPostgres(target.url, partial, kind === "backup", options.pgDumpTimeoutMs ?? 300_000);
    fsyncFile(partial);
    renameSync(partial, finalPath);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    if (error instanceof BackupError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    log(logModule, `failed: ${detail}`);
    throw new BackupError("BACKUP_WRITE_FAILED", detail);
  }
  const result: BackupFile = {
    path: finalPath,
    filename,
    bytes: fileSize(finalPath),
    sha256: await sha256File(finalPath),
    engine: target.engine,
    createdAt: now.toISOString(),
  };
  log(logModule, `created ${finalPath} (${result.bytes} bytes)`);
  return result;
}

function copySqlite(livePath: string, destination: string, dropSessions: boolean, createdAt: Date) {
  const source = new Database(livePath, { readonly: true, fileMustExist: true, timeout: 15000 });
  try {
    source.prepare("VACUUM INTO ?").run(destination);
  } finally {
    source.close();
  }
  const copy = new Database(destination, { timeout: 15000 });
  try {
    copy.pragma("journal_mode = DELETE");
    if (dropSessions) copy.prepare("DELETE FROM sessions").run();
    // The file says when it was made (a dump's archive header does the same); a restore
    // never carries this key into a live database (engine/upgrade-steps.ts).
    copy
      .prepare("INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(BACKUP_CREATED_AT_KEY, createdAt.toISOString());
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupError("BACKUP_CHECK_FAILED", String(check));
  } finally {
    copy.close();
  }
}

async function dumpPostgres(url: string, destination: string, dropSessions: boolean, timeoutMs: number) {
  try {
    await checkPgTools(url, ["pg_dump"]);
  } catch (error) {
    throw new BackupError("PG_DUMP_UNAVAILABLE", (error as Error).message);
  }
  const { dbname, env } = libpqConnection(url);
  const args = [
    "--format=custom",
    "--file",
    destination,
    ...(dropSessions ? ["--exclude-table-data=sessions"] : []),
    "--dbname",
    dbname,
  ];
  const r = await runTool(findPgTool("pg_dump"), args, { timeoutMs, env });
  if (r.timedOut) throw new BackupError("PG_DUMP_TIMEOUT", `time limit ${Math.round(timeoutMs / 1000)} s`);
  if (r.code !== 0) throw new BackupError("PG_DUMP_FAILED", r.stderr.trim() || `exit code ${r.code}`);
}
