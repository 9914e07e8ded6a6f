/**
 * A JSON lines export (`wimm export`, the portable form of the record stream) → PostgreSQL
 * app: `wimm import`. The same loader as every PostgreSQL restore — one transaction that
 * rebuilds the schema, streams every record in with COPY and compares every table with the
 * manifest's checksums before COMMIT — fed from the export's files.
 */
import { jsonLinesSource } from "../engine/json-lines.ts";
import { loadIntoPostgres } from "../engine/load-into-postgres.ts";
import { inTableOrder } from "../engine/records.ts";
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
    return { ok: true, preview: result.preview, expected: result.checksums, schemaVersion: result.schemaVersion };
  },

  async replace(ctx, { expected, schemaVersion: version }, event) {
    if (ctx.live.engine !== "postgresql") throw new Error("json-lines-to-postgresql needs a PostgreSQL live database");
    // The records must be what the manifest says they are, and land as they streamed in.
    const records = inTableOrder(jsonLinesSource(ctx.file), version);
    const { upgradedFrom, money } = await loadIntoPostgres(ctx.live.url, records, {
      expected,
      event,
      version,
      progress: ctx.progress,
    });
    return { upgradedFrom, money };
  },

  restoreSafetyBackup: postgresqlToPostgresql.restoreSafetyBackup,
};
