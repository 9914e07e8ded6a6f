/**
 * (a′) of `npm run bench`: the copy phase of the SQLite → PostgreSQL migration alone, in its
 * own process so its time and memory are measured apart from the benchmark's:
 *
 *   node --import tsx scripts/bench/copy-phase.ts <source.sqlite3> <postgresql url>
 *
 * Export + import + keys/indexes/foreign keys + sequences, exactly the functions the restore
 * scenario calls (lib/migration), without the checksum comparison. The file is opened as
 * the scenario opens it (read-only, untrusted-file pragmas). Prints one JSON object.
 */
import { inTableOrder, sqliteLineSource } from "../../lib/backup-restore/engine/records.ts";
import { loadIntoPostgres } from "../../lib/backup-restore/engine/load-into-postgres.ts";
import { openUntrustedSqlite } from "../../lib/backup-restore/inspect/inspect-sqlite-backup.ts";

const [file, url] = process.argv.slice(2);
if (!file || !url) {
  console.error("usage: copy-phase.ts <source.sqlite3> <postgresql url>");
  process.exit(2);
}

const started = performance.now();
const db = openUntrustedSqlite(file);
try {
  // No `expected` checksums: the comparison before COMMIT is skipped (it belongs to (a)).
  const { timings } = await loadIntoPostgres(url, inTableOrder(sqliteLineSource(db)), { verify: false });
  process.stdout.write(JSON.stringify({ ms: Math.round(performance.now() - started), timings }) + "\n");
} finally {
  db.close();
}
