/**
 * `./bin/wimm audit` as an operator or a checker runs it: the trail as a JSON array on
 * stdout, and `--verify` answering with its exit code (0 intact, 1 broken). It reads files
 * only: the database DATABASE_URL names is never created.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendAuditEntry, auditTrailPath, readAuditEntries } from "../lib/backup-restore/audit/audit-trail.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTempDir } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";

const tmp = createTempDir("wimm-cli-audit-");
const dbPath = join(tmp.dir, "never-created.sqlite3");
const backupDir = join(tmp.dir, "backups");
const cliEnv = { DATABASE_URL: `file:${dbPath}`, WIMM_BACKUP_DIR: backupDir };

afterAll(() => tmp.cleanup());

describe("wimm audit", () => {
  it("an absent trail: an empty array, and an intact empty chain", async () => {
    const list = await runWimm(["audit"], { env: cliEnv });
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual([]);
    const verify = await runWimm(["audit", "--verify"], { env: cliEnv });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json).toEqual({ ok: true, entries: 0 });
  });

  it("prints the entries, newest last; --limit N the newest N", async () => {
    for (const action of ["backup", "verify", "restore"] as const) {
      const appended = appendAuditEntry(backupDir, { actor: "cli", action, result: "ok", file: "wimm-x.sqlite3" });
      expect(appended.ok).toBe(true);
    }
    const list = await runWimm(["audit"], { env: cliEnv });
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual(await readAuditEntries(backupDir));
    expect((list.json as { seq: number; action: string }[]).map((e) => [e.seq, e.action])).toEqual([
      [1, "backup"],
      [2, "verify"],
      [3, "restore"],
    ]);
    const limited = await runWimm(["audit", "--limit", "2"], { env: cliEnv });
    expect((limited.json as { seq: number }[]).map((e) => e.seq)).toEqual([2, 3]);
    for (const bad of ["0", "-1", "two"])
      expect((await runWimm(["audit", "--limit", bad], { env: cliEnv })).code).toBe(2);
  });

  it("--verify exits 0 on the intact chain, then 1 with the line after an edit", async () => {
    const intact = await runWimm(["audit", "--verify"], { env: cliEnv });
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.json).toEqual({ ok: true, entries: 3 });

    const path = auditTrailPath(backupDir);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[1] = lines[1]!.replace('"result":"ok"', '"result":"failed"');
    writeFileSync(path, lines.join("\n"));
    const broken = await runWimm(["audit", "--verify"], { env: cliEnv });
    expect(broken.code).toBe(1);
    expect(broken.json).toMatchObject({
      ok: false,
      entries: 3,
      brokenAt: 2,
      details: expect.stringContaining("line 2"),
    });
    expect(broken.stderr).toContain("broken");
  });

  it("never needed the database", () => {
    expect(existsSync(dbPath)).toBe(false);
  });
});
