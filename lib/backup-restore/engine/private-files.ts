import {
  createReadStream,
  chmodSync,
  mkdirSync,
  openSync,
  closeSync,
  fsyncSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { resolve } from "node:path";

/** Backup files hold password hashes: the folder is 0700, every file 0600 from its creation. */
export function ensurePrivateDir(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  chmodSync(abs, 0o700);
  return abs;
}

/** Create an empty file readable by its owner only; fails if it exists. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, "wx", 0o600));
  chmodSync(path, 0o600);
}

/**
 * A small JSON file beside the backups (settings, a status, a catalogue record), replaced
 * whole: written 0600 under a name of this process, then renamed over the old one, so a
 * reader never sees half of it and two writers never interleave their bytes.
 */
export function writePrivateJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolvePromise(hash.digest("hex")));
  });
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

/** `2026-11-28T20-26-59-123Z`: sortable, unique to the millisecond, safe in file names. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, "-");
}
