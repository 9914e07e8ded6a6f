/**
 * Runs in a child process: validates an untrusted SQLite file (and, for a migration, scans
 * it) and prints the result as JSON. See inspectSqliteIsolated in inspect-isolated.ts.
 *
 *   node --import tsx lib/restore/inspect-child.ts FILE [--checksums] [--preflight]
 */
import { inspectSqliteBackup, openUntrustedSqlite } from "./inspect-sqlite-backup.ts";
import { preflightScan } from "../migration/preflight.ts";

const [file, ...flags] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: inspect-child.ts FILE [--checksums] [--preflight]\n");
  process.exit(2);
}
const inspection = inspectSqliteBackup(file, { checksums: flags.includes("--checksums") });
let findings: ReturnType<typeof preflightScan> | undefined;
if (inspection.ok && flags.includes("--preflight")) {
  const db = openUntrustedSqlite(file);
  try {
    findings = preflightScan(db);
  } finally {
    db.close();
  }
}
process.stdout.write(JSON.stringify({ inspection, findings }));
