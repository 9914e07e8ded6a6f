/**
 * Runs in a child process: reads an untrusted SQLite file and prints what it found as JSON.
 * See inspect-isolated.ts. Four kinds of work (a migration runs validate and scan side by
 * side on two cores, then reads the rows with lines):
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE detect
 *     the file's type, the SQLite file opened read-only
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE validate [--checksums]
 *     integrity check, this app's schema, preview (and the checksum of every table)
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE scan
 *     pre-flight scan for values PostgreSQL would reject or change (no integrity check:
 *     the validate child runs it, and its verdict comes first)
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE lines
 *     the rows of every carried table as canonical COPY lines (the migration's copy reads
 *     them from here, so the restoring process never opens the file): per table a line
 *     `#table <name>`, its rows, and `\.` (never a canonical line: a backslash in data is
 *     doubled)
 */
import { once } from "node:events";
import { sqliteCanonicalSelect } from "../../db/checksum.ts";
import { TABLES } from "../../db/tables.ts";
import { NOT_CARRIED } from "../engine/records.ts";
import { preflightScan } from "./preflight.ts";
import { detectBackupType } from "./detect-backup-type.ts";
import { inspectSqliteBackup, openUntrustedSqlite } from "./inspect-sqlite-backup.ts";

const BATCH_CHARS = 256 * 1024;

const [file, mode, ...flags] = process.argv.slice(2);
if (!file || !["detect", "validate", "scan", "lines"].includes(mode ?? "")) {
  process.stderr.write("usage: inspect-child.ts FILE detect|validate|scan|lines [--checksums]\n");
  process.exit(2);
}
if (mode === "detect") {
  process.stdout.write(JSON.stringify({ type: detectBackupType(file) }));
} else if (mode === "validate") {
  const inspection = inspectSqliteBackup(file, { checksums: flags.includes("--checksums") });
  process.stdout.write(JSON.stringify({ inspection }));
} else if (mode === "scan") {
  const db = openUntrustedSqlite(file);
  try {
    process.stdout.write(JSON.stringify({ findings: preflightScan(db) }));
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
  try {
    for (const table of TABLES) {
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
