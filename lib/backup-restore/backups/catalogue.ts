/**
 * The catalogue of backups: every backup in the backup folder with its time, size, engine,
 * schema version, trigger, who made it and whether it was verified. It lives beside the
 * backups, never in the database a restore replaces (a restore must not revert it): one
 * small JSON record per backup in `.catalogue/<file>.json`, written whole and renamed into
 * place, so two processes writing records for different backups never race on one file.
 *
 * The files are the truth. A backup without a record (the records were lost, or the file
 * was copied in by hand) gets one rebuilt from the file itself — its name, size, SHA-256
 * and schema version (describe-backup.ts) — with verification "not yet"; a record whose
 * file is gone is dropped; a record whose size no longer matches its file is rebuilt.
 *
 * A backup's encrypted copy (`<file>.age`, protect-backup.ts) is part of its record, not a
 * backup of its own: `encrypted` names it with its SHA-256 and the public keys it was
 * encrypted to. Those are kept as the `age1…` strings themselves rather than a fingerprint:
 * they are public, short, and exactly what an operator finds in their key file (`# public
 * key: age1…`), so "which key opens this backup?" needs no tool to answer.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { backupBytes, scaleTimeLimit } from "../engine/time-limits.ts";
import { join } from "node:path";
import { z } from "zod";
import type { Checksums } from "../../db/checksum.ts";
import { describeBackup } from "../inspect/describe-backup.ts";
import { DEFAULT_MAX_UNWRAPPED_BYTES } from "../inspect/unwrap-isolated.ts";
import { sha256File, writePrivateJson } from "../engine/private-files.ts";
import { parseBackupFilename, type BackupTrigger } from "./parse-backup-filename.ts";
import type { OffsiteFailureCode } from "../vocabulary.ts";

export type CatalogueEntry = {
  file: string;
  createdAt: string;
  bytes: number;
  sha256: string;
  engine: "sqlite" | "postgresql";
  schemaVersion: number | null;
  trigger: BackupTrigger;
  /** Who made it: a username, "cli", "scheduler", "system"; null when rebuilt from the file. */
  actor: string | null;
  verified: boolean | null;
  verifiedAt: string | null;
  verification: string | null;
  /** Every table's checksum as read from the file when it was verified: what a drill must find again. */
  checksums?: Checksums;
  /** Its off-site copies (offsite/): where (credentials redacted), whether read back equal, when. */
  offsite?: OffsiteRecord[];
  /** gzip-compressed (`.sqlite3.gz`): `bytes` and `sha256` are the .gz file's, this the backup's own. */
  compressed?: boolean;
  plaintextSha256?: string;
  /** Its age-encrypted copy beside it; `recipients` null when the record was rebuilt from the files. */
  encrypted?: EncryptedCopy;
};

/**
 * One off-site copy of a backup: `file` is the name on the remote (the backup's own, or its
 * encrypted form's), `sha256` what was read back; `code` and `details` say why it is not ok.
 */
export type OffsiteRecord = {
  remote: string;
  file: string;
  ok: boolean;
  checkedAt: string;
  sha256?: string;
  code?: OffsiteFailureCode;
  details?: string;
};

const OffsiteRecordSchema = z.object({
  remote: z.string(),
  file: z.string(),
  ok: z.boolean(),
  checkedAt: z.string(),
  sha256: z.string().optional(),
  // A code of a later version is still a failure, not a parse error that drops the whole record.
  code: z.string().optional() as z.ZodType<OffsiteFailureCode | undefined>,
  details: z.string().optional(),
});

export type EncryptedCopy = { file: string; bytes: number; sha256: string; recipients: string[] | null };

const Entry = z.object({
  file: z.string(),
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  engine: z.enum(["sqlite", "postgresql"]),
  schemaVersion: z.number().int().nullable(),
  trigger: z.enum(["manual", "scheduled", "pre-restore", "pre-upgrade"]),
  actor: z.string().nullable(),
  verified: z.boolean().nullable(),
  verifiedAt: z.string().nullable(),
  verification: z.string().nullable(),
  checksums: z.record(z.string(), z.object({ rows: z.number(), sha256: z.string() })).optional(),
  offsite: z.array(OffsiteRecordSchema).optional(),
  compressed: z.boolean().optional(),
  plaintextSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  encrypted: z
    .object({
      file: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      recipients: z.array(z.string()).nullable(),
    })
    .optional(),
});

/** A record's text (a copy fetched from the remote, say) read through the same schema, or null. */
export function parseCatalogueRecord(text: string): CatalogueEntry | null {
  try {
    const parsed = Entry.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const recordsDir = (dir: string) => join(dir, ".catalogue");
/** The folder of the records (offsite/ copies it to the remote with the backups). */
export const catalogueRecordsDir = recordsDir;
const recordPath = (dir: string, file: string) => join(recordsDir(dir), `${file}.json`);

export function writeCatalogueEntry(dir: string, entry: CatalogueEntry): void {
  mkdirSync(recordsDir(dir), { recursive: true, mode: 0o700 });
  writePrivateJson(recordPath(dir, entry.file), entry);
}

function readRecord(dir: string, file: string): CatalogueEntry | null {
  try {
    const parsed = Entry.safeParse(JSON.parse(readFileSync(recordPath(dir, file), "utf8")));
    return parsed.success && parsed.data.file === file ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A verification found later (a drill): the record says so, with when. */
export function recordVerification(dir: string, file: string, verified: boolean, details: string): void {
  const entry = readRecord(dir, file);
  if (!entry) return;
  writeCatalogueEntry(dir, { ...entry, verified, verifiedAt: new Date().toISOString(), verification: details });
}

/** An off-site copy's outcome: the record keeps one per remote, the latest. */
export function recordOffsiteCopy(dir: string, file: string, copy: OffsiteRecord): void {
  const entry = readRecord(dir, file);
  if (!entry) return;
  const others = (entry.offsite ?? []).filter((o) => o.remote !== copy.remote);
  writeCatalogueEntry(dir, { ...entry, offsite: [...others, copy] });
}

/** Every backup in the folder, newest first; records rebuilt where they are missing or stale. */
export async function listBackups(dir: string, options: { timeoutMs?: number } = {}): Promise<CatalogueEntry[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const entries: CatalogueEntry[] = [];
  for (const file of names) {
    const name = parseBackupFilename(file);
    if (!name) continue;
    let bytes: number;
    try {
      const stat = statSync(join(dir, file));
      if (!stat.isFile()) continue;
      bytes = stat.size;
    } catch {
      continue; // pruned meanwhile
    }
    const record = readRecord(dir, file);
    if (record && record.bytes === bytes) {
      entries.push(await withEncryptedCopy(dir, record));
      continue;
    }
    const path = join(dir, file);
    const facts = await describeBackup(path, {
      timeoutMs: scaleTimeLimit(options.timeoutMs ?? 60_000, backupBytes(path)),
      unwrap: { scratchDir: dir, maxBytes: DEFAULT_MAX_UNWRAPPED_BYTES },
    });
    const rebuilt: CatalogueEntry = {
      file,
      createdAt: name.createdAt.toISOString(),
      bytes,
      sha256: await sha256File(join(dir, file)),
      engine: name.engine,
      schemaVersion: facts.schemaVersion,
      trigger: name.trigger,
      actor: null,
      verified: null,
      verifiedAt: null,
      verification: record ? "the file changed after it was recorded" : null,
      ...(facts.compressed ? { compressed: true } : {}),
    };
    const withCopy = await withEncryptedCopy(dir, rebuilt);
    writeCatalogueEntry(dir, withCopy);
    entries.push(withCopy);
  }
  dropOrphanRecords(dir, new Set(entries.map((e) => e.file)));
  return entries.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * The record as the files are now: an encrypted copy that is gone is no longer claimed, one
 * that appeared (or whose record was lost) is hashed, its keys unknown.
 */
async function withEncryptedCopy(dir: string, entry: CatalogueEntry): Promise<CatalogueEntry> {
  const file = `${entry.file}.age`;
  const size = statSync(join(dir, file), { throwIfNoEntry: false })?.size;
  if (size === undefined) {
    if (!entry.encrypted) return entry;
    const rest = { ...entry };
    delete rest.encrypted;
    return rest;
  }
  if (entry.encrypted?.file === file && entry.encrypted.bytes === size) return entry;
  const encrypted: EncryptedCopy = { file, bytes: size, sha256: await sha256File(join(dir, file)), recipients: null };
  const updated = { ...entry, encrypted };
  writeCatalogueEntry(dir, updated);
  return updated;
}

/** The record of one backup, if it has one. */
export function catalogueEntry(dir: string, file: string): CatalogueEntry | null {
  return readRecord(dir, file);
}

/**
 * The newest backup proven restorable, from the records alone (no file is opened or hashed:
 * for pages and health checks that run often); a record whose file is gone or changed size
 * does not count.
 */
export function lastVerifiedBackup(dir: string): CatalogueEntry | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  let best: CatalogueEntry | null = null;
  for (const file of names) {
    if (!parseBackupFilename(file)) continue;
    const record = readRecord(dir, file);
    if (record?.verified !== true) continue;
    const size = statSync(join(dir, file), { throwIfNoEntry: false })?.size;
    if (size !== record.bytes) continue;
    if (!best || record.createdAt > best.createdAt) best = record;
  }
  return best;
}

/** The newest backup proven restorable, or null: never a failed or unverified one. */
export function lastVerified(entries: readonly CatalogueEntry[]): CatalogueEntry | null {
  return entries.find((e) => e.verified === true) ?? null;
}

/** Deletes a backup, its encrypted copy and its record. */
export function deleteBackup(dir: string, file: string): void {
  if (!parseBackupFilename(file)) throw new Error(`not a backup's name: ${file}`);
  rmSync(join(dir, `${file}.age`), { force: true });
  rmSync(join(dir, file), { force: true });
  rmSync(recordPath(dir, file), { force: true });
}

function dropOrphanRecords(dir: string, files: Set<string>) {
  let records: string[];
  try {
    records = readdirSync(recordsDir(dir));
  } catch {
    return;
  }
  for (const record of records)
    if (record.endsWith(".json") && !files.has(record.slice(0, -".json".length)))
      rmSync(join(recordsDir(dir), record), { force: true });
}
