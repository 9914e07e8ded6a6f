/**
 * Uploaded backup files: untrusted, possibly gigabytes. They are streamed to disk (never
 * held in memory), into a private folder (0700) as files readable by their owner only
 * (0600), counted against a size cap and hashed on the way. They are referred to by a
 * random id — a client never names a path — and removed when the restore ends, on every
 * path; a sweep at start removes what a crash left behind.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ensurePrivateDir } from "../engine/private-files.ts";
import { log } from "../../log.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class UploadTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than the ${Math.round(limitBytes / 1024 / 1024)} MB limit (WIMM_MAX_UPLOAD_MB).`);
  }
}

export type StoredUpload = { id: string; path: string; bytes: number; sha256: string };

export function uploadPath(dir: string, id: string): string | null {
  if (!ID.test(id)) return null;
  return join(resolve(dir), `${id}.upload`);
}

/** The stored file for an id, or null (bad id, or already removed). */
export function findUpload(dir: string, id: string): string | null {
  const path = uploadPath(dir, id);
  if (!path) return null;
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

export async function storeUpload(dir: string, body: Readable, limitBytes: number): Promise<StoredUpload> {
  const folder = ensurePrivateDir(dir);
  const id = randomUUID();
  const path = join(folder, `${id}.upload`);
  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limitBytes) return done(new UploadTooLarge(limitBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(path, { flags: "wx", mode: 0o600 }));
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
  log("UPLOAD", `stored ${id} (${bytes} bytes)`);
  return { id, path, bytes, sha256: hash.digest("hex") };
}

/**
 * SQLite writes beside a file it opens: a WAL-mode upload opened read-only leaves `-wal` and
 * `-shm` files next to it, a rollback-mode one may leave `-journal`. They go with the upload.
 */
const SIDE_FILES = ["", "-wal", "-shm", "-journal"];

export function removeUpload(dir: string, id: string): void {
  const path = uploadPath(dir, id);
  if (path) for (const suffix of SIDE_FILES) rmSync(`${path}${suffix}`, { force: true });
}

/** Remove uploads older than maxAgeMs (all of them at start: no restore survives a restart). */
export function sweepUploads(dir: string, maxAgeMs = 0): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const now = Date.now();
  for (const name of names) {
    if (!SIDE_FILES.some((suffix) => name.endsWith(`.upload${suffix}`))) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs >= maxAgeMs) {
        rmSync(path, { force: true });
        removed++;
      }
    } catch {
      /* already gone */
    }
  }
  if (removed) log("UPLOAD", `swept ${removed} stale upload(s)`);
  return removed;
}
