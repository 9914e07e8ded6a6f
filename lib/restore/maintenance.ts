/**
 * The maintenance lock: while a restore runs, the app accepts no writes and pages answer
 * "restore in progress".
 *
 * - Across processes (the web app and ./bin/wimm): a lock file created with O_EXCL holding
 *   the owner's pid; a lock whose owner died is stale and taken over.
 * - Inside the web app's process: a count of in-flight writes. Writes start only through
 *   `runWrite`, which refuses while the lock is held; the restore waits for the count to
 *   reach zero before it touches anything, so an acknowledged write is never lost.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir } from "../backup/files.ts";

type GateState = { inFlight: number; localLock: boolean };
const gate: GateState = ((globalThis as { __wimmGate?: GateState }).__wimmGate ??= { inFlight: 0, localLock: false });

export class RestoreInProgressError extends Error {
  constructor() {
    super("A restore is in progress; try again in a moment.");
  }
}

export function lockPath(dir: string): string {
  return join(dir, "restore.lock");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

type LockInfo = { pid: number; startedAt: string };

export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dir), "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : null;
  } catch {
    return null;
  }
}

/** True while this process or a live other process holds the lock. */
export function isRestoreInProgress(dir: string): boolean {
  if (gate.localLock) return true;
  const info = readLock(dir);
  return info !== null && pidAlive(info.pid);
}

export type MaintenanceLock = { release: () => void };

export function acquireMaintenanceLock(dir: string): MaintenanceLock | null {
  if (gate.localLock) return null;
  ensurePrivateDir(dir);
  const path = lockPath(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      gate.localLock = true;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          gate.localLock = false;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const info = readLock(dir);
      if (info && pidAlive(info.pid)) return null;
      rmSync(path, { force: true }); // stale: its owner died
    }
  }
  return null;
}

/** Run a database write unless a restore holds the lock; counted so a restore can wait for it. */
export async function runWrite<T>(dir: string, write: () => Promise<T>): Promise<T> {
  if (isRestoreInProgress(dir)) throw new RestoreInProgressError();
  gate.inFlight++;
  try {
    return await write();
  } finally {
    gate.inFlight--;
  }
}

/** Wait until no write of this process is in flight (bounded: a stuck write must not hang a restore forever). */
export async function waitForWrites(timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (gate.inFlight > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
