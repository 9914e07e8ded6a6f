/**
 * What the compiled CLI loads at start (issue 16): on SQLite, `wimm info` and `wimm backup`
 * load neither the pg driver (with pg-copy-streams) nor the age package; each is imported
 * where it is used (lib/db/pg-driver.ts, engine/wrapped-files.ts), and still is when needed.
 * A resolve hook (helpers/trace-packages.mjs) lists the packages each run imported.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-start-up-");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  tmp.cleanup();
});

const HOOK = pathToFileURL(join(import.meta.dirname, "helpers", "trace-packages.mjs")).href;
let runs = 0;

/** Runs the command with the hook; returns its result and the packages it imported. */
async function traced(args: string[], env: Record<string, string>) {
  const trace = join(tmp.dir, `trace-${++runs}.txt`);
  writeFileSync(trace, "");
  const result = await runWimm(args, { env: { ...env, NODE_OPTIONS: `--import ${HOOK}`, WIMM_TRACE_PACKAGES: trace } });
  const packages = new Set(
    readFileSync(trace, "utf8")
      .split("\n")
      .map((url) => url.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  return { result, packages };
}

async function instance(engine: "sqlite" | "postgresql") {
  const db = await createTarget(engine);
  cleanups.push(db.cleanup);
  const env = {
    DATABASE_URL: db.target.url,
    WIMM_BACKUP_DIR: join(tmp.dir, `${engine}-${runs}`, "backups"),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  };
  // Untraced: it also compiles the CLI when the build is stale, so the traced runs see only the command.
  const seeded = await runWimm(["seed", "--transactions", "20"], { env });
  expect(seeded.code, seeded.stderr).toBe(0);
  return env;
}

describe("what the compiled CLI loads", () => {
  it("info and backup --no-verify on SQLite load no pg, pg-copy-streams or age-encryption; keygen loads age", async () => {
    const env = await instance("sqlite");
    for (const args of [["info"], ["backup", "--no-verify"]]) {
      const { result, packages } = await traced(args, env);
      expect(result.code, result.stderr).toBe(0);
      expect(packages.has("better-sqlite3"), [...packages].join(", ")).toBe(true); // the trace sees imports
      for (const heavy of ["pg", "pg-copy-streams", "age-encryption"]) expect(packages.has(heavy), heavy).toBe(false);
    }
    expect((await traced(["info"], env)).result.json).toMatchObject({ engine: "sqlite", rows: { transactions: 20 } });

    const keygen = await traced(["keygen"], env);
    expect(keygen.result.code, keygen.result.stderr).toBe(0);
    expect((keygen.result.json as { recipient: string }).recipient).toMatch(/^age1/);
    expect(keygen.packages.has("age-encryption")).toBe(true);
  });

  it.skipIf(!enginesUnderTest.includes("postgresql"))("info on PostgreSQL loads pg when it needs it", async () => {
    const env = await instance("postgresql");
    const { result, packages } = await traced(["info"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ engine: "postgresql", rows: { transactions: 20 } });
    expect(packages.has("pg")).toBe(true);
  });
});
