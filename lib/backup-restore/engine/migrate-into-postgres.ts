/**
 * The copy phase of the migration as one function: recreate the bare schema, stream every
 * table in with COPY, rebuild keys, indexes and foreign keys, reset the sequences and —
 * unless told not to — compare every table's checksum with the source's before COMMIT.
 * One transaction: until COMMIT the database still holds its old data.
 * Used by the restore scenario, `wimm import` (JSON lines) and the benchmark.
 */
import pg from "pg";
import { diffChecksums, postgresChecksums, type Checksums } from "../../db/checksum.ts";
import { log } from "../../log.ts";
import { RESTORE_APPLICATION_NAME } from "./pg-tools.ts";
import { copyTablesToPostgres, type LineSource } from "./copy-to-postgres.ts";
import { applyDeferredDdl, recreateBareSchema, resetSequences } from "./postgres-schema.ts";

export type MigrationTimings = Record<"schema" | "copy" | "keys" | "sequences" | "verify" | "commit", number>;

export async function migrateIntoPostgres(
  url: string,
  source: LineSource,
  options: { expected?: Checksums; verify?: boolean } = {},
): Promise<{ sourceChecksums: Checksums; timings: MigrationTimings }> {
  const timings: MigrationTimings = { schema: 0, copy: 0, keys: 0, sequences: 0, verify: 0, commit: 0 };
  let t = performance.now();
  const lap = (phase: keyof MigrationTimings) => {
    const now = performance.now();
    timings[phase] = Math.round(now - t);
    t = now;
  };
  // Named, so that recovery after a crash can find and stop this connection if it lingers.
  const client = new pg.Client({ connectionString: url, application_name: RESTORE_APPLICATION_NAME });
  await client.connect();
  try {
    await client.query("BEGIN");
    // Index builds get room to sort in memory; only for this transaction.
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    const deferred = await recreateBareSchema(client);
    lap("schema");
    const sourceChecksums = await copyTablesToPostgres(client, source);
    lap("copy");
    await applyDeferredDdl(client, deferred);
    lap("keys");
    await resetSequences(client);
    lap("sequences");
    if (options.expected) {
      // The records must be what their producer said they were (a JSON lines manifest).
      const problems = diffChecksums(options.expected, sourceChecksums);
      if (problems.length) throw new Error(`the records differ from their manifest: ${problems.join("; ")}`);
    }
    if (options.verify !== false) {
      // Every table, as PostgreSQL now holds it, against what streamed in.
      const problems = diffChecksums(sourceChecksums, await postgresChecksums(client));
      if (problems.length) throw new Error(`verification failed before commit: ${problems.join("; ")}`);
      log("PG_MIGRATION", "row counts and checksums of every table match the source; committing");
    }
    lap("verify");
    await client.query("COMMIT");
    lap("commit");
    log("PG_MIGRATION", `timings (ms): ${JSON.stringify(timings)}`);
    return { sourceChecksums, timings };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
