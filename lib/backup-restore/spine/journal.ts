/**
 * The restore journal: a small file beside the safety backups, outside the database being
 * replaced, that records how far a restore got. If the process dies (killed, power cut),
 * the next start of the app or of any `./bin/wimm` command reads it and finishes the job
 * (spine/recover.ts) before anything else touches the database.
 *
 * Written atomically (temp file + fsync + rename), readable by its owner only: it names the
 * safety backup and holds the checksums that decide between "complete" and "roll back".
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Checksums } from "../../db/checksum.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import type { Scenario } from "../vocabulary.ts";

export type JournalPhase =
  /** Lock taken; the live data is untouched. */
  | "started"
  /** Safety backup complete; the live data is still untouched. */
  | "safety-backup-taken"
  /** Replacing the data: it may be old, new, or (never, by design) in between. */
  | "replacing"
  /** Replaced (committed); being verified. */
  | "verifying"
  /** Verified; sessions being ended and the event recorded. */
  | "finishing";

export type Journal = {
  version: 1;
  pid: number;
  scenario: Scenario;
  /** Engine and location of the live database (password-free), to refuse recovering another one. */
  live: string;
  phase: JournalPhase;
  startedAt: string;
  updatedAt: string;
  family?: string;
  safetyBackup?: string;
  /** Checksums of the live data before anything was replaced. */
  before?: Checksums;
  /** Checksums the live data must have once the backup is in (when known in advance). */
  expected?: Checksums;
  /** The scenario compares every table inside its own transaction before COMMIT. */
  verifiedBeforeCommit?: boolean;
};

export const journalPath = (dir: string) => join(dir, "restore-journal.json");

export function writeJournal(dir: string, journal: Journal): void {
  const path = journalPath(dir);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify({ ...journal, updatedAt: new Date().toISOString() }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readJournal(dir: string): Journal | null {
  try {
    const journal = JSON.parse(readFileSync(journalPath(dir), "utf8")) as Journal;
    return journal.version === 1 ? journal : null;
  } catch {
    return null;
  }
}

export function removeJournal(dir: string): void {
  rmSync(journalPath(dir), { force: true });
  rmSync(`${journalPath(dir)}.tmp`, { force: true });
}

/**
 * A restore that neither finished nor was undone: its journal is still there although no
 * process is restoring (the recovery at start could not settle it — say, the safety backup
 * itself would not load). Until someone settles it the app serves nothing and takes no
 * writes, and says which safety backup holds the data from before.
 */
export function unsettledRestore(dir: string): { safetyBackup: string | null } | null {
  if (!existsSync(journalPath(dir))) return null;
  return { safetyBackup: readJournal(dir)?.safetyBackup ?? null };
}

/** Engine and location of a database, without its password. */
export function describeLive(target: DatabaseTarget): string {
  if (target.engine === "sqlite") return `sqlite:${target.path}`;
  const url = new URL(target.url);
  return `postgresql:${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** The journal of one restore as it runs: each `record` rewrites the file with the phase reached. */
export type JournalWriter = { record(update: Partial<Journal>): void; remove(): void };

export function openJournal(
  dir: string,
  start: { scenario: Scenario; live: DatabaseTarget; family?: string },
): JournalWriter {
  let journal: Journal = {
    version: 1,
    pid: process.pid,
    scenario: start.scenario,
    live: describeLive(start.live),
    phase: "started",
    startedAt: new Date().toISOString(),
    updatedAt: "",
    ...(start.family !== undefined ? { family: start.family } : {}),
  };
  return {
    record(update) {
      journal = { ...journal, ...update };
      writeJournal(dir, journal);
    },
    remove: () => removeJournal(dir),
  };
}
