/**
 * Room for a backup before it is written. A backup that fills the disk is worse than a
 * refused one: the backup folder usually shares its disk with the live database, which then
 * cannot write its journal or WAL, and the app stops. So a backup needs twice its expected
 * size free: once for the file, and as much again left over for the live database, for the
 * estimate being an estimate, and for the next backup until retention has deleted anything.
 */
import { existsSync, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";

export type FreeSpace = { ok: true; freeBytes: number } | { ok: false; freeBytes: number; neededBytes: number };

export const FREE_SPACE_FACTOR = 2;

/** The rule alone, so its boundary is tested without a full disk: enough when free ≥ 2 × expected. */
export function decideFreeSpace(freeBytes: number, expectedBytes: number): FreeSpace {
  assertSize("freeBytes", freeBytes);
  assertSize("expectedBytes", expectedBytes);
  const neededBytes = Math.ceil(expectedBytes * FREE_SPACE_FACTOR);
  return freeBytes >= neededBytes ? { ok: true, freeBytes } : { ok: false, freeBytes, neededBytes };
}

/**
 * The bytes this process may still write on the disk that holds `dir`. `bavail`, not
 * `bfree`: the blocks reserved for root (5 % on ext4) are not ours to fill. The folder may
 * not exist before the first backup; it will be made on its nearest existing parent's disk.
 */
export function readFreeBytes(dir: string): number {
  let path = resolve(dir);
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
}

function assertSize(name: string, value: number): void {
  // A NaN would compare false and wave every backup through: a bug in the caller, not a disk state.
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`decideFreeSpace: ${name} is ${value}`);
}

export function checkFreeSpace(dir: string, expectedBytes: number): FreeSpace {
  return decideFreeSpace(readFreeBytes(dir), expectedBytes);
}
