/**
 * What kind of backup a path holds, from its content only (never its name):
 *   sqlite          — the 16-byte SQLite header AND a successful read-only open
 *   postgresql      — a pg_dump custom-format archive (magic "PGDMP")
 *   postgresql-sql  — a plain-text pg_dump script (its preamble)
 *   json-lines      — a folder with the manifest.json of `wimm export`
 *   unknown         — anything else, including files too short to tell
 *
 * Two depths. `sniffBackupType` reads bytes and nothing else, so any process may call it on
 * an untrusted file: a SQLite header there only says "sqlite, if it opens". Opening the file
 * is SQLite parsing untrusted input, which happens only in the isolated child
 * (inspect-isolated.ts): `detectBackupType` runs there, and the scenarios' inspection (also
 * in the child) refuses a file that claims to be SQLite and does not open.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { BackupType } from "../vocabulary.ts";
import { openUntrustedSqlite } from "./inspect-sqlite-backup.ts";

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
const PGDMP = Buffer.from("PGDMP", "latin1");

export function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Starts like a SQLite file (whether or not it opens): used to word a refusal, never to accept. */
export function hasSqliteHeader(path: string): boolean {
  const head = readHead(path, 16);
  return head.length === 16 && head.equals(SQLITE_HEADER);
}

/** The type by the bytes alone; "sqlite" still has to open (see above). */
export function sniffBackupType(path: string): BackupType {
  if (statSync(path).isDirectory()) return existsSync(join(path, "manifest.json")) ? "json-lines" : "unknown";
  const head = readHead(path, 8192);
  if (head.length >= 16 && head.subarray(0, 16).equals(SQLITE_HEADER)) return "sqlite";
  if (head.length > PGDMP.length && head.subarray(0, 5).equals(PGDMP)) return "postgresql";
  if (looksLikePgDumpScript(head.toString("utf8"))) return "postgresql-sql";
  return "unknown";
}

/** The whole answer, SQLite opened: call it in the isolated child (detectBackupTypeIsolated), or in tests. */
export function detectBackupType(path: string): BackupType {
  const sniffed = sniffBackupType(path);
  if (sniffed !== "sqlite") return sniffed;
  return readHead(path, 100).length >= 100 && canOpenSqlite(path) ? "sqlite" : "unknown";
}

/** A header alone proves nothing: the file must open and its schema must be readable. */
function canOpenSqlite(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = openUntrustedSqlite(path);
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

function looksLikePgDumpScript(text: string): boolean {
  const start = text.replace(/^\uFEFF/, "").slice(0, 4096);
  return (
    /^--\s*\n--\s*PostgreSQL database (cluster )?dump/m.test(start) ||
    (/^SET (statement_timeout|client_encoding|standard_conforming_strings)/m.test(start) && /pg_catalog/.test(start))
  );
}
