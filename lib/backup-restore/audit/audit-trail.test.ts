import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../tests/helpers/cli.ts";
import { createTempDir } from "../../../tests/helpers/databases.ts";
import { GENESIS_HASH } from "./audit-entry.ts";
import { appendAuditEntry, auditTrailPath, readAuditEntries, verifyAuditTrail } from "./audit-trail.ts";

process.env.WIMM_QUIET = "1";

const tmp = createTempDir("wimm-audit-");
afterAll(() => tmp.cleanup());

let folders = 0;
const newFolder = () => join(tmp.dir, `trail-${++folders}`, "backups");

function appendOk(dir: string, details: string) {
  const result = appendAuditEntry(dir, { actor: "cli", action: "backup", result: "ok", details });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.entry;
}

/** A folder holding a trail of `n` entries; returns its lines (each without its newline). */
function trailOf(n: number): { dir: string; lines: string[] } {
  const dir = newFolder();
  for (let i = 1; i <= n; i++) appendOk(dir, `entry ${i}`);
  const lines = readFileSync(auditTrailPath(dir), "utf8").split("\n").slice(0, -1);
  return { dir, lines };
}

describe("appending and reading", () => {
  it("an absent trail is an intact empty chain, and looking at it creates nothing", async () => {
    const dir = newFolder();
    expect(await verifyAuditTrail(dir)).toEqual({ ok: true, entries: 0 });
    expect(await readAuditEntries(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("chains each entry to the one before, and the chain verifies", async () => {
    const dir = newFolder();
    const first = appendOk(dir, "one");
    const second = appendAuditEntry(dir, {
      actor: "admin",
      action: "restore",
      result: "failed",
      file: "/somewhere/else/wimm-2026-01-01.sqlite3",
      sha256: "AB".repeat(32),
      details: "VERIFY_FAILED; rolled back",
    });
    const third = appendOk(dir, "three");
    expect(first).toMatchObject({ seq: 1, prev: GENESIS_HASH, actor: "cli", action: "backup", details: "one" });
    expect(first.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(second).toMatchObject({
      ok: true,
      entry: { seq: 2, prev: first.hash, file: "wimm-2026-01-01.sqlite3", sha256: "ab".repeat(32) },
    });
    expect(third).toMatchObject({ seq: 3, prev: second.ok && second.entry.hash });

    expect(await verifyAuditTrail(dir)).toEqual({ ok: true, entries: 3 });
    const entries = await readAuditEntries(dir);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[1]).toEqual(second.ok && second.entry);
    expect((await readAuditEntries(dir, { limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
    expect((await readAuditEntries(dir, { limit: 10 })).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("writes one JSON object a line, keys in the canonical order and the hash last", () => {
    const { lines } = trailOf(1);
    expect(lines).toHaveLength(1);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual([
      "seq",
      "at",
      "actor",
      "action",
      "result",
      "details",
      "prev",
      "hash",
    ]);
  });

  it("creates the folder 0700 and the file 0600 (and its lock file 0600)", () => {
    const { dir } = trailOf(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(auditTrailPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "audit.lock.sqlite3")).mode & 0o777).toBe(0o600);
  });

  it("cuts long details instead of losing the entry, and refuses an entry that breaks the schema", () => {
    const dir = newFolder();
    const long = appendAuditEntry(dir, { actor: "system", action: "prune", result: "ok", details: "x".repeat(5000) });
    expect(long.ok && long.entry.details?.length).toBe(1000);
    const bad = appendAuditEntry(dir, { actor: "system", action: "backup", result: "ok", sha256: "not-a-hash" });
    expect(bad).toMatchObject({ ok: false, code: "AUDIT_ENTRY_INVALID" });
    const noActor = appendAuditEntry(dir, { actor: "", action: "backup", result: "ok" });
    expect(noActor).toMatchObject({ ok: false, code: "AUDIT_ENTRY_INVALID" });
    expect(readFileSync(auditTrailPath(dir), "utf8").split("\n")).toHaveLength(2); // one line and the last newline
  });

  it("keeps a newline in the details on its one line", async () => {
    const dir = newFolder();
    appendOk(dir, "first line\nsecond line");
    expect(readFileSync(auditTrailPath(dir), "utf8").split("\n")).toHaveLength(2);
    expect((await readAuditEntries(dir))[0]?.details).toBe("first line\nsecond line");
  });
});

describe("a damaged trail is found, at its first bad line", () => {
  const damages: [string, (lines: string[]) => string, number][] = [
    ["a detail edited", (l) => lines(l.map((x, i) => (i === 2 ? x.replace("entry 3", "entry 9") : x))), 3],
    ["a seq edited", (l) => lines(l.map((x, i) => (i === 3 ? x.replace('"seq":4', '"seq":5') : x))), 4],
    ["a middle line removed", (l) => lines(l.filter((_, i) => i !== 2)), 3],
    ["the first line removed", (l) => lines(l.slice(1)), 1],
    ["a pair reordered", (l) => lines([l[0]!, l[2]!, l[1]!, l[3]!, l[4]!]), 2],
    ["a line duplicated", (l) => lines([l[0]!, l[1]!, l[1]!, l[2]!, l[3]!, l[4]!]), 3],
    ["the last line truncated", (l) => lines(l).slice(0, -12), 5],
    ["the last newline removed", (l) => lines(l).slice(0, -1), 5],
    ["a line that is not JSON", (l) => lines(l.map((x, i) => (i === 3 ? "not json at all" : x))), 4],
    ["a non-JSON line inserted", (l) => lines([l[0]!, "{oops", ...l.slice(1)]), 2],
    ["an empty line", (l) => lines([l[0]!, l[1]!, "", ...l.slice(2)]), 3],
    ["a key added", (l) => lines(l.map((x, i) => (i === 1 ? x.replace("{", '{"note":"hi",') : x))), 2],
    ["an unknown action", (l) => lines(l.map((x, i) => (i === 4 ? x.replace('"backup"', '"party"') : x))), 5],
  ];

  it.each(damages)("%s", async (_name, damage, brokenAt) => {
    const { dir, lines: original } = trailOf(5);
    expect(await verifyAuditTrail(dir)).toEqual({ ok: true, entries: 5 });
    writeFileSync(auditTrailPath(dir), damage(original));
    const verdict = await verifyAuditTrail(dir);
    expect(verdict).toMatchObject({ ok: false, brokenAt, details: expect.stringMatching(`^line ${brokenAt} `) });
  });

  it("reading a damaged trail leaves the bad lines out", async () => {
    const { dir, lines: original } = trailOf(3);
    writeFileSync(auditTrailPath(dir), lines([original[0]!, "garbage", original[2]!]));
    expect((await readAuditEntries(dir)).map((e) => e.seq)).toEqual([1, 3]);
  });
});

describe("appending after damage, and under contention", () => {
  it("refuses to append after a last line that is no entry, and leaves the file as found", () => {
    const { dir, lines: original } = trailOf(2);
    const cut = lines(original).slice(0, -5);
    writeFileSync(auditTrailPath(dir), cut);
    expect(appendAuditEntry(dir, { actor: "cli", action: "backup", result: "ok" })).toMatchObject({
      ok: false,
      code: "AUDIT_TRAIL_BROKEN",
    });
    // A last line longer than one read of the tail: read back across chunks, still no entry.
    const long = `${lines(original)}${"z".repeat(10_000)}\n`;
    writeFileSync(auditTrailPath(dir), long);
    expect(appendAuditEntry(dir, { actor: "cli", action: "backup", result: "ok" })).toMatchObject({
      ok: false,
      code: "AUDIT_TRAIL_BROKEN",
      message: expect.stringContaining("not JSON"),
    });
    expect(readFileSync(auditTrailPath(dir), "utf8")).toBe(long);
  });

  it("chains on to the last line that is an entry even when an earlier line is damaged", async () => {
    const { dir, lines: original } = trailOf(3);
    writeFileSync(auditTrailPath(dir), lines([original[0]!, original[1]!.replace("entry 2", "entry 7"), original[2]!]));
    expect(appendOk(dir, "four").seq).toBe(4);
    expect(await verifyAuditTrail(dir)).toMatchObject({ ok: false, entries: 4, brokenAt: 2 });
  });

  it("waits for the lock, and says so when another process holds it too long", () => {
    const { dir } = trailOf(1);
    const holder = new Database(join(dir, "audit.lock.sqlite3"));
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const started = Date.now();
      const busy = appendAuditEntry(dir, { actor: "cli", action: "backup", result: "ok" }, { lockTimeoutMs: 200 });
      expect(busy).toMatchObject({ ok: false, code: "AUDIT_LOCK_BUSY" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(appendOk(dir, "after").seq).toBe(2);
  });

  it("two processes appending 200 entries each give 400 entries, one intact chain, seq 1..400", async () => {
    const dir = newFolder();
    const children = ["writer-a", "writer-b"].map((actor) => startAppender(dir, 200, actor));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    expect(await verifyAuditTrail(dir)).toEqual({ ok: true, entries: 400 });
    const entries = await readAuditEntries(dir);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const actor of ["writer-a", "writer-b"]) {
      const own = entries.filter((e) => e.actor === actor).map((e) => e.details);
      // Each writer's entries, all there, in the order it wrote them.
      expect(own).toEqual(Array.from({ length: 200 }, (_, i) => `${actor} #${i + 1}`));
    }
  });
});

/** Lines joined as the trail writes them: each one ends with a newline. */
function lines(list: string[]): string {
  return list.map((l) => `${l}\n`).join("");
}

function startAppender(dir: string, count: number, actor: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"),
      join(REPO_ROOT, "tests/helpers/append-audit-entries.ts"),
      dir,
      String(count),
      actor,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, WIMM_QUIET: "1" }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => d.includes("ready") && resolve());
    child.on("error", reject);
    child.on("close", () => reject(new Error(`appender ${actor} exited before it was ready: ${stderr}`)));
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stderr })),
  );
  return { ready, done, go: () => child.stdin.end("go\n") };
}
