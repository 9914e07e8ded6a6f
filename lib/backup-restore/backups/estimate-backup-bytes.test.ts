import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { estimateBackupBytes, readSqliteSize } from "./estimate-backup-bytes.ts";

describe("estimateBackupBytes", () => {
  it("is the pages of a SQLite database, and the size on disk of a PostgreSQL one", () => {
    expect(estimateBackupBytes({ engine: "sqlite", pageCount: 250, pageSize: 4096 })).toBe(1_024_000);
    expect(estimateBackupBytes({ engine: "postgresql", databaseBytes: 7_654_321 })).toBe(7_654_321);
  });

  it("refuses a size that is not one (a failed read), rather than let any backup through", () => {
    expect(() => estimateBackupBytes({ engine: "postgresql", databaseBytes: Number.NaN })).toThrow(RangeError);
    expect(() => estimateBackupBytes({ engine: "sqlite", pageCount: -1, pageSize: 4096 })).toThrow(RangeError);
  });
});

describe("readSqliteSize on a real database", () => {
  const dir = mkdtempSync(join(tmpdir(), "wimm-estimate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("counts the pages still in the WAL, and is at least the size of a VACUUM INTO copy", () => {
    const live = join(dir, "live.sqlite3");
    const db = new Database(live);
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0"); // keep every write in the -wal, as a busy database does
    db.exec("CREATE TABLE t (x TEXT)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 2_000; i++) insert.run("x".repeat(200));
    db.exec("DELETE FROM t WHERE rowid % 2 = 0"); // free pages the copy will not carry

    const estimate = estimateBackupBytes(readSqliteSize(db));
    expect(estimate).toBeGreaterThan(statSync(live).size); // the main file alone misses the WAL
    const copy = join(dir, "copy.sqlite3");
    db.prepare("VACUUM INTO ?").run(copy);
    expect(statSync(copy).size).toBeLessThanOrEqual(estimate);
    db.close();
  });
});
