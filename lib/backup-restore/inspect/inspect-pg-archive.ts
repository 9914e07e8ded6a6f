/**
 * Everything we learn from a pg_dump custom-format archive before touching the live
 * database. Two read-only passes with our own pg_restore (never psql, never a shell):
 *   1. `pg_restore --list`: the table of contents must be readable by our pg_restore and
 *      name this app's tables;
 *   2. `pg_restore --data-only --file -` read by the strict dump reader: every row, checked
 *      value by value, gives the app marker and schema version, the preview (family, users)
 *      and the checksum of every table — what the live database must equal afterwards.
 */
import { TableHasher, unescapeCopyText, type Checksums } from "../../db/checksum.ts";
import { APP_ID, latestSchemaVersion } from "../../db/schema.ts";
import { readHead } from "./detect-backup-type.ts";
import { checkArchiveToc } from "./check-archive-toc.ts";
import { tablesAt } from "../../db/tables.ts";
import { DumpRefused, readArchiveMeta, readDumpRecords } from "../engine/dump-records.ts";
import { versionRefusal, type BackupFacts } from "./backup-facts.ts";
import { PgToolsTooOld, checkPgTools, findPgTool, runTool } from "../engine/pg-tools.ts";
import type { Preview, RefusalCode, RefusalValues } from "../vocabulary.ts";
import { RecordChecker } from "./check-records.ts";
import { describeFindings } from "./preflight.ts";

export type PgInspection =
  | ({ ok: true; preview: Preview; checksums: Checksums; toc: TocEntry[] } & BackupFacts)
  | { ok: false; code: RefusalCode; details?: string; values?: RefusalValues };

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

/**
 * `liveUrl` null: no server to restore into (a dump previewed on a SQLite instance); our
 * pg_restore then only has to read the archive, which `--list` below proves.
 */
export async function inspectPgArchive(
  path: string,
  liveUrl: string | null,
  options: { timeoutMs: number; onRows?: (done: number) => void },
): Promise<PgInspection> {
  try {
    if (liveUrl !== null) await checkPgTools(liveUrl, ["pg_dump", "pg_restore"]);
  } catch (error) {
    if (error instanceof PgToolsTooOld) return { ok: false, code: "PG_TOOLS_TOO_OLD", details: error.message };
    throw error;
  }
  const list = await listArchive(path);
  if (!list.ok) return list;
  const allowed = checkArchiveToc(list.listing);
  if (!allowed.ok) return { ok: false, code: "PG_ARCHIVE_FORBIDDEN", details: `${allowed.reason}: ${allowed.entry}` };
  const toc = parseToc(list.listing);
  const tocTables = new Set(toc.filter((e) => e.desc === "TABLE" && e.schema === "public").map((e) => e.name));
  if (!tocTables.has("app_meta"))
    return { ok: false, code: "NOT_THIS_APP", details: "the archive has no app_meta table" };

  // Which app, at which schema version: that decides which tables the data is read with.
  let facts: Awaited<ReturnType<typeof readFacts>>;
  try {
    facts = await readFacts(path, options.timeoutMs, list.listing);
  } catch (error) {
    if (error instanceof DumpRefused) return { ok: false, code: error.code, details: error.message.slice(0, 500) };
    return { ok: false, code: "PG_ARCHIVE_UNREADABLE", details: (error as Error).message.slice(0, 500) };
  }
  if (facts.app !== APP_ID)
    return { ok: false, code: "NOT_THIS_APP", details: `app marker is "${facts.app ?? "missing"}"` };
  const refused = versionRefusal(facts.schemaVersion, latestSchemaVersion("postgresql"));
  if (refused) return refused;
  const tables = tablesAt(facts.schemaVersion);
  const missing = tables.filter((t) => !tocTables.has(t.name)).map((t) => t.name);
  if (missing.length) return { ok: false, code: "SCHEMA_MISMATCH", details: `missing tables: ${missing.join(", ")}` };

  let data: Awaited<ReturnType<typeof readArchiveData>>;
  try {
    data = await readArchiveData(path, options.timeoutMs, facts.schemaVersion, options.onRows);
  } catch (error) {
    if (error instanceof DumpRefused) return { ok: false, code: error.code, details: error.message.slice(0, 500) };
    return { ok: false, code: "PG_ARCHIVE_UNREADABLE", details: (error as Error).message.slice(0, 500) };
  }
  if (!data.family) return { ok: false, code: "NO_FAMILY" };
  if (data.findings.length) return { ok: false, code: "PREFLIGHT_FAILED", details: describeFindings(data.findings) };
  return {
    ok: true,
    schemaVersion: facts.schemaVersion,
    ...(facts.appVersion ? { appVersion: facts.appVersion } : {}),
    ...(facts.createdAt ? { createdAt: facts.createdAt } : {}),
    rows: Object.fromEntries(Object.entries(data.checksums).map(([name, c]) => [name, c.rows])),
    preview: {
      family: { name: data.family.name },
      users: data.users.sort((a, b) => a.id - b.id).map(({ username, role }) => ({ username, role })),
    },
    checksums: data.checksums,
    toc,
  };
}

/** `;     Archive created at 2026-12-02 07:58:20 UTC` in pg_restore's listing → ISO 8601, if it reads. */
export function archiveCreatedAt(listing: string): string | undefined {
  const m = /^;\s+Archive created at (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) (\S+)\s*$/m.exec(listing);
  if (!m) return undefined;
  const utc = m[3] === "UTC" || m[3] === "GMT" ? new Date(`${m[1]}T${m[2]}Z`) : new Date(`${m[1]} ${m[2]} ${m[3]}`);
  return Number.isNaN(utc.getTime()) ? undefined : utc.toISOString();
}

/** The app marker, schema and app versions (app_meta) and the creation time (the archive's header). */
export async function readFacts(path: string, timeoutMs: number, listing: string) {
  const meta = await readArchiveMeta(path, { timeoutMs });
  const version = Number(meta.get("schema_version") ?? "");
  return {
    app: meta.get("app"),
    schemaVersion: Number.isInteger(version) ? version : 0,
    appVersion: meta.get("app_version"),
    createdAt: archiveCreatedAt(listing),
  };
}

/** `pg_restore --list --create`: the table of contents, or why our pg_restore cannot read it. */
export async function listArchive(
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

/**
 * Every row of the archive through the strict dump reader (engine/dump-records.ts), exactly
 * as a restore would load it: the checksum of every table, the value checks, and what the
 * preview needs.
 */
async function readArchiveData(path: string, timeoutMs: number, version: number, onRows?: (done: number) => void) {
  let done = 0;
  const hashers = new Map<string, TableHasher>(tablesAt(version).map((t) => [t.name, new TableHasher(t)]));
  const checker = new RecordChecker();
  const appMeta: [string, string][] = [];
  const users: { id: number; username: string; role: string }[] = [];
  let family: { id: number; name: string } | undefined;
  for await (const { table, lines } of readDumpRecords(path, { timeoutMs, version })) {
    const hasher = hashers.get(table.name)!;
    const check = checker.table(table);
    for await (const line of lines) {
      hasher.addLine(line);
      check(line);
      if (onRows && ++done % 10_000 === 0) onRows(done);
      const t = table.name;
      if (t !== "app_meta" && t !== "users" && t !== "families") continue;
      const f = line.split("\t").map(unescapeCopyText);
      if (t === "app_meta") appMeta.push([f[0]!, f[1]!]);
      else if (t === "users") users.push({ id: Number(f[0]), username: f[2]!, role: f[5]! });
      else if (!family || Number(f[0]) < family.id) family = { id: Number(f[0]), name: f[1]! };
    }
  }
  const checksums: Checksums = {};
  for (const [name, hasher] of hashers) checksums[name] = hasher.digest();
  return { checksums, findings: checker.findings(), appMeta, users, family };
}
