/**
 * A JSON lines export (`wimm export`, the portable form of the record stream) → PostgreSQL
 * app: `wimm import`. The same load as the SQLite migration — one PostgreSQL transaction
 * that recreates the schema, streams every record in with COPY and compares every table
 * with the manifest's checksums before COMMIT — fed from the export's files instead.
 */
import { jsonLinesSource } from "../engine/json-lines.ts";
import { migrateIntoPostgres } from "../engine/migrate-into-postgres.ts";
import { inspectJsonLines } from "../inspect/inspect-json-lines.ts";
import { postgresqlToPostgresql } from "./postgresql-to-postgresql.ts";
import type { ScenarioModule } from "./types.ts";

export const jsonLinesToPostgresql: ScenarioModule = {
  name: "json-lines-to-postgresql",
  logTag: "IMPORT",
  verifiesBeforeCommit: true,

  async inspect(ctx) {
    const result = await inspectJsonLines(ctx.file);
    if (!result.ok) return result;
    return { ok: true, preview: result.preview, expected: result.checksums };
  },

  async replace(ctx, expected) {
    if (ctx.live.engine !== "postgresql") throw new Error("json-lines-to-postgresql needs a PostgreSQL live database");
    // The records must be what the manifest says they are, and land as they streamed in.
    await migrateIntoPostgres(ctx.live.url, jsonLinesSource(ctx.file), { expected });
  },

  restoreSafetyBackup: postgresqlToPostgresql.restoreSafetyBackup,
};
