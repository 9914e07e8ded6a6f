/**
 * A backup of the live database in its own native format, as one self-contained file:
 *   SQLite     → `VACUUM INTO` a fresh file: one read transaction, so a consistent snapshot
 *                that continuous writers cannot starve (the backup API restarts whenever
 *                the source changes); then switched to rollback-journal mode so it never
 *                needs a -wal file.
 *   PostgreSQL → `pg_dump -Fc` with a time limit, after checking its version.
 * Files are written under a temporary name and renamed when complete, so a crash never
 * leaves a half backup under a real name. User backups carry no sessions (tokens are hashed
 * anyway); safety backups (wimm-pre-restore-*, wimm-pre-upgrade-*) are exact copies, for an
 * exact rollback. Every backup is verified after it is written (verify-backup.ts).
 */
import { appendFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { computeChecksums, postgresChecksums, type Checksums } from "../../db/checksum.ts";
import { readSchemaVersion } from "../../db/schema.ts";
import { LATEST_SCHEMA_VERSION, tablesAt, type Table } from "../../db/tables.ts";
import type { DatabaseTarget, Engine } from "../../db/url.ts";
import { appendAuditEntry } from "../audit/audit-trail.ts";
import { writeCatalogueEntry } from "./catalogue.ts";
import { compressBackup, encryptBackup, type EncryptedBackup } from "./protect-backup.ts";
import { checkFreeSpace } from "./check-free-space.ts";
import { scaleTimeLimit } from "../engine/time-limits.ts";
import { estimateBackupBytes, readPostgresSize, readSqliteSize } from "./estimate-backup-bytes.ts";
import type { BackupTrigger } from "./parse-backup-filename.ts";
import { verifyDump, verifySqliteCopy, type Verification } from "./verify-backup.ts";
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
import type { OffsiteSettings } from "../offsite/offsite-remote.ts";
import { shipBackupOffsite, type OffsiteCopy } from "../offsite/ship-backup-offsite.ts";

/** Who made it: the four triggers of a backup's name (parse-backup-filename.ts). */
export type { BackupTrigger };

export type BackupFile = {
  path: string;
  filename: string;
  bytes: number;
  sha256: string;
  engine: Engine;
  createdAt: string;
  trigger: BackupTrigger;
  /** The schema version of the data it holds. */
  schemaVersion: number;
  /** Verify after write: true proven, false failed (the file is kept), null not yet (skipped, or unsettled). */
  verified: boolean | null;
  verification: string;
  /** Its off-site copies, when a remote is set: each read back and compared (offsite/). */
  offsite?: OffsiteCopy[];
  /** gzip-compressed in place (`.sqlite3.gz`): `path`, `bytes` and `sha256` are the .gz file's. */
  compressed: boolean;
  /** The SHA-256 of the backup itself, uncompressed (the same as `sha256` when not compressed). */
  plaintextSha256: string;
  /** Its age-encrypted copy beside it (`<file>.age`), when asked for. */
  encrypted?: EncryptedBackup;
  /** Verified, but its compressed or encrypted form could not be written: why (the plaintext is kept). */
  protectionFailed?: string;
};

export type CreateBackupOptions = {
  dir: string;
  trigger?: BackupTrigger;
  /** Who asked, for the catalogue and the audit trail: a username, "cli", "scheduler", "system". */
  actor?: string;
  /** Verify after write (the default); `wimm backup --no-verify` turns it off. */
  verify?: boolean;
  pgDumpTimeoutMs?: number;
  /**
   * Copy the backup off-site once verified (`WIMM_OFFSITE_REMOTE`): backups by hand and on the
   * schedule; a safety backup stays local (its restore is waiting for it).
   */
  offsite?: OffsiteSettings;
  /** gzip the verified backup in place (SQLite only: a custom-format dump is compressed already). */
  gzip?: boolean;
  /** Write an age-encrypted copy of the verified backup to these public keys (`age1…`) beside it. */
  recipients?: readonly string[];
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

export function backupFilename(engine: Engine, trigger: BackupTrigger, date = new Date()): string {
  return `wimm-${trigger}-${fileTimestamp(date)}.${engine === "sqlite" ? "sqlite3" : "dump"}`;
}

/**
 * Writes a backup, verifies it (verify-backup.ts), records it beside itself (catalogue.ts)
 * and in the audit trail. Throws BackupError when no file could be written (nothing is left
 * behind then); a file that was written but failed verification is kept, marked failed, and
 * returned with `verified: false` — the caller reports it.
 */
export async function createBackup(target: DatabaseTarget, options: CreateBackupOptions): Promise<BackupFile> {
  const trigger = options.trigger ?? "manual";
  const actor = options.actor ?? "system";
  if (options.gzip && target.engine !== "sqlite") throw new Error("gzip applies to SQLite backups only");
  const dir = ensurePrivateDir(options.dir);
  const now = new Date();
  const filename = backupFilename(target.engine, trigger, now);
  const finalPath = join(dir, filename);
  const partial = join(dir, `.${filename}.partial`);
  const logModule = trigger === "manual" || trigger === "scheduled" ? "BACKUP" : "SAFETY_BACKUP";
  const verify = options.verify !== false;
  const fail = (code: BackupFailureCode, details: string): never => {
    log(logModule, `failed: ${code} ${details}`);
    appendAuditEntry(dir, {
      actor,
      action: "backup",
      result: "failed",
      file: filename,
      details: `${code}: ${details}`,
    });
    throw new BackupError(code, details);
  };
  // The schema version of the live data: a pre-upgrade backup is taken of an older one.
  const schemaVersion = (await readSchemaVersion(target)) || LATEST_SCHEMA_VERSION;
  const tables = tablesAt(Math.min(schemaVersion, LATEST_SCHEMA_VERSION));
  const expected = await estimateBytes(target);
  // pg_dump and the read-back of what it wrote get the time this much data needs (time-limits.ts).
  const timeoutMs = scaleTimeLimit(options.pgDumpTimeoutMs ?? 300_000, expected);
  const space = checkFreeSpace(dir, expected);
  if (!space.ok)
    fail(
      "BACKUP_NO_SPACE",
      `${space.freeBytes} bytes free in ${dir}, ${space.neededBytes} needed (twice the expected size); the old backups are kept`,
    );
  let live: { before: Checksums; after: Checksums } | undefined;
  let snapshot: Checksums | undefined;
  try {
    createPrivateFile(partial);
    if (options.injectDiskFull) {
      appendFileSync(partial, Buffer.alloc(4096));
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }
    const userCopy = trigger === "manual" || trigger === "scheduled";
    if (target.engine === "sqlite") {
      const before = verify ? await computeChecksums(target, tables) : undefined;
      copySqlite(target.path, partial, userCopy, now);
      if (before) live = { before, after: await computeChecksums(target, tables) };
    } else {
      snapshot = await dumpPostgres(target.url, partial, userCopy, timeoutMs, verify ? tables : null);
    }
    fsyncFile(partial);
    renameSync(partial, finalPath);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    if (error instanceof BackupError) fail(error.code, error.details);
    fail("BACKUP_WRITE_FAILED", error instanceof Error ? error.message : String(error));
  }
  const bytes = fileSize(finalPath);
  const sha256 = await sha256File(finalPath);
  log(logModule, `created ${finalPath} (${bytes} bytes)`);

  let verification: Verification = { verified: null, details: "not verified (--no-verify)" };
  if (live) verification = verifySqliteCopy(finalPath, live);
  else if (snapshot) verification = await verifyDump(finalPath, snapshot, timeoutMs);
  if (verify)
    log(
      logModule,
      `verification: ${verification.verified === true ? "ok" : verification.verified === false ? "FAILED" : "not yet"} — ${verification.details}`,
    );

  const wrapped =
    verification.verified === false
      ? { local: { path: finalPath, file: filename, bytes, sha256 }, compressed: false }
      : await protect(finalPath, { file: filename, bytes, sha256 }, options, logModule);
  const { local, encrypted } = wrapped;
  const result: BackupFile = {
    path: local.path,
    filename: local.file,
    bytes: local.bytes,
    sha256: local.sha256,
    engine: target.engine,
    createdAt: now.toISOString(),
    trigger,
    schemaVersion,
    verified: verification.verified,
    verification: verification.details,
    compressed: wrapped.compressed,
    plaintextSha256: sha256,
    ...(encrypted ? { encrypted } : {}),
    ...(wrapped.failed ? { protectionFailed: wrapped.failed } : {}),
  };
  writeCatalogueEntry(dir, {
    file: local.file,
    createdAt: result.createdAt,
    bytes: local.bytes,
    sha256: local.sha256,
    engine: target.engine,
    schemaVersion,
    trigger,
    actor,
    verified: verification.verified,
    verifiedAt: verify ? new Date().toISOString() : null,
    verification: verification.details,
    ...(verification.checksums ? { checksums: verification.checksums } : {}),
    ...(wrapped.compressed ? { compressed: true, plaintextSha256: sha256 } : {}),
    ...(encrypted
      ? {
          encrypted: {
            file: encrypted.file,
            bytes: encrypted.bytes,
            sha256: encrypted.sha256,
            recipients: encrypted.recipients,
          },
        }
      : {}),
  });
  const forms = [wrapped.compressed ? "gzip" : "", encrypted ? `age to ${encrypted.recipients.length} key(s)` : ""];
  appendAuditEntry(dir, {
    actor,
    action: "backup",
    result: verification.verified === false || wrapped.failed ? "failed" : "ok",
    file: local.file,
    sha256: local.sha256,
    details: [trigger, verification.details, ...forms.filter(Boolean), wrapped.failed ?? ""].filter(Boolean).join("; "),
  });
  if (options.offsite && (trigger === "manual" || trigger === "scheduled")) {
    if (verification.verified === true && !wrapped.failed)
      // The file to ship: its encrypted form when there are keys to encrypt to (what leaves
      // the server is encrypted), else the backup as kept (gzip-compressed or not).
      result.offsite = [
        await shipBackupOffsite(
          dir,
          encrypted
            ? { catalogueFile: local.file, path: encrypted.path, sha256: encrypted.sha256, bytes: encrypted.bytes }
            : { catalogueFile: local.file, path: local.path, sha256: local.sha256, bytes: local.bytes },
          options.offsite,
          actor,
        ),
      ];
    else log("OFFSITE", `${local.file}: not copied off-site: only a verified backup is`);
  }
  return result;
}

type LocalFile = { path: string; file: string; bytes: number; sha256: string };

/**
 * The verified backup compressed and/or encrypted as asked (protect-backup.ts). A failure
 * there leaves the verified plaintext as it was and says why: the backup is still good.
 */
async function protect(
  path: string,
  plain: Omit<LocalFile, "path">,
  options: CreateBackupOptions,
  logModule: string,
): Promise<{ local: LocalFile; compressed: boolean; encrypted?: EncryptedBackup; failed?: string }> {
  let local: LocalFile = { path, ...plain };
  let compressed = false;
  try {
    if (options.gzip) {
      const gz = await compressBackup(path, plain.sha256);
      local = gz;
      compressed = true;
      log(logModule, `compressed: ${gz.path} (${gz.bytes} bytes, inflates to the verified backup)`);
    }
    if (!options.recipients?.length) return { local, compressed };
    const encrypted = await encryptBackup(local.path, options.recipients);
    log(logModule, `encrypted to ${encrypted.recipients.length} key(s): ${encrypted.path} (${encrypted.bytes} bytes)`);
    return { local, compressed, encrypted };
  } catch (error) {
    const failed = `${compressed || !options.gzip ? "encrypting" : "compressing"} failed: ${(error as Error).message}`;
    log(logModule, `${failed}; the verified backup ${local.path} is kept`);
    return { local, compressed, failed };
  }
}

async function estimateBytes(target: DatabaseTarget): Promise<number> {
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    try {
      return estimateBackupBytes(readSqliteSize(db));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return estimateBackupBytes(await readPostgresSize(client));
  } finally {
    await client.end();
  }
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

/**
 * `pg_dump -Fc` with a time limit. With `tables`, the dump is taken in a snapshot exported
 * by a read-only transaction of our own, which hashes every table in that same snapshot
 * meanwhile: what the dump must hold, for verify-backup.ts. Returns those checksums.
 */
async function dumpPostgres(
  url: string,
  destination: string,
  dropSessions: boolean,
  timeoutMs: number,
  tables: readonly Table[] | null,
): Promise<Checksums | undefined> {
  try {
    await checkPgTools(url, ["pg_dump"]);
  } catch (error) {
    throw new BackupError("PG_DUMP_UNAVAILABLE", (error as Error).message);
  }
  const { dbname, env } = libpqConnection(url);
  const client = tables ? new pg.Client({ connectionString: url }) : null;
  let snapshotId: string | undefined;
  if (client) {
    await client.connect();
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    snapshotId = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
  }
  try {
    const args = [
      "--format=custom",
      "--file",
      destination,
      ...(dropSessions ? ["--exclude-table-data=sessions"] : []),
      ...(snapshotId ? ["--snapshot", snapshotId] : []),
      "--dbname",
      dbname,
    ];
    const [r, checksums] = await Promise.all([
      runTool(findPgTool("pg_dump"), args, { timeoutMs, env }),
      client && tables ? postgresChecksums(client, tables) : Promise.resolve(undefined),
    ]);
    if (r.timedOut) throw new BackupError("PG_DUMP_TIMEOUT", `time limit ${Math.round(timeoutMs / 1000)} s`);
    if (r.code !== 0) throw new BackupError("PG_DUMP_FAILED", r.stderr.trim() || `exit code ${r.code}`);
    return checksums;
  } finally {
    if (client) await client.end().catch(() => undefined);
  }
}
