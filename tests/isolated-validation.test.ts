/**
 * Untrusted SQLite files are validated in a child process with a time limit: a file that
 * would keep SQLite busy past the limit is refused, and the server process is never blocked.
 */
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import {
  inspectSqliteIsolated,
  readSqliteRowsIsolated,
  scanSqliteIsolated,
} from "../lib/backup-restore/inspect/inspect-isolated.ts";
import { NOT_CARRIED, sqliteLineSource } from "../lib/backup-restore/engine/records.ts";
import { openUntrustedSqlite } from "../lib/backup-restore/inspect/inspect-sqlite-backup.ts";
import { LATEST_SCHEMA_VERSION, TABLES } from "../lib/db/tables.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createTempDir } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);
const tmp = createTempDir("wimm-iso-");
afterAll(() => tmp.cleanup());

it("validates in a child process; past the time limit the child is killed and the file refused", async () => {
  const source = parseDatabaseUrl(`file:${join(tmp.dir, "s.sqlite3")}`);
  await seedDatabase(source, env, { transactions: 20000, memberPassword: "member-password-1" });
  const backup = await createBackup(source, { dir: join(tmp.dir, "b") });

  const ok = await inspectSqliteIsolated(backup.path, { checksums: true });
  expect(ok).toMatchObject({ ok: true, inspection: { ok: true, preview: { family: { name: "My family" } } } });
  const scan = await scanSqliteIsolated(backup.path);
  expect(scan).toMatchObject({ ok: true, findings: [] });
  if (!ok.ok || !ok.inspection.ok) throw new Error("unreachable");
  expect(ok.inspection.checksums.transactions!.rows).toBe(20000);

  // The event loop keeps turning while the child works: the server stays responsive.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  const started = Date.now();
  const slow = await inspectSqliteIsolated(backup.path, { checksums: true, timeoutMs: 50 });
  clearInterval(ticker);
  expect(slow).toMatchObject({ ok: false, reason: "timeout" });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(ticks).toBeGreaterThan(0);
});

it("the migration's rows come from the child: exactly the lines SQLite writes in process, and a reader that dies is an error", async () => {
  const source = parseDatabaseUrl(`file:${join(tmp.dir, "rows.sqlite3")}`);
  // About 1 MB of transaction lines: far more than the pipe holds, so a killed reader has unsent rows.
  await seedDatabase(source, env, { transactions: 10000, memberPassword: "member-password-1" });
  const backup = await createBackup(source, { dir: join(tmp.dir, "rows-backups") });

  const rows = readSqliteRowsIsolated(backup.path, { timeoutMs: 60_000, version: LATEST_SCHEMA_VERSION });
  const db = openUntrustedSqlite(backup.path);
  const inProcess = sqliteLineSource(db);
  try {
    for (const table of TABLES) {
      if (NOT_CARRIED.has(table.name)) continue;
      const fromChild: string[] = [];
      for await (const line of rows.source(table)) fromChild.push(line);
      expect(fromChild, table.name).toEqual([...(inProcess(table) as Iterable<string>)]);
    }
    await rows.finished;
  } finally {
    db.close();
    rows.stop();
  }

  // A reader killed half way: the copy sees an error, never a short table.
  const killed = readSqliteRowsIsolated(backup.path, { timeoutMs: 60_000, version: LATEST_SCHEMA_VERSION });
  const transactions = TABLES.find((t) => t.name === "transactions")!;
  const read = async () => {
    for (const table of TABLES) {
      if (NOT_CARRIED.has(table.name)) continue;
      for await (const line of killed.source(table)) if (table === transactions && line) killed.stop();
    }
  };
  await expect(read()).rejects.toThrow(/the SQLite reader/);
  await expect(killed.finished).rejects.toThrow(/the SQLite reader stopped/);
});
