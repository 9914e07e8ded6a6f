/**
 * Everything we learn from a pg_dump custom-format archive before touching the live
 * database. Two read-only passes with our own pg_restore (never psql, never a shell):
 *   1. `pg_restore --list`: the table of contents must be readable by our pg_restore and
 *      name this app's tables;
 *   2. `pg_restore --data-only --file -`: the COPY data, streamed line by line, gives the
 *      app marker and schema version, the preview (family, users) and the checksum of every
 *      table — what the live database must equal after the restore.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { TableHasher, type Checksums } from "../../db/checksum.ts";
import { APP_ID, latestSchemaVersion } from "../../db/schema.ts";
import { readHead } from "./detect-backup-type.ts";
import { checkArchiveToc } from "./check-archive-toc.ts";
import { TABLES, getTable, type Table } from "../../db/tables.ts";
import { PgToolsTooOld, checkPgTools, findPgTool, runTool } from "../engine/pg-tools.ts";
import type { Preview, RefusalCode } from "../vocabulary.ts";

export type PgInspection =
  | { ok: true; schemaVersion: number; preview: Preview; checksums: Checksums; toc: TocEntry[] }
  | { ok: false; code: RefusalCode; details?: string };

export type TocEntry = { line: string; dumpId: number; desc: string; schema: string; name: string };

/** `215; 1259 16390 TABLE public families wimm` → desc TABLE, schema public, name families. */
export function parseToc(listing: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const line of listing.split("\n")) {
    if (!line.trim() || line.startsWith(";")) continue;
    const m = /^(\d+);\s+\d+\s+\d+\s+(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[2]!;
    const desc = KNOWN_DESCS.find((d) => rest.startsWith(d + " ")) ?? rest.split(" ")[0]!;
    const [schema = "", name = ""] = rest.slice(desc.length + 1).split(" ");
    entries.push({ line, dumpId: Number(m[1]), desc, schema, name });
  }
  return entries;
}

// Multi-word descriptions first, so "TABLE DATA" is not read as "TABLE".
const KNOWN_DESCS = [
  "TABLE DATA",
  "SEQUENCE SET",
  "SEQUENCE OWNED BY",
  "FK CONSTRAINT",
  "DEFAULT ACL",
  "EVENT TRIGGER",
  "FOREIGN TABLE",
  "FOREIGN DATA WRAPPER",
  "SERVER",
  "USER MAPPING",
  "MATERIALIZED VIEW DATA",
  "MATERIALIZED VIEW",
  "TEXT SEARCH CONFIGURATION",
  "TEXT SEARCH DICTIONARY",
  "LARGE OBJECT",
  "BLOBS",
  "ROW SECURITY",
  "PUBLICATION TABLE",
  "ENCODING",
  "STDSTRINGS",
  "SEARCHPATH",
];

export async function inspectPgArchive(path: string, liveUrl: string): Promise<PgInspection> {
  try {
    await checkPgTools(liveUrl, ["pg_dump", "pg_restore"]);
  } catch (error) {
    if (error instanceof PgToolsTooOld) return { ok: false, code: "PG_TOOLS_TOO_OLD", details: error.message };
    throw error;
  }
  const list = await listArchive(path);
  if (!list.ok) return list;
  const allowed = checkArchiveToc(list.listing);
  if (!allowed.ok) return { ok: false, code: "PG_ARCHIVE_FORBIDDEN", details: `${allowed.reason}: ${allowed.entry}` };
  const toc = parseToc(list.listing);
  const tables = new Set(toc.filter((e) => e.desc === "TABLE" && e.schema === "public").map((e) => e.name));
  const missing = TABLES.filter((t) => !tables.has(t.name)).map((t) => t.name);
  if (missing.length === TABLES.length)
    return { ok: false, code: "NOT_THIS_APP", details: "none of WIMM-Finance's tables are in the archive" };
  if (missing.length) return { ok: false, code: "SCHEMA_MISMATCH", details: `missing tables: ${missing.join(", ")}` };

  let data: Awaited<ReturnType<typeof readArchiveData>>;
  try {
    data = await readArchiveData(path);
  } catch (error) {
    return { ok: false, code: "PG_ARCHIVE_UNREADABLE", details: (error as Error).message.slice(0, 500) };
  }
  const meta = new Map(data.appMeta);
  if (meta.get("app") !== APP_ID)
    return { ok: false, code: "NOT_THIS_APP", details: `app marker is "${meta.get("app") ?? "missing"}"` };
  const version = Number(meta.get("schema_version") ?? 0);
  const latest = latestSchemaVersion("postgresql");
  if (version > latest)
    return {
      ok: false,
      code: "NEWER_SCHEMA",
      details: `dump schema version ${version}, this app reads up to ${latest}`,
    };
  if (version < latest)
    return { ok: false, code: "SCHEMA_MISMATCH", details: `dump schema version ${version} is older than ${latest}` };
  if (!data.family) return { ok: false, code: "NO_FAMILY" };
  return {
    ok: true,
    schemaVersion: version,
    preview: {
      family: { name: data.family.name },
      users: data.users.sort((a, b) => a.id - b.id).map(({ username, role }) => ({ username, role })),
    },
    checksums: data.checksums,
    toc,
  };
}

/** `pg_restore --list --create`: the table of contents, or why our pg_restore cannot read it. */
async function listArchive(
  path: string,
): Promise<{ ok: true; listing: string } | { ok: false; code: RefusalCode; details: string }> {
  const list = await runTool(findPgTool("pg_restore"), ["--list", "--create", path], {
    timeoutMs: 60_000,
    captureStdout: true,
  });
  if (list.code === 0) return { ok: true, listing: list.stdout };
  const stderr = list.stderr.trim();
  // Custom archives start "PGDMP" + major.minor.rev of the archive format (1.14 for
  // pg_dump 15, 1.15 for 16, 1.16 for 17). A plausible newer format means the dump was
  // made by a newer pg_dump; anything else after the magic is just damage.
  const head = readHead(path, 8);
  const plausibleNewer = head[5] === 1 && (head[6] ?? 0) >= 10 && (head[6] ?? 0) <= 40;
  if (plausibleNewer && /unsupported version|unsupported archive|unrecognized (file )?format version/i.test(stderr)) {
    return {
      ok: false,
      code: "PG_TOOLS_TOO_OLD",
      details: `The dump was made by a newer pg_dump than this server's pg_restore can read (${stderr.slice(0, 300)}).`,
    };
  }
  return {
    ok: false,
    code: "PG_ARCHIVE_UNREADABLE",
    details: stderr.slice(0, 500) || `pg_restore exited with ${list.code}`,
  };
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

const unquote = (ident: string) =>
  ident
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .replace(/""/g, '"');

async function readArchiveData(path: string) {
  const child = spawn(findPgTool("pg_restore"), ["--data-only", "--file", "-", path], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

  const hashers = new Map<string, TableHasher>(TABLES.map((t) => [t.name, new TableHasher(t)]));
  const appMeta: [string, string][] = [];
  const users: { id: number; username: string; role: string }[] = [];
  let family: { id: number; name: string } | undefined;

  let current: { table: Table; order: number[]; hasher: TableHasher } | null = null;
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!current) {
      const m = /^COPY (?:"?public"?\.)?("?[\w]+"?) \(([^)]*)\) FROM stdin;$/.exec(line);
      if (!m) continue;
      const name = unquote(m[1]!);
      const hasher = hashers.get(name);
      if (!hasher) {
        current = {
          table: { name, idColumn: null, columns: [] },
          order: [],
          hasher: new TableHasher({ name, idColumn: null, columns: [] }),
        };
        continue; // not ours: skipped (and refused later by the TOC check in hardening)
      }
      const table = getTable(name);
      const columns = m[2]!.split(",").map(unquote);
      const order = table.columns.map((c) => columns.indexOf(c.name));
      if (order.some((i) => i < 0) || columns.length !== table.columns.length) {
        throw new Error(`COPY for ${name} has columns (${columns.join(", ")})`);
      }
      current = { table, order, hasher };
      continue;
    }
    if (line === "\\.") {
      current = null;
      continue;
    }
    if (!current.table.columns.length) continue;
    const raw = line.split("\t");
    const values = current.order.map((i) => decodeCopyField(raw[i] ?? "\\N"));
    current.hasher.addRow(values);
    const t = current.table.name;
    if (t === "app_meta") appMeta.push([values[0]!, values[1]!]);
    else if (t === "users") users.push({ id: Number(values[0]), username: values[2]!, role: values[5]! });
    else if (t === "families" && (!family || Number(values[0]) < family.id))
      family = { id: Number(values[0]), name: values[1]! };
  }
  const code = await exited;
  if (code !== 0) throw new Error(stderr.trim() || `pg_restore exited with ${code}`);
  const checksums: Checksums = {};
  for (const [name, hasher] of hashers) checksums[name] = hasher.digest();
  return { checksums, appMeta, users, family };
}
