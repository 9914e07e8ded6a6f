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
 *
 * `options.schema` names another target schema of the same database (a drill's scratch
 * schema, when the app's role may not create a scratch database): the same steps, there.
 * Every statement names its tables unqualified, resolved through a search path of the
 * target alone (the migrations also see pg_trgm's schema: postgres-schema.ts); and before
 * COMMIT the loader proves that this transaction neither changed nor read nor wrote
 * anything of `public` (guard-schema.ts), or rolls back.
 */
import pg from "pg";
import { diffChecksums, postgresChecksums } from "../../db/checksum.ts";
import { latestSchemaVersion, migratePostgres } from "../../db/migrate.ts";
import { tablesAt } from "../../db/tables.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";
import { RESTORE_APPLICATION_NAME } from "./pg-tools.ts";
import { copyTablesToPostgres } from "./copy-to-postgres.ts";
import { BalanceTally, checkPostgresBalances } from "./money-check.ts";
import { endSessionsAndRecordPostgres } from "./record-event.ts";
import type { LoadOptions, LoadResult, RecordSource } from "./records.ts";
import { findSchemaChanges, readSchemaFootprint } from "./guard-schema.ts";
import {
  LIVE_SCHEMA,
  applyDeferredDdl,
  checkSchemaName,
  recreateBareSchema,
  resetSequences,
  setTargetSearchPath,
  withMigrationSearchPath,
} from "./postgres-schema.ts";
import { BACKUP_CREATED_AT_KEY, carriedMetaKeys, loaderMetaRows, survivingTables } from "./upgrade-steps.ts";

export type MigrationTimings = Record<
  "schema" | "copy" | "keys" | "sequences" | "verify" | "upgrade" | "balances" | "commit",
  number
>;

/** app_meta as the loader writes it (upgrade-steps.ts): the backup's meaningful keys, then its own. */
async function writeAppMeta(client: pg.ClientBase, version: number, mode: LoadOptions["appMeta"]) {
  if (mode === "keep") {
    await client.query("DELETE FROM app_meta WHERE key = $1", [BACKUP_CREATED_AT_KEY]);
    return;
  }
  await client.query("DELETE FROM app_meta WHERE NOT (key = ANY($1::text[]))", [[...carriedMetaKeys(version)]]);
  for (const [key, value] of loaderMetaRows(version))
    await client.query("INSERT INTO app_meta (key, value) VALUES ($1, $2)", [key, value]);
}

/** The later migrations over the loaded rows; every surviving column must read back as before. */
async function upgrade(client: pg.ClientBase, from: number, to: number, schema: string): Promise<number> {
  const surviving = survivingTables(from, to);
  const before = await postgresChecksums(client, surviving);
  crashPoint("mid-upgrade"); // test-only: dies with the old rows in, not yet upgraded
  const applied = await withMigrationSearchPath(client, schema, () => migratePostgres(client, from, to));
  const problems = diffChecksums(before, await postgresChecksums(client, surviving));
  if (problems.length) throw new Error(`the upgrade to schema ${to} changed rows: ${problems.join("; ")}`);
  log("PG_MIGRATION", `upgraded from schema ${from} to ${to} (${applied.join(", ")}); every row kept`);
  return from;
}

export async function loadIntoPostgres(
  url: string,
  records: RecordSource,
  options: LoadOptions = {},
): Promise<LoadResult & { timings: MigrationTimings }> {
  const latest = latestSchemaVersion("postgresql");
  const version = options.version ?? latest;
  const schema = checkSchemaName(options.schema ?? LIVE_SCHEMA);
  const tables = tablesAt(version);
  const timings: MigrationTimings = {
    schema: 0,
    copy: 0,
    keys: 0,
    sequences: 0,
    verify: 0,
    upgrade: 0,
    balances: 0,
    commit: 0,
  };
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
    // Only the target schema is looked in: no other schema's object can stand in for one.
    await setTargetSearchPath(client, schema);
    // Loading beside the live data: what `public` is now, to prove before COMMIT it still is.
    const live = schema === LIVE_SCHEMA ? null : await readSchemaFootprint(client, LIVE_SCHEMA);
    const deferred = await recreateBareSchema(client, version, schema);
    lap("schema");
    const tally = new BalanceTally();
    const sourceChecksums = await copyTablesToPostgres(client, records, version, tally, options.progress);
    lap("copy");
    options.progress?.enter("indexes");
    await applyDeferredDdl(client, deferred);
    lap("keys");
    await resetSequences(client, schema);
    lap("sequences");
    options.progress?.enter("verify");
    if (options.expected) {
      // The records must be what their producer said they were (a JSON lines manifest).
      const problems = diffChecksums(options.expected, sourceChecksums, ["sessions"]);
      if (problems.length) throw new Error(`the records differ from the backup's: ${problems.join("; ")}`);
    }
    if (options.verify !== false) {
      // Every table, as PostgreSQL now holds it, against what streamed in.
      const problems = diffChecksums(sourceChecksums, await postgresChecksums(client, tables));
      if (problems.length) throw new Error(`verification failed before commit: ${problems.join("; ")}`);
      log("PG_MIGRATION", "row counts and checksums of every table match the source");
    }
    lap("verify");
    await writeAppMeta(client, version, options.appMeta);
    const upgradedFrom = version < latest ? await upgrade(client, version, latest, schema) : undefined;
    lap("upgrade");
    // After the upgrade: no migration may have moved a cent either.
    const money = await checkPostgresBalances(client, tally, options.appMeta);
    log("PG_MIGRATION", `${money.accounts} account(s), balances equal to the backup's`);
    lap("balances");
    // The fresh schema holds no session; the event commits with the data.
    if (options.event) await endSessionsAndRecordPostgres(client, options.event);
    if (live) {
      const problems = await findSchemaChanges(client, live);
      if (problems.length) throw new Error(`the load into ${schema} touched the live schema: ${problems.join("; ")}`);
      log("PG_MIGRATION", `loaded into ${schema}; ${LIVE_SCHEMA} neither changed, read nor written`);
    }
    crashPoint("before-commit");
    await client.query("COMMIT");
    lap("commit");
    log("PG_MIGRATION", `committed; timings (ms): ${JSON.stringify(timings)}`);
    return { sourceChecksums, money, timings, ...(upgradedFrom !== undefined ? { upgradedFrom } : {}) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
