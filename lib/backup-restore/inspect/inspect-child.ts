/**
 * Runs in a child process: reads an untrusted SQLite file and prints what it found as JSON.
 * See inspect-isolated.ts. Four kinds of work (a migration runs validate and scan side by
 * side on two cores, then reads the rows with lines):
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE detect
 *     the file's type, the SQLite file opened read-only, and what its app_meta says
 *     (readSqliteFacts)
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE validate [--checksums] [--progress]
 *     integrity check, this app's schema, preview (and the checksum of every table; with
 *     --progress, `#progress <done> <total>` lines on stderr as the rows are read)
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE scan
 *     pre-flight scan for values PostgreSQL would reject or change (no integrity check:
 *     the validate child runs it, and its verdict comes first)
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE lines --schema N
 *     the rows of every carried table of schema N (what validate found) as canonical COPY lines (the migration's copy reads
 *     them from here, so the restoring process never opens the file): per table a line
 *     `#table <name>`, its rows, and `\.` (never a canonical line: a backslash in data is
 *     doubled)
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE unwrap --out PATH --max-bytes N
 *     a gzip-compressed and/or age-encrypted file written out as what it holds, to the new
 *     private file PATH, stopped past N bytes (engine/wrapped-files.ts); the keys to try come
 *     as JSON on stdin ({"identities": [...], "passphrases": [...]}), never as arguments
 */
import { once } from "node:events";
import { sqliteCanonicalSelect } from "../../db/checksum.ts";
import { LATEST_SCHEMA_VERSION, tablesAt } from "../../db/tables.ts";
import { NOT_CARRIED } from "../engine/records.ts";
import { readFileSync } from "node:fs";
import { NO_KEYS, type AgeKeys } from "../engine/age-keys.ts";
import { unwrapFile } from "../engine/wrapped-files.ts";
import { preflightScan } from "./preflight.ts";
import { detectBackupType } from "./detect-backup-type.ts";
import { PROGRESS_PREFIX, inspectSqliteBackup, openUntrustedSqlite, readSqliteFacts } from "./inspect-sqlite-backup.ts";

const BATCH_CHARS = 256 * 1024;

/** `--schema N`: the schema version the file was validated at. */
function schemaFlag(): number | undefined {
  const i = flags.indexOf("--schema");
  return i >= 0 ? Number(flags[i + 1]) : undefined;
}

/** `--name VALUE`. */
function flagValue(name: string): string | undefined {
  const i = flags.indexOf(name);
  return i >= 0 ? flags[i + 1] : undefined;
}

function readKeys(): AgeKeys {
  const text = readFileSync(0, "utf8");
  if (!text.trim()) return NO_KEYS;
  const parsed = JSON.parse(text) as Partial<AgeKeys>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return { identities: strings(parsed.identities), passphrases: strings(parsed.passphrases) };
}

const [file, mode, ...flags] = process.argv.slice(2);
if (!file || !["detect", "validate", "scan", "lines", "unwrap"].includes(mode ?? "")) {
  process.stderr.write("usage: inspect-child.ts FILE detect|validate|scan|lines|unwrap [--checksums]\n");
  process.exit(2);
}
if (mode === "unwrap") {
  const out = flagValue("--out");
  const maxBytes = Number(flagValue("--max-bytes"));
  if (!out || !Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new Error("unwrap needs --out PATH --max-bytes N");
  process.stdout.write(JSON.stringify(await unwrapFile(file, out, { maxBytes, keys: readKeys() })));
} else if (mode === "detect") {
  const type = detectBackupType(file);
  process.stdout.write(JSON.stringify({ type, ...(type === "sqlite" ? { facts: readSqliteFacts(file) } : {}) }));
} else if (mode === "validate") {
  const inspection = inspectSqliteBackup(file, {
    checksums: flags.includes("--checksums"),
    ...(flags.includes("--progress")
      ? { onRows: (done: number, total: number) => process.stderr.write(`${PROGRESS_PREFIX}${done} ${total}\n`) }
      : {}),
  });
  process.stdout.write(JSON.stringify({ inspection }));
} else if (mode === "scan") {
  const db = openUntrustedSqlite(file);
  try {
    // Run beside validate, which refuses a file of no schema this app knows: scan at the
    // version the file names when it names one, else at the latest.
    const named = readSqliteFacts(file).schemaVersion;
    const version = named !== null && named >= 1 && named <= LATEST_SCHEMA_VERSION ? named : LATEST_SCHEMA_VERSION;
    process.stdout.write(JSON.stringify({ findings: preflightScan(db, tablesAt(version)) }));
  } finally {
    db.close();
  }
} else {
  const db = openUntrustedSqlite(file);
  // SQLite writes each row as one canonical COPY line; batches go out as the reader takes
  // them (a full pipe waits for "drain"), so memory stays flat on both sides.
  const send = async (text: string) => {
    if (!process.stdout.write(text)) await once(process.stdout, "drain");
  };
  const version = schemaFlag();
  if (version === undefined) throw new Error("lines needs --schema N");
  try {
    for (const table of tablesAt(version)) {
      if (NOT_CARRIED.has(table.name)) continue;
      let batch = `#table ${table.name}\n`;
      for (const line of db.prepare(sqliteCanonicalSelect(table)).pluck().iterate() as Iterable<string>) {
        batch += line + "\n";
        if (batch.length >= BATCH_CHARS) {
          await send(batch);
          batch = "";
        }
      }
      await send(batch + "\\.\n");
    }
  } finally {
    db.close();
  }
}
