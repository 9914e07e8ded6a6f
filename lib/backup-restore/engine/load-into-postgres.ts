/**
 * The loader for a PostgreSQL live database, the same for every scenario (a dump, a SQLite
 * file, a JSON lines export, and the rollback to a safety dump): in ONE transaction,
 * recreate the `public` schema from the app's committed migrations (everything else in it —
 * a function, a trigger, a constraint or index planted earlier — goes with the old schema),
 * stream every block of the record stream in with COPY, rebuild keys, indexes and foreign
 * keys, reset the sequences past the largest ids, compare every table's checksum with what
 * streamed in (and with what the backup promised), then end every session and record the
 * event, and only then COMMIT. Until COMMIT the database still holds its old data; a failure
 * anywhere, a killed process included, leaves it as it was.
 * Nothing of the backup but its rows is used: no DDL, no COPY statement, no sequence value.
 */
import pg from "pg";
import { diffChecksums, postgresChecksums, type Checksums } from "../../db/checksum.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";
import { RESTORE_APPLICATION_NAME } from "./pg-tools.ts";
import { copyTablesToPostgres } from "./copy-to-postgres.ts";
import { endSessionsAndRecordPostgres } from "./record-event.ts";
import type { LoadOptions, RecordSource } from "./records.ts";
import { applyDeferredDdl, recreateBareSchema, resetSequences } from "./postgres-schema.ts";

export type MigrationTimings = Record<"schema" | "copy" | "keys" | "sequences" | "verify" | "commit", number>;

export async function loadIntoPostgres(
  url: string,
  records: RecordSource,
  options: LoadOptions = {},
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
    // Only the app's own schema is looked in: no other schema's object can stand in for one.
    await client.query("SET LOCAL search_path = public");
    const deferred = await recreateBareSchema(client);
    lap("schema");
    const sourceChecksums = await copyTablesToPostgres(client, records);
    lap("copy");
    await applyDeferredDdl(client, deferred);
    lap("keys");
    await resetSequences(client);
    lap("sequences");
    if (options.expected) {
      // The records must be what their producer said they were (a JSON lines manifest).
      const problems = diffChecksums(options.expected, sourceChecksums, ["sessions"]);
      if (problems.length) throw new Error(`the records differ from the backup's: ${problems.join("; ")}`);
    }
    if (options.verify !== false) {
      // Every table, as PostgreSQL now holds it, against what streamed in.
      const problems = diffChecksums(sourceChecksums, await postgresChecksums(client));
      if (problems.length) throw new Error(`verification failed before commit: ${problems.join("; ")}`);
      log("PG_MIGRATION", "row counts and checksums of every table match the source; committing");
    }
    // The fresh schema holds no session; the event commits with the data.
    if (options.event) await endSessionsAndRecordPostgres(client, options.event);
    lap("verify");
    crashPoint("before-commit");
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
