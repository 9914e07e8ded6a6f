/**
 * SQLite backup → PostgreSQL app: the migration (the original spec's "Cenário 2").
 *
 * Everything after the safety dump happens in ONE PostgreSQL transaction: drop the app's
 * tables, recreate the schema, stream every row in with COPY, rebuild keys, indexes and
 * foreign keys, reset the sequences, and compare the checksum of every table with the
 * source's before COMMIT. Until COMMIT the old data is intact and any failure (a value
 * PostgreSQL rejects, a broken key, a killed process) rolls back to it by itself.
 */
import { log } from "../../log.ts";
import { migrateIntoPostgres } from "../engine/migrate-into-postgres.ts";
import { describeFindings } from "../inspect/preflight.ts";
import { inspectSqliteIsolated, readSqliteRowsIsolated, scanSqliteIsolated } from "../inspect/inspect-isolated.ts";
import { postgresqlToPostgresql } from "./postgresql-to-postgresql.ts";
import type { ScenarioModule } from "./types.ts";

export const sqliteToPostgresql: ScenarioModule = {
  name: "sqlite-to-postgresql",
  logTag: "PG_MIGRATION",
  // migrateIntoPostgres compares every table's checksum with the source's before COMMIT.
  verifiesBeforeCommit: true,

  async inspect(ctx) {
    log("PG_MIGRATION", "validating the SQLite file (integrity check, schema) and, beside it, the pre-flight scan");
    // Two children on two cores; the verdict of the integrity check comes first.
    const limit = { timeoutMs: ctx.validateTimeoutMs };
    const [validated, scanned] = await Promise.all([
      inspectSqliteIsolated(ctx.file, limit),
      scanSqliteIsolated(ctx.file, limit),
    ]);
    if (!validated.ok) return { ok: false, code: "SQLITE_CORRUPT", details: validated.details };
    if (!validated.inspection.ok) return validated.inspection;
    if (!scanned.ok) return { ok: false, code: "SQLITE_CORRUPT", details: scanned.details };
    if (scanned.findings.length)
      return { ok: false, code: "PREFLIGHT_FAILED", details: describeFindings(scanned.findings) };
    // The source's checksums come out of the copy itself and are compared before COMMIT.
    return { ok: true, preview: validated.inspection.preview, expected: {} };
  },

  async replace(ctx) {
    if (ctx.live.engine !== "postgresql") throw new Error("sqlite-to-postgresql needs a PostgreSQL live database");
    // The rows come from the isolated child (one core formats, the other ingests); this
    // process never opens the uploaded file.
    const rows = readSqliteRowsIsolated(ctx.file, { timeoutMs: ctx.pgRestoreTimeoutMs });
    try {
      await migrateIntoPostgres(ctx.live.url, rows.source);
      await rows.finished;
    } finally {
      rows.stop();
    }
  },

  restoreSafetyBackup: postgresqlToPostgresql.restoreSafetyBackup,
};
