/**
 * pg_dump archive → PostgreSQL app. The archive is inspected without a database
 * (inspect/inspect-pg-archive.ts: its table of contents, then every row through the strict
 * dump reader, with the value checks); after the safety dump, its rows — read again by the
 * same reader, `pg_restore --data-only` into the app's own COPY parser — go through the
 * PostgreSQL loader (engine/load-into-postgres.ts) into a freshly built schema. `pg_restore`
 * never writes to the live database: the archive's DDL, COPY statements and sequence values
 * are never used, so no SQL it carries can run.
 */
import { log } from "../../log.ts";
import { readArchiveMeta, readDumpRecords } from "../engine/dump-records.ts";
import { loadIntoPostgres } from "../engine/load-into-postgres.ts";
import { inspectPgArchive } from "../inspect/inspect-pg-archive.ts";
import type { RestoreContext, ScenarioModule } from "./types.ts";

function liveUrl(ctx: RestoreContext): string {
  if (ctx.live.engine !== "postgresql") throw new Error("postgresql-to-postgresql needs a PostgreSQL live database");
  return ctx.live.url;
}

export const postgresqlToPostgresql: ScenarioModule = {
  name: "postgresql-to-postgresql",
  logTag: "PG_RESTORE",
  verifiesBeforeCommit: true,

  async inspect(ctx) {
    const result = await inspectPgArchive(ctx.file, liveUrl(ctx), {
      timeoutMs: ctx.pgRestoreTimeoutMs,
      // A dump says nothing of its row count up front: rows checked, of a total not known.
      ...(ctx.progress ? { onRows: (done: number) => ctx.progress?.report(done, null) } : {}),
    });
    if (!result.ok) return result;
    return { ok: true, preview: result.preview, expected: result.checksums, schemaVersion: result.schemaVersion };
  },

  async replace(ctx, { expected, schemaVersion: version }, event) {
    log("PG_RESTORE", `loading the rows of ${ctx.file} (schema ${version})`);
    const records = readDumpRecords(ctx.file, { timeoutMs: ctx.pgRestoreTimeoutMs, version });
    const { upgradedFrom, money } = await loadIntoPostgres(liveUrl(ctx), records, {
      expected,
      event,
      version,
      progress: ctx.progress,
    });
    return { upgradedFrom, money };
  },

  async restoreSafetyBackup(ctx, safetyBackupPath, event) {
    log("PG_RESTORE", `rolling back: loading the rows of ${safetyBackupPath}`);
    // The app's own dump of the live database, at the schema the live database had.
    const meta = await readArchiveMeta(safetyBackupPath, { timeoutMs: ctx.pgRestoreTimeoutMs });
    const version = Number(meta.get("schema_version"));
    const records = readDumpRecords(safetyBackupPath, { timeoutMs: ctx.pgRestoreTimeoutMs, version });
    await loadIntoPostgres(liveUrl(ctx), records, { event, version, appMeta: "keep" });
  },
};
