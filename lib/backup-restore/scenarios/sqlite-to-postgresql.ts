/**
 * SQLite backup → PostgreSQL app: the migration (the original spec's "Cenário 2").
 *
 * The upload is inspected by isolated children (sqlite-upload.ts); after the safety dump,
 * its rows — read by another child — go through the PostgreSQL loader
 * (engine/load-into-postgres.ts): ONE transaction that recreates the schema from the
 * committed migrations, streams every row in with COPY, rebuilds keys, indexes and foreign
 * keys, resets the sequences and compares every table with the backup's before COMMIT.
 * Until COMMIT the old data is intact and any failure rolls back to it by itself.
 */
import { log } from "../../log.ts";
import { loadIntoPostgres } from "../engine/load-into-postgres.ts";
import { postgresqlToPostgresql } from "./postgresql-to-postgresql.ts";
import { inspectSqliteUpload, loadSqliteUpload } from "./sqlite-upload.ts";
import type { ScenarioModule } from "./types.ts";

export const sqliteToPostgresql: ScenarioModule = {
  name: "sqlite-to-postgresql",
  logTag: "PG_MIGRATION",
  verifiesBeforeCommit: true,

  async inspect(ctx) {
    log(
      "PG_MIGRATION",
      "validating the SQLite file (integrity check, schema, values) and, beside it, the pre-flight scan",
    );
    return inspectSqliteUpload(ctx);
  },

  async replace(ctx, { expected, schemaVersion: version }, event) {
    if (ctx.live.engine !== "postgresql") throw new Error("sqlite-to-postgresql needs a PostgreSQL live database");
    const url = ctx.live.url;
    return loadSqliteUpload(ctx, version, (records) =>
      loadIntoPostgres(url, records, { expected, event, version, progress: ctx.progress }),
    );
  },

  restoreSafetyBackup: postgresqlToPostgresql.restoreSafetyBackup,
};
