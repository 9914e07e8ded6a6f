/**
 * The strict dump reader: the rows of a pg_dump custom-format archive as the record stream
 * (records.ts), and nothing else of it. `pg_restore --data-only --file -` turns the archive
 * into text without connecting to any database; this module reads that text as bytes and
 * keeps only the COPY data of the app's own tables, in the app's own column order:
 *
 *   - the bytes must be valid UTF-8 (a refusal, never a lossy decode), and the archive's
 *     `SET client_encoding` must say UTF8;
 *   - exactly one COPY block per carried table of the app's schema (the app's own dumps
 *     leave out the sessions' data), with exactly its columns (a
 *     table with no block, a second block, a block for any other table — or an archive
 *     made with `--inserts`, which has none — is refused);
 *   - inside a block every line is a row with one field per column, or the end marker;
 *     outside blocks, other lines are ignored (SET, setval, `\restrict` of newer versions):
 *     none of them is ever executed.
 *
 * Each row is rewritten as the app's canonical line (lib/db/checksum.ts): PostgreSQL trims
 * trailing zeros of fractional seconds and escapes some control characters that the
 * canonical form keeps as they are. The archive's own DDL, COPY statements, sequence values
 * and everything else never reach the live database.
 */
import { spawn } from "node:child_process";
import { canonicalDateTime, escapeCopyText, unescapeCopyText } from "../../db/checksum.ts";
import { LATEST_SCHEMA_VERSION, storedColumnNames, tablesAt, type Column, type Table } from "../../db/tables.ts";
import type { RefusalCode } from "../vocabulary.ts";
import { findPgTool } from "./pg-tools.ts";
import {
  carriedTablesAt,
  InvalidUtf8,
  LineTooLong,
  NOT_CARRIED,
  splitLines,
  strictUtf8,
  type TableBlock,
} from "./records.ts";

/** What is wrong with an archive's data, as a refusal. */
export class DumpRefused extends Error {
  constructor(
    readonly code: Extract<RefusalCode, "PG_ARCHIVE_UNREADABLE" | "PG_ARCHIVE_FORBIDDEN" | "SCHEMA_MISMATCH">,
    message: string,
  ) {
    super(message);
  }
}

/** COPY text format field: `\N` is NULL; backslash escapes per the PostgreSQL docs. */
export function decodeCopyField(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "v":
        return "\v";
      case "x":
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return /^[0-7]+$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

/** A field of pg_restore's COPY output → the canonical form of its column. */
function canonicalField(column: Column, field: string): string {
  if (field === "\\N") return field;
  switch (column.type) {
    case "int":
    case "bigint":
    case "bool":
      return field; // PostgreSQL writes these as the canonical form does; the checker judges them
    case "datetime":
      return canonicalDateTime(field);
    case "text":
      return field.includes("\\") ? escapeCopyText(decodeCopyField(field)!) : field;
  }
}

const COPY_HEADER = /^COPY ("?[A-Za-z_][A-Za-z0-9_]*"?)\.("?[A-Za-z_][A-Za-z0-9_]*"?) \((.*)\) FROM stdin;$/;
const unquote = (ident: string) => ident.trim().replace(/^"(.*)"$/, "$1");

/**
 * The archive's data as the record stream, read with the tables of its schema version
 * (`version`, from readArchiveMeta; default the latest). The blocks come in the archive's
 * order (pg_dump writes tables alphabetically); sessions are read and dropped (never
 * carried), and so are derived columns (lib/db/tables.ts): the loader computes its own.
 * Throws DumpRefused for anything the rules above refuse, Error when pg_restore fails.
 */
export async function* readDumpRecords(
  file: string,
  options: { timeoutMs: number; version?: number },
): AsyncGenerator<TableBlock> {
  const version = options.version ?? LATEST_SCHEMA_VERSION;
  const tables = tablesAt(version);
  const restore = startPgRestoreText(file, [], options.timeoutMs);
  const lines = refusing(splitLines(strictUtf8(restore.stdout)))[Symbol.asyncIterator]();
  const blocks = new Set<string>();
  let encoding: string | null = null;
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const line = next.value;
      if (line.startsWith("SET client_encoding")) {
        encoding = /^SET client_encoding = '([^']*)';$/.exec(line)?.[1] ?? line;
        if (encoding !== "UTF8")
          throw new DumpRefused("PG_ARCHIVE_UNREADABLE", `the archive's encoding is ${encoding}, not UTF8`);
        continue;
      }
      if (line.startsWith("INSERT INTO "))
        throw new DumpRefused(
          "PG_ARCHIVE_FORBIDDEN",
          "the archive holds INSERT statements (made with --inserts); only COPY data is read",
        );
      if (!line.startsWith("COPY ")) continue;
      const table = parseHeader(line, blocks, tables);
      if (encoding === null) throw new DumpRefused("PG_ARCHIVE_UNREADABLE", "the archive names no client encoding");
      const block = readBlock(table.table, table.order, table.width, lines);
      if (NOT_CARRIED.has(table.table.name)) for await (const row of block) void row;
      else {
        yield { table: table.table, lines: block };
        for await (const row of block) void row; // what the consumer left, to the end marker
      }
    }
    const missing = carriedTablesAt(version)
      .filter((t) => !blocks.has(t.name))
      .map((t) => t.name);
    if (missing.length) throw new DumpRefused("SCHEMA_MISMATCH", `the archive has no data for ${missing.join(", ")}`);
    await restore.succeeded();
  } finally {
    restore.stop();
  }
}

function parseHeader(
  line: string,
  blocks: Set<string>,
  tables: readonly Table[],
): { table: Table; order: number[]; width: number } {
  const m = COPY_HEADER.exec(line);
  if (!m) throw new DumpRefused("SCHEMA_MISMATCH", `unreadable COPY statement: ${line.slice(0, 200)}`);
  const [schema, name] = [unquote(m[1]!), unquote(m[2]!)];
  const table = tables.find((t) => t.name === name);
  if (schema !== "public" || !table)
    throw new DumpRefused("SCHEMA_MISMATCH", `data for a table that is not the app's: ${schema}.${name}`);
  if (blocks.has(name)) throw new DumpRefused("SCHEMA_MISMATCH", `a second block of data for ${name}`);
  blocks.add(name);
  const columns = m[3]!.split(",").map(unquote);
  const stored = storedColumnNames(table);
  // Every stored column, derived ones included, and no other; only the carried ones are read.
  const order = table.columns.map((c) => columns.indexOf(c.name));
  if (
    columns.length !== stored.length ||
    stored.some((c) => !columns.includes(c)) ||
    new Set(columns).size !== columns.length
  )
    throw new DumpRefused(
      "SCHEMA_MISMATCH",
      `${name} has columns (${columns.join(", ")}), expected (${stored.join(", ")})`,
    );
  return { table, order, width: columns.length };
}

/**
 * The rows of one COPY block as canonical lines, ending at `\.`. One iterator, however many
 * loops read it: a consumer that stops early leaves the rest for the drain that follows.
 */
function readBlock(
  table: Table,
  order: number[],
  width: number,
  lines: AsyncIterator<string>,
): AsyncIterableIterator<string> {
  let ended = false;
  const identity = order.every((i, k) => i === k);
  const n = table.columns.length;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  return {
    async next(): Promise<IteratorResult<string>> {
      if (ended) return done;
      const next = await lines.next();
      if (next.done)
        throw new DumpRefused("PG_ARCHIVE_UNREADABLE", `the data of ${table.name} ends without its end marker`);
      if (next.value === "\\.") {
        ended = true;
        return done;
      }
      const fields = next.value.split("\t");
      if (fields.length !== width)
        throw new DumpRefused(
          "SCHEMA_MISMATCH",
          `a row of ${table.name} has ${fields.length} fields, expected ${width}`,
        );
      let out = "";
      for (let k = 0; k < n; k++)
        out += (k ? "\t" : "") + canonicalField(table.columns[k]!, fields[identity ? k : order[k]!]!);
      return { done: false, value: out };
    },
    async return() {
      return done; // not the end of the block: the drain after the consumer reads on
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The readers' errors as refusals of the archive. */
async function* refusing(lines: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (error) {
    if (error instanceof InvalidUtf8)
      throw new DumpRefused("PG_ARCHIVE_UNREADABLE", "the archive's data is not valid UTF-8");
    if (error instanceof LineTooLong)
      throw new DumpRefused("PG_ARCHIVE_UNREADABLE", `the archive's data holds ${error.message}`);
    throw error;
  }
}

/** What an archive's app_meta says, read alone (`pg_restore --data-only --table app_meta`). */
export type ArchiveMeta = Map<string, string>;

/**
 * The archive's app_meta rows, before anything else is read: they say which app wrote the
 * archive and at which schema version, and so which tables its data is read with. The same
 * strict rules as the full read: UTF-8, a UTF8 client encoding, one COPY block of exactly
 * (key, value) for public.app_meta. An archive without one gives an empty map.
 */
export async function readArchiveMeta(file: string, options: { timeoutMs: number }): Promise<ArchiveMeta> {
  const restore = startPgRestoreText(file, ["--table", "app_meta"], options.timeoutMs);
  const meta: ArchiveMeta = new Map();
  const appMeta = tablesAt(1).find((t) => t.name === "app_meta")!;
  try {
    const lines = refusing(splitLines(strictUtf8(restore.stdout), 1024 * 1024))[Symbol.asyncIterator]();
    let encoding: string | null = null;
    let blocks = 0;
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const line = next.value;
      if (line.startsWith("SET client_encoding")) {
        encoding = /^SET client_encoding = '([^']*)';$/.exec(line)?.[1] ?? line;
        continue;
      }
      if (!line.startsWith("COPY ")) continue;
      if (encoding !== "UTF8") throw new DumpRefused("PG_ARCHIVE_UNREADABLE", `the archive's encoding is ${encoding}`);
      const m = COPY_HEADER.exec(line);
      if (!m || unquote(m[1]!) !== "public" || unquote(m[2]!) !== "app_meta") continue;
      if (++blocks > 1) throw new DumpRefused("SCHEMA_MISMATCH", "a second block of data for app_meta");
      const { order, width } = parseHeader(line, new Set(), [appMeta]);
      for await (const row of readBlock(appMeta, order, width, lines)) {
        const [key, value] = row.split("\t").map(unescapeCopyText);
        if (meta.size > 1000) throw new DumpRefused("SCHEMA_MISMATCH", "app_meta holds more than 1000 keys");
        meta.set(key!, value!);
      }
    }
    await restore.succeeded();
    return meta;
  } finally {
    restore.stop();
  }
}

/**
 * `pg_restore --data-only --file - [args] FILE`: the archive as text, read by our readers
 * only (pg_restore connects to no database). A time limit kills it; `succeeded` throws when
 * it did not exit cleanly, with its own words; `stop` ends it whatever happened.
 */
function startPgRestoreText(file: string, args: string[], timeoutMs: number) {
  const child = spawn(findPgTool("pg_restore"), ["--data-only", ...args, "--file", "-", file], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return {
    stdout: child.stdout,
    async succeeded() {
      const code = await exited;
      if (code !== 0)
        throw new Error(`pg_restore could not read the archive: ${stderr.trim().slice(0, 500) || `exit ${code}`}`);
    },
    stop() {
      clearTimeout(timer);
      child.kill("SIGKILL");
    },
  };
}
