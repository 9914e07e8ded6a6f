/**
 * The compiled command line (scripts/build-cli.mjs, bin/wimm): it runs without a TypeScript
 * transpiler, it is never run stale, and processes started together build it once.
 *
 * Each test works on a copy of the code (lib/, bin/, the build script, the migrations) whose
 * node_modules holds every package of the real one but tsx: anything in the compiled path
 * that still needed a transpiler — the CLI, the isolated SQLite child, the Prisma chunk —
 * would fail there instead of quietly working.
 */
import { spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { REPO_ROOT, type CliResult } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, describePostgres } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-cli-build-");
afterAll(() => tmp.cleanup());

/** A copy of the code the CLI is built from, with a node_modules that has no tsx. */
function copyOfTheCode(name: string): string {
  const root = join(tmp.dir, name);
  mkdirSync(join(root, "scripts"), { recursive: true });
  for (const path of ["lib", "bin", "prisma/migrations", "scripts/build-cli.mjs", "tsconfig.json", "package.json"])
    cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
  mkdirSync(join(root, "node_modules"));
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules")))
    if (entry !== "tsx" && entry !== ".bin")
      symlinkSync(join(REPO_ROOT, "node_modules", entry), join(root, "node_modules", entry));
  // Dated a minute ago, like a checkout made earlier: a build is stamped a second before it
  // starts, so a tree copied just now would (rightly) count as newer than the first build.
  const earlier = new Date(Date.now() - 60_000);
  for (const entry of readdirSync(root, { recursive: true, encoding: "utf8" }))
    if (!entry.startsWith("node_modules")) utimesSync(join(root, entry), earlier, earlier);
  return root;
}

/** `<root>/bin/wimm`, with only the environment given (as tests/helpers/cli.ts runs the real one). */
function wimmIn(root: string, args: string[], env: Record<string, string>, stdin = ""): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
    };
    const child = spawn(join(root, "bin", "wimm"), args, {
      cwd: root,
      env: { ...base, ...env } as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        /* the assertions on json say so */
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

const builds = (root: string) => readdirSync(join(root, "build")).filter((e) => e.startsWith("cli-"));
const current = (root: string) => realpathSync(join(root, "build", "cli"));

describe("the compiled command line", () => {
  let root: string;
  const dbPath = () => join(tmp.dir, "live.sqlite3");
  const env = () => ({
    DATABASE_URL: `file:${dbPath()}`,
    WIMM_BACKUP_DIR: join(tmp.dir, "backups"),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  });

  beforeAll(() => {
    root = copyOfTheCode("code");
  });

  it("is built on first use, and seeds, backs up and restores through the compiled child without tsx", async () => {
    const seeded = await wimmIn(root, ["seed", "--transactions", "250"], env());
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stderr).not.toMatch(/\[CLI\]/); // compiled, not the tsx fallback
    expect(builds(root)).toHaveLength(1);
    expect(readdirSync(current(root))).toEqual(expect.arrayContaining(["main.mjs", "inspect-child.mjs", "built-at"]));

    const before = await computeChecksums(parseDatabaseUrl(`file:${dbPath()}`));
    const info = await wimmIn(root, ["info"], env());
    expect(info.code, info.stderr).toBe(0);
    expect(info.json).toMatchObject({ engine: "sqlite", schemaVersion: 2, family: "My family" });
    expect((info.json as { rows: Record<string, number> }).rows).toMatchObject({ transactions: 250, users: 2 });

    const backup = await wimmIn(root, ["backup"], env());
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.json).toMatchObject({ verified: true });
    const file = (backup.json as { path: string }).path;
    // detect and restore open the file only in the isolated child: the compiled one.
    const detect = await wimmIn(root, ["detect", file], env());
    expect(detect.json).toMatchObject({ type: "sqlite", schemaVersion: 2 });
    const restored = await wimmIn(root, ["restore", file], env());
    expect(restored.code, restored.stderr.slice(-2000)).toBe(0);
    expect(restored.json).toMatchObject({ success: true, scenario: "sqlite-to-sqlite" });
    const after = await computeChecksums(parseDatabaseUrl(`file:${dbPath()}`));
    expect(diffChecksums(before, after, ["sessions", "events"])).toEqual([]);
    // Reset-password opens a Prisma client: the split chunk with Prisma's Wasm compiler loads.
    const reset = await wimmIn(root, ["reset-password", "maria"], env(), "a-new-password-2\n");
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json).toMatchObject({ success: true, username: "maria" });
    // Still the one build: nothing it was built from changed.
    expect(builds(root)).toHaveLength(1);
  });

  it("never runs a stale build: an edited source is compiled again before the command runs", async () => {
    const first = current(root);
    const commands = join(root, "lib", "cli", "commands.ts");
    const source = readFileSync(commands, "utf8");
    expect(source).toContain('"usage: ./bin/wimm <command> [options]"');
    writeFileSync(commands, source.replace("usage: ./bin/wimm <command>", "usage: ./bin/wimm (edited) <command>"));
    const help = await wimmIn(root, ["help"], env());
    expect(help.code).toBe(0);
    expect(help.stderr).toContain("usage: ./bin/wimm (edited) <command>");
    expect(current(root)).not.toBe(first);
    // The build it replaced stays (a command started from it may still need its chunks).
    expect(builds(root)).toHaveLength(2);
  });

  it("builds once when several commands start together after an edit", async () => {
    const before = builds(root).length;
    const commands = join(root, "lib", "cli", "commands.ts");
    writeFileSync(commands, readFileSync(commands, "utf8").replace("(edited)", "(edited twice)"));
    const runs = await Promise.all([1, 2, 3, 4].map(() => wimmIn(root, ["info"], env())));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ family: "My family" });
    }
    expect(builds(root)).toHaveLength(before + 1);
    expect((await wimmIn(root, ["help"], env())).stderr).toContain("(edited twice)");
  });

  it("runs the sources through tsx, saying so, when it cannot build", async () => {
    const other = copyOfTheCode("unbuildable");
    // tsx back, and no place to build: build/ is a file.
    symlinkSync(join(REPO_ROOT, "node_modules", "tsx"), join(other, "node_modules", "tsx"));
    writeFileSync(join(other, "build"), "not a directory\n");
    const info = await wimmIn(other, ["info"], env());
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toMatch(/\[CLI\] build\/cli could not be compiled .*running the sources through tsx/);
    expect(info.json).toMatchObject({ engine: "sqlite", family: "My family" });
  });
});

describePostgres("the compiled command line on PostgreSQL", () => {
  it("info, a backup and its restore: Prisma's PostgreSQL client and pg_restore from the compiled CLI", async () => {
    const root = copyOfTheCode("code-pg");
    const live = await createPostgresTarget();
    try {
      const env = { DATABASE_URL: live.target.url, WIMM_BACKUP_DIR: join(tmp.dir, "pg-backups") };
      const seeded = await wimmIn(root, ["seed", "--transactions", "120"], env);
      expect(seeded.code, seeded.stderr).toBe(0);
      const info = await wimmIn(root, ["info"], env);
      expect(info.code, info.stderr).toBe(0);
      expect(info.json).toMatchObject({ engine: "postgresql", superuser: false, family: "My family" });
      expect((info.json as { rows: Record<string, number> }).rows).toMatchObject({ transactions: 120 });
      const before = await computeChecksums(live.target);
      const backup = await wimmIn(root, ["backup"], env);
      expect(backup.code, backup.stderr).toBe(0);
      const restored = await wimmIn(root, ["restore", (backup.json as { path: string }).path], env);
      expect(restored.code, restored.stderr.slice(-2000)).toBe(0);
      expect(restored.json).toMatchObject({ success: true, scenario: "postgresql-to-postgresql" });
      expect(diffChecksums(before, await computeChecksums(live.target), ["sessions", "events"])).toEqual([]);
    } finally {
      await live.cleanup();
    }
  });
});
