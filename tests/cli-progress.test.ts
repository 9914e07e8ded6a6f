/**
 * `./bin/wimm restore FILE --progress=json` (issue 14's contract), through the real CLI on
 * real files: stderr carries nothing but JSON lines; progress lines name the phases in
 * order, `done` never decreases within a phase, each phase ends at its total, and the copy
 * phase's total is the backup's own row count (by SQL). On SQLite a restore in place, on
 * PostgreSQL the migration of the same SQLite file.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_CARRIED } from "../lib/backup-restore/engine/records.ts";
import { RESTORE_PHASES, type ProgressEvent } from "../lib/backup-restore/vocabulary.ts";
import { runWimm } from "./helpers/cli.ts";
import { TABLES } from "../lib/db/tables.ts";
import { createTarget, createTempDir, enginesUnderTest, querySql } from "./helpers/databases.ts";

const TRANSACTIONS = 60_000;
const tmp = createTempDir("wimm-cli-progress-");
afterAll(() => tmp.cleanup());

type Line = ProgressEvent | { log: string };

/** Every stderr line as JSON; a line that is not JSON fails the test here. */
function parseStderr(stderr: string): Line[] {
  return stderr
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`stderr line is not JSON: ${l}`);
      }
    });
}

/** The contract, checked on one run's progress lines. */
function checkProgress(events: ProgressEvent[], rows: number) {
  const phases = events.map((e) => e.phase).filter((p, i, all) => all.indexOf(p) === i);
  expect(phases).toEqual(["validate", "lock", "safety-backup", "copy", "indexes", "verify", "finish"]);
  // Phases never come back once left.
  const order = events.map((e) => RESTORE_PHASES.indexOf(e.phase));
  for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThanOrEqual(order[i - 1]!);
  for (const phase of phases) {
    const mine = events.filter((e) => e.phase === phase);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.done).toBeGreaterThanOrEqual(mine[i - 1]!.done);
    for (const e of mine) if (e.total !== null) expect(e.done).toBeLessThanOrEqual(e.total);
    const last = mine.at(-1)!;
    expect(last.total, phase).not.toBeNull();
    expect(last.done, phase).toBe(last.total);
  }
  const copy = events.filter((e) => e.phase === "copy");
  expect(copy[0]).toEqual({ phase: "copy", done: 0, total: rows });
  expect(copy.at(-1)).toEqual({ phase: "copy", done: rows, total: rows });
}

/** Rows of the carried tables of a SQLite file, by SQL: what the copy phase must count. */
function carriedRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return tables
      .filter((t) => !NOT_CARRIED.has(t) && t !== "_prisma_migrations")
      .reduce((sum, t) => sum + (db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number), 0);
  } finally {
    db.close();
  }
}

let source: string;
let sourceRows: number;

beforeAll(async () => {
  source = join(tmp.dir, "source.sqlite3");
  const seeded = await runWimm(["seed", "--transactions", String(TRANSACTIONS)], {
    env: { DATABASE_URL: `file:${source}`, WIMM_ADMIN_PASSWORD: "admin-password-1", WIMM_BACKUP_DIR: tmp.dir },
    timeoutMs: 120_000,
  });
  expect(seeded.code, seeded.stderr).toBe(0);
  sourceRows = carriedRows(source);
  expect(sourceRows).toBeGreaterThan(TRANSACTIONS);
}, 150_000);

describe.each(enginesUnderTest)("wimm restore --progress=json on %s", (engine) => {
  it("writes only JSON lines to stderr, phases in order, each ending at its total", async () => {
    const live = await createTarget(engine);
    try {
      const env = {
        DATABASE_URL: live.target.url,
        WIMM_BACKUP_DIR: join(tmp.dir, `backups-${engine}`),
        WIMM_ADMIN_PASSWORD: "admin-password-2",
      };
      const args = ["restore", source, "--progress=json", ...(engine === "postgresql" ? ["--confirm-migration"] : [])];
      const run = await runWimm(args, { env, timeoutMs: 180_000 });
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect((run.json as { success: boolean }).success).toBe(true);
      const lines = parseStderr(run.stderr);
      const logs = lines.filter((l): l is { log: string } => "log" in l);
      const events = lines.filter((l): l is ProgressEvent => "phase" in l);
      expect(lines.length).toBe(logs.length + events.length);
      // The usual log lines are all there, as JSON.
      expect(logs.some((l) => l.log.includes("safety backup created"))).toBe(true);
      checkProgress(events, sourceRows);
      // Rows were reported on the way, not only at the end: checked, then copied.
      for (const phase of ["validate", "copy"] as const)
        expect(events.some((e) => e.phase === phase && e.done > 0 && e.done < sourceRows)).toBe(true);
      if (engine !== "postgresql") return;

      // A dump of what was migrated, restored: its reader knows no row count up front.
      let liveRows = 0;
      for (const t of TABLES.filter((t) => !NOT_CARRIED.has(t.name)))
        liveRows += Number((await querySql<{ n: number }>(live.target, `SELECT count(*) AS n FROM "${t.name}"`))[0]!.n);
      const made = await runWimm(["backup", "--no-verify"], { env, timeoutMs: 120_000 });
      expect(made.code, made.stderr).toBe(0);
      const dump = await runWimm(["restore", (made.json as { path: string }).path, "--progress=json"], {
        env,
        timeoutMs: 180_000,
      });
      expect(dump.code, dump.stderr.slice(-2000)).toBe(0);
      const dumpEvents = parseStderr(dump.stderr).filter((l): l is ProgressEvent => "phase" in l);
      checkProgress(dumpEvents, liveRows);
      const checked = dumpEvents.filter((e) => e.phase === "validate");
      expect(checked.slice(0, -1).every((e) => e.total === null)).toBe(true);
      expect(checked.some((e) => e.done > 0 && e.done < liveRows)).toBe(true);
    } finally {
      await live.cleanup();
    }
  }, 200_000);
});

describe("wimm restore --progress", () => {
  it("refuses a value it does not know, as a usage error, before anything runs", async () => {
    const run = await runWimm(["restore", source, "--progress=yes"], {
      env: { DATABASE_URL: `file:${join(tmp.dir, "never.sqlite3")}`, WIMM_BACKUP_DIR: join(tmp.dir, "never") },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--progress takes json or off");
  });
});
