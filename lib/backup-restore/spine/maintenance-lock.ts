/**
 * The maintenance lock: while a restore runs, the app accepts no writes and pages say
 * "restore in progress"; a second restore is refused.
 *
 * - Between processes on this machine (the web app, ./bin/wimm, a second instance): a lock
 *   the kernel releases when its holder dies — an EXCLUSIVE transaction held open on a tiny
 *   SQLite file beside the backups (SQLite's fcntl locks vanish with the process, so a
 *   killed restore never leaves the app locked). `restore.lock` next to it only tells a
 *   human who holds it.
 * - Between instances sharing one PostgreSQL database: also `pg_try_advisory_lock` with this
 *   app's own key, on a connection held for the whole restore.
 * - Inside the web app's process: a count of in-flight writes. Writes start only through
 *   `runWrite`, which refuses while the lock is held; the restore waits for the count to
 *   reach zero before it touches anything, so an acknowledged write is never lost.
 */
import { rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ensurePrivateDir } from "../engine/private-files.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { unsettledRestore } from "./journal.ts";

type GateState = { inFlight: number; localLock: boolean };
const gate: GateState = ((globalThis as { __wimmGate?: GateState }).__wimmGate ??= { inFlight: 0, localLock: false });

/** pg_advisory_lock key: "WIMM" in ASCII. Prisma Migrate uses 72707369; this is ours. */
export const ADVISORY_KEY = 0x57494d4d;

export class RestoreInProgressError extends Error {
  constructor() {
    super("A restore is in progress; try again in a moment.");
  }
}

export const lockPath = (dir: string) => join(dir, "restore.lock");
const kernelLockPath = (dir: string) => join(dir, "restore.lock.sqlite3");

type LockInfo = { pid: number; startedAt: string };

export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dir), "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : null;
  } catch {
    return null;
  }
}

/** True when some connection (any process) holds the kernel lock of `dir`. */
function kernelLockHeld(dir: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(kernelLockPath(dir), { fileMustExist: true, timeout: 0 });
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    // No lock file yet: nobody ever restored here. BUSY/LOCKED: someone holds it now.
    return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
  } finally {
    db?.close();
  }
}

/** True while this process or any live process holds the lock. */
export function isRestoreInProgress(dir: string): boolean {
  return gate.localLock || kernelLockHeld(dir);
}

export type MaintenanceLock = { release: () => Promise<void> };

export async function acquireMaintenanceLock(dir: string, live?: DatabaseTarget): Promise<MaintenanceLock | null> {
  if (gate.localLock) return null;
  ensurePrivateDir(dir);
  const holder = new Database(kernelLockPath(dir), { timeout: 0 });
  try {
    holder.pragma("journal_mode = DELETE");
    holder.exec("BEGIN EXCLUSIVE");
  } catch {
    holder.close();
    return null; // held by a live process: the kernel would have released a dead one's
  }
  let advisory: pg.Client | undefined;
  if (live?.engine === "postgresql") {
    advisory = new pg.Client({ connectionString: live.url, application_name: "wimm-restore-lock" });
    try {
      await advisory.connect();
      const { rows } = await advisory.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [ADVISORY_KEY]);
      if (!rows[0]?.ok) throw new Error("held by another instance");
    } catch {
      await advisory.end().catch(() => undefined);
      holder.exec("ROLLBACK");
      holder.close();
      return null;
    }
  }
  gate.localLock = true;
  writeFileSync(lockPath(dir), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), {
    mode: 0o600,
  });
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      rmSync(lockPath(dir), { force: true });
      gate.localLock = false;
      holder.exec("ROLLBACK");
      holder.close();
      // Ending the session releases the advisory lock too.
      await advisory?.end().catch(() => undefined);
    },
  };
}

/** Run a database write unless a restore holds the lock; counted so a restore can wait for it. */
export async function runWrite<T>(dir: string, write: () => Promise<T>): Promise<T> {
  // An unsettled restore (its journal left behind) takes no writes either: they would land
  // on data that is neither the old nor the backup's.
  if (isRestoreInProgress(dir) || unsettledRestore(dir)) throw new RestoreInProgressError();
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
