/**
 * Off-site copies of verified backups, through rclone. A copy counts only once its bytes were
 * read back from the remote and hashed equal to the file's: a remote that accepts a write and
 * stores something else (a full disk that truncates, a proxy that mangles, a bug) must not
 * pass for a way back. After the backup, the catalogue's records and the audit trail follow
 * it, so a new server can list what the remote holds and whether each file was verified,
 * and the history survives the disk.
 *
 * On the remote:
 *   <remote>/<backup file>                       the same name as in the backup folder
 *   <remote>/.catalogue/<backup file>.json       the catalogue's records, as kept locally
 *   <remote>/.audit/audit-<trail id>.jsonl       the audit trail, one file per trail (its first
 *                                                entry's hash), so a new server's fresh trail
 *                                                never overwrites the dead one's
 *
 * A failure never touches the local backup: it stays verified, and its record says off-site ✗
 * with a reason code.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { log } from "../../log.ts";
import { appendAuditEntry, auditTrailPath } from "../audit/audit-trail.ts";
import { catalogueRecordsDir, recordOffsiteCopy, type OffsiteRecord } from "../backups/catalogue.ts";
import { createPrivateFile, ensurePrivateDir } from "../engine/private-files.ts";
import { scaleTimeLimit } from "../engine/time-limits.ts";
import { testFault } from "../faults.ts";
import type { OffsiteFailureCode } from "../vocabulary.ts";
import { redactRemote, remoteFile, type OffsiteSettings } from "./offsite-remote.ts";
import { runRclone, streamRclone, type RcloneFailure } from "./rclone.ts";

/** The file that goes off-site, and the catalogue record it belongs to. */
export type ShippedFile = {
  /** The backup's name in the catalogue (its record is `.catalogue/<it>.json`). */
  catalogueFile: string;
  /** What to copy: the backup itself today; its encrypted form once a key is set. */
  path: string;
  /** The SHA-256 of that file, as written and verified. */
  sha256: string;
  bytes: number;
};

export type OffsiteCopy = OffsiteRecord;

const rcloneCode = (f: RcloneFailure, otherwise: OffsiteFailureCode): OffsiteFailureCode =>
  f.code === "OFFSITE_RCLONE_FAILED" ? otherwise : f.code;

/**
 * The bytes of a remote file, read back and hashed as they arrive. `null` sha256 with a code
 * when they could not be read.
 */
export async function readBackRemoteFile(
  settings: OffsiteSettings,
  name: string,
  bytes: number,
): Promise<{ ok: true; sha256: string; bytes: number } | { ok: false; code: OffsiteFailureCode; details: string }> {
  const run = streamRclone(
    settings.remote,
    ["cat", remoteFile(settings.remote, name)],
    scaleTimeLimit(settings.timeoutMs, bytes),
  );
  const hash = createHash("sha256");
  let read = 0;
  run.stdout.on("data", (chunk: Buffer) => {
    read += chunk.length;
    hash.update(chunk);
  });
  const outcome = await run.result;
  if (!outcome.ok) return { ok: false, code: rcloneCode(outcome, "OFFSITE_READBACK_FAILED"), details: outcome.details };
  return { ok: true, sha256: hash.digest("hex"), bytes: read };
}

/**
 * Whether the remote's copy of `name` is the file: its bytes read back and hashed. A copy that
 * differs is deleted from the remote when it can be, so that nobody restores it later.
 */
export async function checkOffsiteCopy(
  settings: OffsiteSettings,
  name: string,
  expected: { sha256: string; bytes: number },
): Promise<{ ok: true; sha256: string } | { ok: false; code: OffsiteFailureCode; details: string }> {
  const back = await readBackRemoteFile(settings, name, expected.bytes);
  if (!back.ok) return back;
  if (back.sha256 === expected.sha256 && back.bytes === expected.bytes) return { ok: true, sha256: back.sha256 };
  await runRclone(settings.remote, ["deletefile", remoteFile(settings.remote, name)], {
    timeoutMs: settings.timeoutMs,
  });
  return {
    ok: false,
    code: "OFFSITE_READBACK_MISMATCH",
    details: `read back ${back.bytes} bytes with sha256 ${back.sha256}; the file has ${expected.bytes} bytes with sha256 ${expected.sha256}`,
  };
}

/**
 * Copies the file to the remote under its own name, reads it back, compares, records the
 * outcome in the catalogue and the audit trail, then copies the records and the trail. Never
 * throws for a remote's failure: the outcome says it.
 */
export async function shipBackupOffsite(
  dir: string,
  file: ShippedFile,
  settings: OffsiteSettings,
  actor: string,
): Promise<OffsiteCopy> {
  const remote = redactRemote(settings.remote);
  const name = basename(file.path);
  const timeoutMs = scaleTimeLimit(settings.timeoutMs, file.bytes);
  const record = (outcome: { ok: true; sha256: string } | { ok: false; code: OffsiteFailureCode; details: string }) => {
    const copy: OffsiteCopy = outcome.ok
      ? { remote, file: name, ok: true, checkedAt: new Date().toISOString(), sha256: outcome.sha256 }
      : {
          remote,
          file: name,
          ok: false,
          checkedAt: new Date().toISOString(),
          code: outcome.code,
          details: outcome.details,
        };
    recordOffsiteCopy(dir, file.catalogueFile, copy);
    appendAuditEntry(dir, {
      actor,
      action: "offsite",
      result: copy.ok ? "ok" : "failed",
      file: name,
      ...(copy.ok ? { sha256: file.sha256 } : {}),
      details: copy.ok ? `copied to ${remote}, read back equal` : `${copy.code} ${remote}: ${copy.details}`,
    });
    log(
      "OFFSITE",
      copy.ok ? `${name}: copied to ${remote}, read back equal` : `${name}: FAILED ${copy.code}: ${copy.details}`,
    );
    return copy;
  };

  log("OFFSITE", `${name}: copying to ${remote}`);
  // --ignore-times: a file of the same size and time already there (a copy that failed its
  // read-back, say) is replaced, never taken for this one.
  const copied = await runRclone(
    settings.remote,
    ["copyto", "--ignore-times", file.path, remoteFile(settings.remote, name)],
    {
      timeoutMs,
    },
  );
  if (!copied.ok)
    return record({ ok: false, code: rcloneCode(copied, "OFFSITE_COPY_FAILED"), details: copied.details });
  if (testFault() === "offsite-tamper") await tamperRemoteCopy(dir, file.path, name, settings);
  const checked = await checkOffsiteCopy(settings, name, file);
  const copy = record(checked);
  if (!copy.ok) return copy;

  const history = await copyHistoryOffsite(dir, settings);
  if (history.ok) return copy;
  return record({ ok: false, code: "OFFSITE_HISTORY_FAILED", details: history.details });
}

/**
 * The catalogue's records and the audit trail, copied to the remote. Records are small and
 * rewritten in place (a drill's verification), so every one is sent each time; never a
 * `sync`: a new server with an empty folder must not wipe the remote's history.
 */
export async function copyHistoryOffsite(
  dir: string,
  settings: OffsiteSettings,
): Promise<{ ok: true } | { ok: false; details: string }> {
  const records = catalogueRecordsDir(dir);
  if (existsSync(records)) {
    const r = await runRclone(
      settings.remote,
      ["copy", "--ignore-times", "--include", "*.json", records, remoteFile(settings.remote, ".catalogue")],
      { timeoutMs: settings.timeoutMs },
    );
    if (!r.ok) return { ok: false, details: `catalogue: ${r.details}` };
  }
  const trail = snapshotAuditTrail(dir);
  if (trail) {
    try {
      const r = await runRclone(
        settings.remote,
        ["copyto", "--ignore-times", trail.path, remoteFile(settings.remote, ".audit", `audit-${trail.id}.jsonl`)],
        { timeoutMs: settings.timeoutMs },
      );
      if (!r.ok) return { ok: false, details: `audit trail: ${r.details}` };
    } finally {
      rmSync(trail.path, { force: true });
    }
  }
  return { ok: true };
}

/**
 * The trail as of now, cut after its last complete line (another process may be appending),
 * in a private temp file; named by its first entry's hash. Null when there is no trail.
 */
function snapshotAuditTrail(dir: string): { path: string; id: string } | null {
  let text: string;
  try {
    text = readFileSync(auditTrailPath(dir), "utf8");
  } catch {
    return null;
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const first = complete.slice(0, complete.indexOf("\n"));
  let id: string;
  try {
    id = String((JSON.parse(first) as { hash?: unknown }).hash ?? "").slice(0, 16);
  } catch {
    return null;
  }
  if (!/^[0-9a-f]{16}$/.test(id)) return null;
  const tmpDir = ensurePrivateDir(join(dir, ".offsite-tmp"));
  const path = join(tmpDir, `audit-${process.pid}-${Date.now()}.jsonl`);
  createPrivateFile(path);
  writeFileSync(path, complete);
  return { path, id };
}

/**
 * Test fault `offsite-tamper` (with WIMM_TEST_FAULTS=1): the remote's copy is replaced, through
 * the remote itself, by the file with one byte flipped, between the copy and the read-back —
 * a remote that stored something else than it was sent.
 */
async function tamperRemoteCopy(dir: string, path: string, name: string, settings: OffsiteSettings) {
  const tmpDir = ensurePrivateDir(join(dir, ".offsite-tmp"));
  const tampered = join(tmpDir, name);
  const bytes = readFileSync(path);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  writeFileSync(tampered, bytes, { mode: 0o600 });
  try {
    await runRclone(settings.remote, ["copyto", "--ignore-times", tampered, remoteFile(settings.remote, name)], {
      timeoutMs: settings.timeoutMs,
    });
  } finally {
    rmSync(tampered, { force: true });
  }
}
