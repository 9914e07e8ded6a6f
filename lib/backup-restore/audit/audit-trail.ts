/**
 * The audit trail: every backup, verification, drill, restore, migration, refusal,
 * rollback and prune, appended to `audit.jsonl` in the backup folder. It lives outside the
 * database on purpose: a restore replaces the database, and the record of that restore
 * (and of everything before it) must survive it.
 *
 * - Append-only JSON lines, one entry a line, each carrying the hash of the one before
 *   (audit-entry.ts), so a line edited, removed, moved or cut short is found by
 *   `verifyAuditTrail`, and `brokenAt` names the first bad line.
 * - The web app, `./bin/wimm` and a scheduler append from different processes. Node has no
 *   flock, so the lock is the maintenance lock's trick (spine/maintenance-lock.ts): an
 *   EXCLUSIVE transaction on a tiny SQLite file beside the trail. SQLite's fcntl locks
 *   vanish with their process, so an appender killed mid-way never leaves the trail locked.
 * - Under the lock an append reads only the file's last line (for `seq` and `prev`), writes
 *   its line with one write and fsyncs, so it costs the same on a trail of a million lines.
 *
 * Appending never throws: the callers are backups and restores, and a trail that cannot be
 * written must not turn a completed restore into a failed one. It logs the failure loudly
 * (`[AUDIT]` on stderr) and returns it as a value with a code, for the caller to pass on.
 */
import { basename, join } from "node:path";
import {
  chmodSync,
  closeSync,
  createReadStream,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import Database from "better-sqlite3";
import { log } from "../../log.ts";
import { createPrivateFile, ensurePrivateDir } from "../engine/private-files.ts";
import {
  AuditEntrySchema,
  GENESIS_HASH,
  MAX_DETAILS,
  MAX_FILE,
  formatEntryLine,
  hashEntry,
  parseEntryLine,
  sealEntry,
  type AuditEntry,
  type AuditEntryInput,
} from "./audit-entry.ts";

export type { AuditAction, AuditEntry, AuditEntryInput, AuditResult } from "./audit-entry.ts";

export const auditTrailPath = (dir: string) => join(dir, "audit.jsonl");
const auditLockPath = (dir: string) => join(dir, "audit.lock.sqlite3");

/**
 * How long an appender waits for another to finish. A holder keeps the lock for one
 * write and one fsync (milliseconds), so reaching this means a stuck disk, not a queue.
 */
const LOCK_TIMEOUT_MS = 10_000;

export type AuditAppendFailure =
  /** Another process held the lock for longer than the timeout. */
  | "AUDIT_LOCK_BUSY"
  /**
   * The last line is not an entry (cut short by a crash, or edited), so there is no `seq`
   * or `prev` to chain to. Appending anyway would have to guess, and would bury the damage
   * under fresh entries: the trail stays as found, for a human to look at
   * (`wimm audit --verify`) and move aside, after which a new trail starts.
   */
  | "AUDIT_TRAIL_BROKEN"
  /** The folder, the lock or the file could not be written (disk full, permissions). */
  | "AUDIT_WRITE_FAILED"
  /** The caller's entry breaks the schema (an actor too long, a sha256 that is not hex): a bug. */
  | "AUDIT_ENTRY_INVALID";

export type AuditAppendResult =
  { ok: true; entry: AuditEntry } | { ok: false; code: AuditAppendFailure; message: string };

export type AuditVerification =
  /** `entries`: how many lines the file holds (a broken trail's count includes the bad lines). */
  { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; details: string };

class AuditFailure extends Error {
  constructor(
    readonly code: AuditAppendFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Append one entry (`seq`, `at`, `prev` and `hash` are the trail's to fill in). Creates the
 * folder (0700) and the file (0600) when missing. Synchronous: the lock is a synchronous
 * SQLite call, and the whole append is one short critical section.
 */
export function appendAuditEntry(
  dir: string,
  input: AuditEntryInput,
  options: { lockTimeoutMs?: number } = {},
): AuditAppendResult {
  try {
    return { ok: true, entry: appendUnderLock(dir, input, options.lockTimeoutMs ?? LOCK_TIMEOUT_MS) };
  } catch (error) {
    const failure =
      error instanceof AuditFailure
        ? error
        : isBusy(error)
          ? new AuditFailure("AUDIT_LOCK_BUSY", "another process holds the audit trail's lock")
          : new AuditFailure("AUDIT_WRITE_FAILED", (error as Error).message ?? String(error));
    log("AUDIT", `FAILED to record ${input.action} (${input.result}): ${failure.code}: ${failure.message}`);
    return { ok: false, code: failure.code, message: failure.message };
  }
}

function appendUnderLock(dir: string, input: AuditEntryInput, lockTimeoutMs: number): AuditEntry {
  const abs = ensurePrivateDir(dir);
  const lock = acquireAuditLock(abs, lockTimeoutMs);
  try {
    const path = auditTrailPath(abs);
    if (!existsSync(path)) {
      createPrivateFile(path);
      // The new name must survive a power cut too, not only the bytes written into it.
      fsyncDirectory(abs);
    }
    const fd = openSync(path, "a+");
    try {
      const size = fstatSync(fd).size;
      const last = readLastEntry(fd, size);
      const entry = buildEntry(input, last);
      writeLine(fd, size, formatEntryLine(entry));
      return entry;
    } finally {
      closeSync(fd);
    }
  } finally {
    releaseAuditLock(lock);
  }
}

function buildEntry(input: AuditEntryInput, last: AuditEntry | null): AuditEntry {
  const unsealed = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    result: input.result,
    // The name, not the path: paths differ between hosts, and the name is what the backup
    // folder lists. Cut rather than refused: a long name is no reason to lose the record.
    ...(input.file !== undefined && { file: basename(input.file).slice(0, MAX_FILE) }),
    ...(input.sha256 !== undefined && { sha256: input.sha256.toLowerCase() }),
    ...(input.details !== undefined && { details: cut(input.details, MAX_DETAILS) }),
    prev: last?.hash ?? GENESIS_HASH,
  };
  const entry = sealEntry(unsealed);
  // What is written must read back: the same schema as every reader, before a byte is written.
  const checked = AuditEntrySchema.safeParse(entry);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AuditFailure("AUDIT_ENTRY_INVALID", `${issue?.path.join(".") ?? "entry"}: ${issue?.message}`);
  }
  return entry;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * One write of the whole line: with O_APPEND the kernel puts it at the end. A short or
 * failed write (disk full) is cut back to the old size, which only we may touch while we
 * hold the lock, so a full disk leaves the trail as it was rather than with a broken tail.
 */
function writeLine(fd: number, sizeBefore: number, line: string) {
  const bytes = Buffer.from(`${line}\n`, "utf8");
  try {
    const written = writeSync(fd, bytes);
    if (written !== bytes.length) throw new Error(`short write: ${written} of ${bytes.length} bytes`);
    fsyncSync(fd);
  } catch (error) {
    try {
      ftruncateSync(fd, sizeBefore);
      fsyncSync(fd);
    } catch {
      /* the first error is the one to report */
    }
    throw new AuditFailure("AUDIT_WRITE_FAILED", (error as Error).message);
  }
}

/** The last entry of the file, or null for an empty file; a last line that is no entry is a broken trail. */
function readLastEntry(fd: number, size: number): AuditEntry | null {
  if (size === 0) return null;
  const tail = readLastLine(fd, size);
  if (!tail.complete)
    throw new AuditFailure("AUDIT_TRAIL_BROKEN", "the trail's last line is incomplete (a write cut short?)");
  const parsed = parseEntryLine(tail.text);
  if (!parsed.ok) throw new AuditFailure("AUDIT_TRAIL_BROKEN", `the trail's last line ${parsed.problem}`);
  return parsed.entry;
}

const TAIL_CHUNK = 4096;

/**
 * The file's last line, read backwards from the end a chunk at a time until the newline
 * before it (an entry is a few hundred bytes: one chunk, almost always). `complete` is
 * false when the file does not end with a newline: the last write was cut short.
 */
function readLastLine(fd: number, size: number): { text: string; complete: boolean } {
  const complete = readAt(fd, size - 1, 1)[0] === 0x0a;
  const end = complete ? size - 1 : size;
  const pieces: Buffer[] = [];
  let start = end;
  while (start > 0) {
    const from = Math.max(0, start - TAIL_CHUNK);
    const chunk = readAt(fd, from, start - from);
    const newline = chunk.lastIndexOf(0x0a);
    if (newline >= 0) {
      pieces.unshift(chunk.subarray(newline + 1));
      break;
    }
    pieces.unshift(chunk);
    start = from;
  }
  return { text: Buffer.concat(pieces).toString("utf8"), complete };
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error("the audit trail shrank while locked");
    done += n;
  }
  return buffer;
}

function acquireAuditLock(dir: string, timeoutMs: number): Database.Database {
  const path = auditLockPath(dir);
  const created = !existsSync(path);
  const holder = new Database(path, { timeout: timeoutMs });
  try {
    if (created) chmodSync(path, 0o600);
    // EXCLUSIVE, not IMMEDIATE: held by one connection, in any process, and released by the
    // kernel if that process dies. Nothing is ever written to this database.
    holder.exec("BEGIN EXCLUSIVE");
    return holder;
  } catch (error) {
    holder.close();
    throw error;
  }
}

function releaseAuditLock(holder: Database.Database) {
  try {
    holder.exec("ROLLBACK");
  } finally {
    holder.close();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

function fsyncDirectory(dir: string) {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not every file system lets a folder be fsynced; the file's own fsync still holds */
  }
}

/**
 * How many bytes of the trail hold finished appends: the size, read under the lock, so a
 * reader never mistakes an append in flight for a line cut short. The read that follows
 * runs without the lock (appenders are not held up by a long verification) and stops at
 * this size. Without the lock file (a folder this user may not write), the size as it is.
 */
function settledSize(dir: string, path: string): number {
  let lock: Database.Database | undefined;
  try {
    lock = acquireAuditLock(dir, LOCK_TIMEOUT_MS);
  } catch (error) {
    if (isBusy(error)) throw new Error("the audit trail stayed locked by another process; try again", { cause: error });
  }
  try {
    return statSync(path).size;
  } finally {
    if (lock) releaseAuditLock(lock);
  }
}

type Line = { number: number; text: string; complete: boolean };

/** The trail's lines, numbered from 1, up to the settled size; nothing when there is no file. */
async function* readLines(dir: string): AsyncGenerator<Line> {
  const path = auditTrailPath(dir);
  if (!existsSync(path)) return;
  const size = settledSize(dir, path);
  if (size === 0) return;
  let rest: Buffer = Buffer.alloc(0);
  let number = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: size - 1 }) as AsyncIterable<Buffer>) {
    const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a, start)) {
      yield { number: ++number, text: data.toString("utf8", start, newline), complete: true };
      start = newline + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length) yield { number: ++number, text: rest.toString("utf8"), complete: false };
}

/**
 * The entries, oldest first; `limit`: only the newest that many. A line that is not an
 * entry is left out and logged (`verifyAuditTrail` says where the chain breaks).
 */
export async function readAuditEntries(dir: string, options: { limit?: number } = {}): Promise<AuditEntry[]> {
  const limit = options.limit ?? Infinity;
  const entries: AuditEntry[] = [];
  for await (const line of readLines(dir)) {
    const parsed = line.complete ? parseEntryLine(line.text) : { ok: false as const, problem: "is incomplete" };
    if (!parsed.ok) {
      log("AUDIT", `line ${line.number} ${parsed.problem}; left out (wimm audit --verify checks the chain)`);
      continue;
    }
    entries.push(parsed.entry);
    // Trimmed in batches: a long trail read for its last few entries stays small in memory.
    if (entries.length > 2 * limit + 1000) entries.splice(0, entries.length - limit);
  }
  return entries.length > limit ? entries.slice(entries.length - limit) : entries;
}

/**
 * Check the whole chain: every line an entry, its hash its own, its `seq` one more than the
 * line before and its `prev` that line's hash (64 zeros for the first). An absent or empty
 * file is an intact empty chain.
 */
export async function verifyAuditTrail(dir: string): Promise<AuditVerification> {
  let previous: AuditEntry | null = null;
  let broken: { brokenAt: number; details: string } | null = null;
  let lines = 0;
  for await (const line of readLines(dir)) {
    lines = line.number;
    if (broken) continue; // keep counting: `entries` says how long the trail is
    const problem = checkLine(line, previous);
    if (typeof problem === "string") broken = { brokenAt: line.number, details: `line ${line.number} ${problem}` };
    else previous = problem;
  }
  return broken ? { ok: false, entries: lines, ...broken } : { ok: true, entries: lines };
}

/** The line's entry when it follows `previous`, or what is wrong with it. */
function checkLine(line: Line, previous: AuditEntry | null): AuditEntry | string {
  if (!line.complete) return "is incomplete (no newline at its end: a write cut short, or the file truncated)";
  const parsed = parseEntryLine(line.text);
  if (!parsed.ok) return parsed.problem;
  const entry = parsed.entry;
  // Its own hash first: an edited value is reported as an edit, not as a break in the chain.
  if (hashEntry(entry) !== entry.hash) return "was edited: its hash does not match its content";
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (entry.seq !== expectedSeq)
    return `has seq ${entry.seq} where ${expectedSeq} was expected: a line removed, added or moved`;
  if (entry.prev !== (previous?.hash ?? GENESIS_HASH))
    return `does not follow the line before it: its prev is not that line's hash`;
  return entry;
}
