import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { detectBackupType, hasSqliteHeader } from "./detect-backup-type.ts";

const dir = mkdtempSync(join(tmpdir(), "wimm-detect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe("detectBackupType (content, never the name)", () => {
  it("a real SQLite database, whatever its name", () => {
    const path = join(dir, "backup.dump");
    const db = new Database(path);
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    db.close();
    expect(detectBackupType(path)).toBe("sqlite");
  });

  it("a SQLite header alone is not enough", () => {
    const path = file("fake.sqlite3", Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(200, 0xff)]));
    expect(hasSqliteHeader(path)).toBe(true);
    expect(detectBackupType(path)).toBe("unknown");
  });

  it("PGDMP archives, plain pg_dump scripts, and everything else", () => {
    expect(detectBackupType(file("a.sqlite3", Buffer.concat([Buffer.from("PGDMP"), Buffer.from([1, 14, 0])])))).toBe(
      "postgresql",
    );
    expect(
      detectBackupType(file("b.sqlite3", "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n")),
    ).toBe("postgresql-sql");
    expect(detectBackupType(file("c.dump", ""))).toBe("unknown");
    expect(detectBackupType(file("d.dump", "hello"))).toBe("unknown");
    expect(detectBackupType(file("e.sqlite3", Buffer.from("89504e470d0a1a0a", "hex")))).toBe("unknown");
  });
});
