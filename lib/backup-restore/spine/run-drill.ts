/**
 * A drill: the newest backup in the folder restored into a scratch target — never the live
 * database — through the same inspection and loader a restore uses, upgraded when it is
 * older, checked, and the result recorded ("proven restorable at …" in the catalogue, and
 * the audit trail). A backup nobody ever restored is a hope; a drilled one is a fact.
 *
 *   SQLite backup — a private temp SQLite file: the isolated child validates the file (and
 *                   every value), the SQLite loader builds it at its schema, loads, upgrades
 *                   and verifies; then SQLite's integrity check of the result.
 *   dump          — the archive's table of contents and a full read with the value checks,
 *                   then the PostgreSQL loader into a scratch database, dropped after; when
 *                   the app's role may not create databases (no CREATEDB, as it should run),
 *                   into a scratch schema `wimm_drill_<pid>_<ms>` of the live database (the
 *                   role owns it, so it may create schemas), dropped after. That load never
 *                   touches `public`, the family's live data: its statements resolve names in
 *                   the scratch schema, and before COMMIT the loader proves that its
 *                   transaction neither changed, read nor wrote anything of `public`
 *                   (engine/guard-schema.ts); the drop is checked the same way. Only when the
 *                   role may create neither does the drill stop at the read, and say so.
 * Either way every table's checksum read from the file must equal what was recorded when the
 * backup was verified after writing (sessions and app_meta aside): a file changed since fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { diffChecksums, type Checksums } from "../../db/checksum.ts";
import type { DatabaseTarget } from "../../db/url.ts";
import { log } from "../../log.ts";
import { appendAuditEntry } from "../audit/audit-trail.ts";
import { readDumpRecords } from "../engine/dump-records.ts";
import { findSchemaChanges, readSchemaFootprint } from "../engine/guard-schema.ts";
import { ensurePrivateDir } from "../engine/private-files.ts";
import { loadIntoPostgres } from "../engine/load-into-postgres.ts";
import { backupBytes, scaleTimeLimit } from "../engine/time-limits.ts";
import { LIVE_SCHEMA, checkSchemaName } from "../engine/postgres-schema.ts";
import { loadIntoSqlite } from "../engine/load-into-sqlite.ts";
import { inspectPgArchive } from "../inspect/inspect-pg-archive.ts";
import { inspectSqliteUpload, loadSqliteUpload } from "../scenarios/sqlite-upload.ts";
import { buildRestoreContext, unwrapRequest, type RestoreLimits } from "./restore-context.ts";
import { withUnwrapped } from "../inspect/unwrap-isolated.ts";
import { catalogueEntry, listBackups, recordVerification } from "../backups/catalogue.ts";
import { NOT_COMPARED } from "../backups/verify-backup.ts";
import type { DrillFailureCode } from "../vocabulary.ts";

/** `code` on failures only: what the admins' banner translates (the details are for the log). */
export type DrillResult = {
  ok: boolean;
  file: string | null;
  details: string;
  code?: DrillFailureCode;
  upgradedFrom?: number;
};

export async function runDrill(
  dir: string,
  live: DatabaseTarget,
  limits: RestoreLimits,
  actor = "system",
): Promise<DrillResult> {
  const newest = (await listBackups(dir, { timeoutMs: limits.validateTimeoutMs }))[0];
  if (!newest)
    return finish(dir, actor, {
      ok: false,
      file: null,
      code: "DRILL_NO_BACKUP",
      details: "there is no backup to drill",
    });
  const path = join(dir, newest.file);
  log("DRILL", `drilling ${newest.file}`);
  let result: DrillResult;
  try {
    // A compressed backup is drilled through the file it holds, opened as a restore opens it.
    result = await withUnwrapped(
      path,
      unwrapRequest(path, dir, limits),
      (inner) =>
        newest.engine === "sqlite"
          ? drillSqlite(inner, dir, limits, newest.file)
          : drillDump(inner, live, limits, newest.file),
      (refused): DrillResult => ({
        ok: false,
        file: null,
        code: "DRILL_REFUSED",
        details: `refused: ${refused.code} (${refused.note})`,
      }),
    );
  } catch (error) {
    result = {
      ok: false,
      file: newest.file,
      code: "DRILL_FAILED",
      details: `the drill failed: ${(error as Error).message.slice(0, 300)}`,
    };
  }
  result = { ...result, file: newest.file };
  recordVerification(dir, newest.file, result.ok, `drill ${new Date().toISOString()}: ${result.details}`);
  return finish(dir, actor, result);
}

export type LastDrill = { at: string; ok: boolean; file: string | null; code: DrillFailureCode | null };

/**
 * When the last drill ran and how it went (the scheduler drills weekly from it; the admins'
 * banner shows a failure until a later drill succeeds). A status written before drills had
 * codes reads as DRILL_FAILED when it failed.
 */
export function lastDrill(dir: string): LastDrill | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, "drill-status.json"), "utf8")) as Record<string, unknown>;
    if (typeof parsed.at !== "string" || typeof parsed.ok !== "boolean") return null;
    const file = typeof parsed.file === "string" ? parsed.file : null;
    const code = parsed.ok ? null : (DRILL_CODES.find((c) => c === parsed.code) ?? "DRILL_FAILED");
    return { at: parsed.at, ok: parsed.ok, file, code };
  } catch {
    return null;
  }
}

const DRILL_CODES: readonly DrillFailureCode[] = [
  "DRILL_NO_BACKUP",
  "DRILL_REFUSED",
  "DRILL_FILE_CHANGED",
  "DRILL_CHECK_FAILED",
  "DRILL_NEEDS_POSTGRESQL",
  "DRILL_FAILED",
];

function finish(dir: string, actor: string, result: DrillResult): DrillResult {
  try {
    writeFileSync(
      join(ensurePrivateDir(dir), "drill-status.json"),
      JSON.stringify({ at: new Date().toISOString(), ...result }) + "\n",
      { mode: 0o600 },
    );
  } catch (error) {
    log("DRILL", `could not record the drill's status: ${(error as Error).message}`);
  }
  log("DRILL", `${result.ok ? "proven restorable" : "FAILED"}: ${result.file ?? "-"} — ${result.details}`);
  appendAuditEntry(dir, {
    actor,
    action: "drill",
    result: result.ok ? "ok" : "failed",
    ...(result.file ? { file: result.file } : {}),
    details: result.details,
  });
  return result;
}

/** The file's tables against what its verification recorded: a problem, or null. */
function recordedProblem(dir: string, file: string, read: Checksums): string | null {
  const recorded = catalogueEntry(dir, file)?.checksums;
  if (!recorded) return null;
  const problems = diffChecksums(recorded, read, NOT_COMPARED);
  return problems.length ? `the file differs from what was verified when it was written: ${problems.join("; ")}` : null;
}

/** `file`: the backup's name in the catalogue (`path` may be the file a compressed one holds). */
async function drillSqlite(path: string, dir: string, limits: RestoreLimits, file: string): Promise<DrillResult> {
  const scratchDir = mkdtempSync(join(tmpdir(), "wimm-drill-"));
  const scratch = join(scratchDir, "drill.sqlite3");
  try {
    const ctx = buildRestoreContext(path, { engine: "sqlite", path: scratch, url: `file:${scratch}` }, dir, limits);
    const inspection = await inspectSqliteUpload(ctx);
    if (!inspection.ok)
      return {
        ok: false,
        file: null,
        code: "DRILL_REFUSED",
        details: `refused: ${inspection.code}${inspection.details ? ` (${inspection.details})` : ""}`,
      };
    const changed = recordedProblem(dir, file, inspection.expected);
    if (changed) return { ok: false, file: null, code: "DRILL_FILE_CHANGED", details: changed };
    const version = inspection.schemaVersion;
    const { upgradedFrom } = await loadSqliteUpload(ctx, version, (records) =>
      loadIntoSqlite(scratch, records, { expected: inspection.expected, version }),
    );
    const db = new Database(scratch, { readonly: true });
    try {
      const integrity = db.pragma("integrity_check", { simple: true });
      if (integrity !== "ok")
        return {
          ok: false,
          file: null,
          code: "DRILL_CHECK_FAILED",
          details: `the restored copy: ${String(integrity)}`,
        };
    } finally {
      db.close();
    }
    return {
      ok: true,
      file: null,
      details: `restored into a scratch file${upgradedFrom ? `, upgraded from schema ${upgradedFrom}` : ""}; every table checked`,
      ...(upgradedFrom ? { upgradedFrom } : {}),
    };
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function drillDump(
  path: string,
  live: DatabaseTarget,
  limits: RestoreLimits,
  file: string,
): Promise<DrillResult> {
  if (live.engine !== "postgresql")
    return {
      ok: false,
      file: null,
      code: "DRILL_NEEDS_POSTGRESQL",
      details: "a dump is drilled on a PostgreSQL instance (pg_restore checks it against the server)",
    };
  const dir = path.slice(0, path.lastIndexOf("/"));
  const timeoutMs = scaleTimeLimit(limits.pgRestoreTimeoutMs, backupBytes(path));
  const inspection = await inspectPgArchive(path, live.url, { timeoutMs });
  if (!inspection.ok)
    return {
      ok: false,
      file: null,
      code: "DRILL_REFUSED",
      details: `refused: ${inspection.code}${inspection.details ? ` (${inspection.details})` : ""}`,
    };
  const changed = recordedProblem(dir, file, inspection.checksums);
  if (changed) return { ok: false, file: null, code: "DRILL_FILE_CHANGED", details: changed };
  const scratch = (await createScratchDatabase(live.url)) ?? (await createScratchSchema(live.url));
  if (!scratch)
    return {
      ok: true,
      file: null,
      details:
        "read in full and every value checked; not loaded (the app's role may create neither a scratch database nor a scratch schema)",
    };
  try {
    const version = inspection.schemaVersion;
    const { upgradedFrom } = await loadIntoPostgres(scratch.url, readDumpRecords(path, { timeoutMs, version }), {
      expected: inspection.checksums,
      version,
      ...(scratch.schema ? { schema: scratch.schema } : {}),
    });
    const into = scratch.schema
      ? `a scratch schema (${scratch.schema}; the app's role may not create databases), ${LIVE_SCHEMA} untouched`
      : "a scratch database";
    return {
      ok: true,
      file: null,
      details: `restored into ${into}${upgradedFrom ? `, upgraded from schema ${upgradedFrom}` : ""}; every table checked`,
      ...(upgradedFrom ? { upgradedFrom } : {}),
    };
  } finally {
    await scratch.drop();
  }
}

type Scratch = { url: string; schema?: string; drop: () => Promise<void> };

/** A database of the app's own role for the drill, or null when the role may not create one. */
async function createScratchDatabase(url: string): Promise<Scratch | null> {
  const name = `wimm_drill_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    log("DRILL", `no scratch database: ${(error as Error).message}`);
    await client.end();
    return null;
  }
  await client.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * A schema of the live database for the drill, or null when the role may not create one.
 * Created here, committed, so that the drop after the drill can only ever drop what this
 * drill made (CREATE SCHEMA fails on a name that exists). The drop is checked like the
 * load: in one transaction that must leave `public` as it was, or it is rolled back and
 * the drill fails, naming the schema left behind.
 */
async function createScratchSchema(url: string): Promise<Scratch | null> {
  const name = checkSchemaName(`wimm_drill_${process.pid}_${Date.now()}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${name}`);
  } catch (error) {
    log("DRILL", `no scratch schema: ${(error as Error).message}`);
    return null;
  } finally {
    await client.end();
  }
  log("DRILL", `scratch schema ${name} created (the app's role may not create databases)`);
  return {
    url,
    schema: name,
    drop: async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query("BEGIN");
        const live = await readSchemaFootprint(admin, LIVE_SCHEMA);
        await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
        const problems = await findSchemaChanges(admin, live);
        if (problems.length) {
          await admin.query("ROLLBACK");
          throw new Error(`dropping ${name} would have touched ${LIVE_SCHEMA}; left in place: ${problems.join("; ")}`);
        }
        await admin.query("COMMIT");
      } catch (error) {
        await admin.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        await admin.end();
      }
    },
  };
}
