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
import { sqliteLineSource } from "../../migration/copy-to-postgres.ts";
import { migrateIntoPostgres } from "../../migration/migrate-into-postgres.ts";
import { describeFindings } from "../../migration/preflight.ts";
import { inspectSqliteIsolated } from "../inspect-isolated.ts";
import { postgresqlToPostgresql } from "./postgresql-to-postgresql.ts";
import { openUntrustedSqlite } from "../inspect-sqlite-backup.ts";
import type { ScenarioModule } from "./types.ts";

export const sqliteToPostgresql: ScenarioModule = {
  name: "sqlite-to-postgresql",

  async inspect(ctx) {
    log(
      "PG_MIGRATION",
      "validating the SQLite file (integrity check, schema) and scanning it for values PostgreSQL would reject or change",
    );
    const isolated = await inspectSqliteIsolated(ctx.file, { preflight: true });
    if (!isolated.ok) return { ok: false, code: "SQLITE_CORRUPT", details: isolated.details };
    const result = isolated.inspection;
    if (!result.ok) return result;
    if (isolated.findings?.length)
      return { ok: false, code: "PREFLIGHT_FAILED", details: describeFindings(isolated.findings) };
    // The expected checksums are computed while streaming (replace returns them).
    return { ok: true, preview: result.preview, expected: {} };
  },

  async replace(ctx) {
    if (ctx.live.engine !== "postgresql") throw new Error("sqlite-to-postgresql needs a PostgreSQL live database");
    const sqlite = openUntrustedSqlite(ctx.file);
    try {
      const { sourceChecksums } = await migrateIntoPostgres(ctx.live.url, sqliteLineSource(sqlite), { verify: true });
      return { sourceChecksums, verified: true };
    } finally {
      sqlite.close();
    }
  },

  restoreSafetyBackup: postgresqlToPostgresql.restoreSafetyBackup,
};
