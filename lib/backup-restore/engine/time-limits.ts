/**
 * Time limits that grow with the data. A fixed limit on a tool or a check (pg_dump,
 * pg_restore, the isolated validation of a file) is a bet on the size of the data: a
 * family's database that outgrows it would see every backup or restore stopped half-way, and
 * a restore whose checks run out of time rolls back a good restore (Immich's fixed 20-second
 * health check did just that to large restores, immich#27420). So each configured limit
 * (WIMM_*_TIMEOUT_S) is a floor, raised to what the slowest acceptable pace needs for the
 * bytes at hand; only a tool slower than that pace is taken for hung.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The slowest pace taken for progress: 1 MiB of backup a second (a healthy run is 10–50×). */
export const SLOWEST_BYTES_PER_SECOND = 1024 * 1024;

/** The configured limit, or the time `bytes` take at the slowest pace, whichever is longer. */
export function scaleTimeLimit(baseMs: number, bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0) return baseMs;
  return Math.max(baseMs, Math.ceil(bytes / SLOWEST_BYTES_PER_SECOND) * 1000);
}

/** A backup's size on disk: a file's bytes, or a folder's files' (a JSON lines export); 0 when unreadable. */
export function backupBytes(path: string): number {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return stat.size;
    if (!stat.isDirectory()) return 0;
    return readdirSync(path).reduce((sum, name) => {
      const entry = statSync(join(path, name), { throwIfNoEntry: false });
      return sum + (entry?.isFile() ? entry.size : 0);
    }, 0);
  } catch {
    return 0;
  }
}
