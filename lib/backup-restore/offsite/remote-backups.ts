/**
 * The remote seen from a server that has nothing else: a new install after the old one died,
 * with only WIMM_OFFSITE_REMOTE (and rclone's config, or the remote's key) to go on. It lists
 * the backups the remote holds beside what the remote's copy of the catalogue says of each,
 * and fetches one into a private upload file for the normal restore, its SHA-256 checked
 * against that catalogue first. Nothing here reads the local backup folder.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { parseCatalogueRecord, type CatalogueEntry } from "../backups/catalogue.ts";
import { parseBackupFilename, type BackupName } from "../backups/parse-backup-filename.ts";
import { scaleTimeLimit } from "../engine/time-limits.ts";
import { removeUpload, storeUpload, UploadTooLarge } from "../uploads/upload-store.ts";
import type { OffsiteFetchCode } from "../vocabulary.ts";
import { redactRemote, remoteFile, type OffsiteSettings } from "./offsite-remote.ts";
import { runRclone, streamRclone } from "./rclone.ts";
import { log } from "../../log.ts";

/** One backup on the remote, as `wimm backups --remote` lists it. */
export type RemoteBackup = {
  file: string;
  bytes: number;
  /** When the remote says the file was last written. */
  modifiedAt: string;
  /** What the name says (parse-backup-filename.ts). */
  createdAt: string;
  engine: BackupName["engine"];
  trigger: BackupName["trigger"];
  /** Whether the remote's copy of the catalogue has a record of it. */
  catalogued: boolean;
  /** That record's verification (null: none, or not yet). */
  verified: boolean | null;
  /** The SHA-256 the copy was read back with when it was made (null when unrecorded). */
  sha256: string | null;
  /** Whether that read-back was equal (null when unrecorded). */
  readBack: boolean | null;
};

export type RemoteListing =
  { ok: true; remote: string; backups: RemoteBackup[] } | { ok: false; code: OffsiteFetchCode; details: string };

/**
 * The backup a remote file name stands for: a backup's own name, or (the seam for encryption)
 * that name with `.age` after it. Null for anything else (the catalogue, the trail, strangers).
 */
export function backupNameOf(remoteName: string): { base: string; name: BackupName } | null {
  const own = parseBackupFilename(remoteName);
  if (own) return { base: remoteName, name: own };
  if (remoteName.endsWith(".age")) {
    const base = remoteName.slice(0, -".age".length);
    const inner = parseBackupFilename(base);
    if (inner) return { base, name: inner };
  }
  return null;
}

const Listing = z.array(z.object({ Name: z.string(), Size: z.number(), ModTime: z.string(), IsDir: z.boolean() }));

/** The expected SHA-256 of a remote file, from the catalogue's record of its backup. */
function expectedSha256(record: CatalogueEntry | null, remoteName: string): { sha256: string; ok: boolean } | null {
  if (!record) return null;
  const copy = record.offsite?.findLast((o) => o.file === remoteName && o.sha256);
  if (copy?.sha256) return { sha256: copy.sha256, ok: copy.ok };
  return record.file === remoteName ? { sha256: record.sha256, ok: false } : null;
}

/** The remote's catalogue records, fetched once into a private temp folder, by backup name. */
async function fetchRemoteCatalogue(settings: OffsiteSettings): Promise<Map<string, CatalogueEntry>> {
  const dir = mkdtempSync(join(tmpdir(), "wimm-offsite-catalogue-"));
  try {
    const r = await runRclone(
      settings.remote,
      ["copy", "--include", "*.json", remoteFile(settings.remote, ".catalogue"), dir],
      { timeoutMs: settings.timeoutMs },
    );
    if (!r.ok && !r.notFound) log("OFFSITE", `the remote's catalogue could not be read: ${r.details}`);
    const records = new Map<string, CatalogueEntry>();
    for (const name of readdirSync(dir)) {
      const record = parseCatalogueRecord(readFileSync(join(dir, name), "utf8"));
      if (record && `${record.file}.json` === name) records.set(record.file, record);
    }
    return records;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The backups on the remote, newest first, each with what the remote's catalogue says of it. */
export async function listRemoteBackups(settings: OffsiteSettings): Promise<RemoteListing> {
  const listed = await runRclone(settings.remote, ["lsjson", "--files-only", settings.remote], {
    timeoutMs: settings.timeoutMs,
    captureStdout: true,
  });
  const remote = redactRemote(settings.remote);
  // A remote folder that does not exist yet holds no backups; that is not a failure.
  if (!listed.ok && listed.notFound) return { ok: true, remote, backups: [] };
  if (!listed.ok)
    return {
      ok: false,
      code: listed.code === "OFFSITE_RCLONE_FAILED" ? "OFFSITE_FETCH_FAILED" : listed.code,
      details: listed.details,
    };
  const files = Listing.safeParse(JSON.parse(listed.stdout || "[]"));
  if (!files.success)
    return { ok: false, code: "OFFSITE_FETCH_FAILED", details: "rclone lsjson printed something else" };
  const records = await fetchRemoteCatalogue(settings);
  const backups: RemoteBackup[] = [];
  for (const f of files.data) {
    const known = f.IsDir ? null : backupNameOf(f.Name);
    if (!known) continue;
    const record = records.get(known.base) ?? null;
    const expected = expectedSha256(record, f.Name);
    backups.push({
      file: f.Name,
      bytes: f.Size,
      modifiedAt: f.ModTime,
      createdAt: known.name.createdAt.toISOString(),
      engine: known.name.engine,
      trigger: known.name.trigger,
      catalogued: record !== null,
      verified: record?.verified ?? null,
      sha256: expected?.sha256 ?? null,
      readBack: expected ? expected.ok : null,
    });
  }
  backups.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { ok: true, remote, backups };
}

export type FetchedBackup =
  | {
      ok: true;
      /** The private upload file holding it (0600); the caller removes it with `id`. */
      path: string;
      id: string;
      bytes: number;
      sha256: string;
      /** The catalogue's SHA-256 it was checked against; null when the remote has no record of it. */
      expectedSha256: string | null;
    }
  | { ok: false; code: OffsiteFetchCode; details: string };

/**
 * One backup fetched from the remote into the upload folder (streamed, size-capped like an
 * upload, hashed on the way), then checked against the remote catalogue's SHA-256 when it has
 * one. On any failure nothing is left behind.
 */
export async function fetchRemoteBackup(
  settings: OffsiteSettings,
  remoteName: string,
  uploads: { dir: string; limitBytes: number },
): Promise<FetchedBackup> {
  const known = /^[^/\\]+$/.test(remoteName) ? backupNameOf(remoteName) : null;
  if (!known)
    return {
      ok: false,
      code: "OFFSITE_NOT_A_BACKUP_NAME",
      details: `"${remoteName}" is not the name of a backup (wimm backups --remote lists them)`,
    };
  const records = await fetchRemoteCatalogue(settings);
  const expected = expectedSha256(records.get(known.base) ?? null, remoteName);
  log("OFFSITE", `fetching ${remoteName} from ${redactRemote(settings.remote)}`);
  const run = streamRclone(
    settings.remote,
    ["cat", remoteFile(settings.remote, remoteName)],
    scaleTimeLimit(settings.timeoutMs, uploads.limitBytes),
  );
  let stored;
  try {
    stored = await storeUpload(uploads.dir, run.stdout, uploads.limitBytes);
  } catch (error) {
    run.stop();
    await run.result;
    if (error instanceof UploadTooLarge)
      return {
        ok: false,
        code: "OFFSITE_TOO_LARGE",
        details: `larger than ${uploads.limitBytes} bytes (WIMM_MAX_UPLOAD_MB)`,
      };
    return { ok: false, code: "OFFSITE_FETCH_FAILED", details: (error as Error).message };
  }
  const outcome = await run.result;
  if (!outcome.ok) {
    removeUpload(uploads.dir, stored.id);
    const code =
      outcome.code !== "OFFSITE_RCLONE_FAILED"
        ? outcome.code
        : outcome.notFound
          ? "OFFSITE_NOT_FOUND"
          : "OFFSITE_FETCH_FAILED";
    return { ok: false, code, details: outcome.details };
  }
  if (expected && expected.sha256 !== stored.sha256) {
    removeUpload(uploads.dir, stored.id);
    return {
      ok: false,
      code: "OFFSITE_CHECKSUM_MISMATCH",
      details: `fetched ${stored.bytes} bytes with sha256 ${stored.sha256}; the remote's catalogue recorded ${expected.sha256}`,
    };
  }
  log(
    "OFFSITE",
    `fetched ${remoteName}: ${stored.bytes} bytes, sha256 ${expected ? "equal to the catalogue's" : "not recorded (no catalogue record)"}`,
  );
  return {
    ok: true,
    path: stored.path,
    id: stored.id,
    bytes: stored.bytes,
    sha256: stored.sha256,
    expectedSha256: expected?.sha256 ?? null,
  };
}
