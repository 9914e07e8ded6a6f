/**
 * The record stream: what every restore loads, whatever the backup's kind. A backup is
 * read as blocks, one per table of the app's schema, each a stream of canonical COPY lines
 * (lib/db/checksum.ts); nothing else of the file — no schema, no SQL, no sequence value —
 * reaches the live database. Producers: the isolated SQLite reader (inspect-isolated.ts),
 * the strict dump reader (dump-records.ts), a JSON lines export (json-lines.ts) and, for
 * a safety backup the app made itself, a SQLite file read in process. Consumers: the two
 * loaders (load-into-postgres.ts, load-into-sqlite.ts) and the checks before them.
 */
import type Database from "better-sqlite3";
import { sqliteCanonicalSelect, type Checksums } from "../../db/checksum.ts";
import { LATEST_SCHEMA_VERSION, tablesAt, type Table } from "../../db/tables.ts";
import type { MoneySummary } from "../vocabulary.ts";
import type { RestoreProgress } from "./progress.ts";

/** Tables that are never carried over: sessions end with every restore. */
export const NOT_CARRIED = new Set(["sessions"]);

/** The tables a record stream of schema `version` must hold, each exactly once. */
export function carriedTablesAt(version: number): readonly Table[] {
  return tablesAt(version).filter((t) => !NOT_CARRIED.has(t.name));
}

/** The tables a record stream of the latest schema must hold. */
export const CARRIED_TABLES: readonly Table[] = carriedTablesAt(LATEST_SCHEMA_VERSION);

export type TableBlock = { table: Table; lines: Iterable<string> | AsyncIterable<string> };

/** Blocks in any order; each one's lines are read to the end before the next is asked for. */
export type RecordSource = Iterable<TableBlock> | AsyncIterable<TableBlock>;

/** What a load records in the events table, in the same transaction as the data. */
export type LoadEvent = { kind: string; message: string; details?: string };

/** What both loaders (load-into-postgres.ts, load-into-sqlite.ts) are told. */
export type LoadOptions = {
  /**
   * The schema version the records were written at (default: the latest). An older one is
   * loaded into the schema at that version, verified, then upgraded (upgrade-steps.ts).
   */
  version?: number;
  /** What the backup promised (its checksums, read before the load); sessions are never compared. */
  expected?: Checksums;
  /** Compare every table as loaded with what streamed in (the benchmark's copy phase turns it off). */
  verify?: boolean;
  /** Recorded, with every session ended, in the same transaction as the data. */
  event?: LoadEvent;
  /**
   * "rewrite" (a backup): app_meta as upgrade-steps.ts says. "keep" (the app's own safety
   * backup, for an exact rollback): every row as it was, but the copy's creation time.
   */
  appMeta?: "rewrite" | "keep";
  /**
   * PostgreSQL only: the schema to load into (default `public`, the live one). Another one
   * (a drill's scratch schema) is loaded the same way, and `public` is proven untouched.
   */
  schema?: string;
  /** A restore's progress: the rows as they are copied, then the indexes and the checks. */
  progress?: RestoreProgress;
};

/** What a load did: the checksums of what streamed in, and the backup's schema when it was upgraded. */
export type LoadResult = { sourceChecksums: Checksums; money: MoneySummary; upgradedFrom?: number };

/** Lines of one table, asked for table by table in TABLES order. */
export type LineSource = (table: Table) => Iterable<string> | AsyncIterable<string>;

/** The carried tables of a line source at a schema version (default: the latest), in TABLES order. */
export function inTableOrder(source: LineSource, version: number = LATEST_SCHEMA_VERSION): Iterable<TableBlock> {
  return (function* () {
    for (const table of carriedTablesAt(version)) yield { table, lines: source(table) };
  })();
}

/** A SQLite file this process may open (the app's own safety backup, the benchmark's source). */
export function sqliteLineSource(db: Database.Database): LineSource {
  return (table) => db.prepare(sqliteCanonicalSelect(table)).pluck().iterate() as Iterable<string>;
}

/** Tracks which carried tables a stream held: a second block, or a missing one, is an error. */
export class BlockTally {
  private readonly seen = new Set<string>();
  constructor(private readonly version: number = LATEST_SCHEMA_VERSION) {}
  take(table: Table): void {
    if (NOT_CARRIED.has(table.name)) throw new Error(`the record stream carries ${table.name}`);
    const expected = carriedTablesAt(this.version).find((t) => t.name === table.name);
    if (!expected || expected.columns.map((c) => c.name).join() !== table.columns.map((c) => c.name).join())
      throw new Error(`the record stream's ${table.name} is not the table of schema ${this.version}`);
    if (this.seen.has(table.name)) throw new Error(`the record stream holds ${table.name} twice`);
    this.seen.add(table.name);
  }
  finish(): void {
    const missing = carriedTablesAt(this.version)
      .filter((t) => !this.seen.has(t.name))
      .map((t) => t.name);
    if (missing.length) throw new Error(`the record stream has no ${missing.join(", ")}`);
  }
}

/**
 * The longest line a reader takes (a row of the record stream, a JSON record): far beyond
 * any real row (a 10 KB description is large), small enough that a crafted file with one
 * endless line cannot exhaust the restoring process's memory.
 */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export class LineTooLong extends Error {
  constructor() {
    super(`a line longer than ${MAX_LINE_CHARS / 1024 / 1024} MB`);
  }
}

export class InvalidUtf8 extends Error {
  constructor() {
    super("bytes that are not valid UTF-8");
  }
}

/** Lines of a text stream, as the consumer asks for them (a pipe's backpressure holds). */
export async function* splitLines(
  chunks: AsyncIterable<string>,
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<string> {
  // The unfinished line is kept in pieces, so a long one costs no repeated copying.
  let pending: string[] = [];
  let pendingChars = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      const piece = chunk.slice(start, end);
      if (pendingChars + piece.length > maxLineChars) throw new LineTooLong();
      if (pending.length) {
        pending.push(piece);
        yield pending.join("");
        pending = [];
        pendingChars = 0;
      } else yield piece;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingChars += chunk.length - start;
      if (pendingChars > maxLineChars) throw new LineTooLong();
    }
  }
  if (pending.length) yield pending.join("");
}

/** A byte stream decoded as strict UTF-8: invalid bytes throw InvalidUtf8, never become U+FFFD. */
export async function* strictUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new InvalidUtf8();
    }
  };
  for await (const chunk of chunks) yield decode(chunk);
  const last = decode();
  if (last) yield last;
}
