/**
 * Runs in a child process: reads an untrusted SQLite file and prints what it found as JSON.
 * See inspect-isolated.ts. Three kinds of work (a migration runs the last two side by side
 * on two cores):
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE detect
 *     the file's type, the SQLite file opened read-only
 *
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE validate [--checksums]
 *     integrity check, this app's schema, preview (and the checksum of every table)
 *   node --import tsx lib/backup-restore/inspect/inspect-child.ts FILE scan
 *     pre-flight scan for values PostgreSQL would reject or change (no integrity check:
 *     the validate child runs it, and its verdict comes first)
 */
import { preflightScan } from "./preflight.ts";
import { detectBackupType } from "./detect-backup-type.ts";
import { inspectSqliteBackup, openUntrustedSqlite } from "./inspect-sqlite-backup.ts";

const [file, mode, ...flags] = process.argv.slice(2);
if (!file || (mode !== "detect" && mode !== "validate" && mode !== "scan")) {
  process.stderr.write("usage: inspect-child.ts FILE detect|validate|scan [--checksums]\n");
  process.exit(2);
}
if (mode === "detect") {
  process.stdout.write(JSON.stringify({ type: detectBackupType(file) }));
} else if (mode === "validate") {
  const inspection = inspectSqliteBackup(file, { checksums: flags.includes("--checksums") });
  process.stdout.write(JSON.stringify({ inspection }));
} else {
  const db = openUntrustedSqlite(file);
  try {
    process.stdout.write(JSON.stringify({ findings: preflightScan(db) }));
  } finally {
    db.close();
  }
}
