/**
 * `npm run db:migration -- <name>` on a copy of the repo: change a model, run the script,
 * and the new numbered SQL for both engines must exist, move the snapshots forward, and
 * bring an existing database of each engine up to the new schema through ensureSchema.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureSchema, latestSchemaVersion } from "../lib/db/schema.ts";
import {
  createPostgresDatabase,
  createTarget,
  createTempDir,
  describePostgres,
  querySql,
} from "./helpers/databases.ts";
import { REPO_ROOT } from "./helpers/cli.ts";

describePostgres("npm run db:migration", () => {
  let copy: string;
  const cleanups: (() => Promise<void> | void)[] = [];
  let pgUrl: string;

  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      ["--import", join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"), "scripts/db-migration.ts", ...args],
      { cwd: copy, encoding: "utf8", env: { ...process.env, PRISMA_CLI_PG_URL: pgUrl }, timeout: 120_000 },
    );

  beforeAll(async () => {
    const tmp = createTempDir("wimm-migration-test-");
    cleanups.push(tmp.cleanup);
    copy = tmp.dir;
    for (const path of ["package.json", "prisma", "scripts", "lib/db"]) {
      mkdirSync(join(copy, path, ".."), { recursive: true });
      cpSync(join(REPO_ROOT, path), join(copy, path), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, "node_modules"), join(copy, "node_modules"));
    const db = await createPostgresDatabase("wimm_test_prisma");
    cleanups.push(db.drop);
    pgUrl = db.url;
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("refuses a name that is not a lower-case identifier, writing nothing", () => {
    const result = run(["Add Budgets"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: npm run db:migration");
  });

  it("refuses to run while the derived PostgreSQL schema is out of date", () => {
    const path = join(copy, "prisma/schema.prisma");
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace("  details   String?\n", "  details   String?\n  note      String?\n"));
    try {
      const result = run(["add_note"]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("npm run generate");
    } finally {
      writeFileSync(path, original);
    }
  });

  it("writes NNNN_<name>.sql for both engines, moves the snapshots, and ensureSchema applies it", async () => {
    const next = String(latestSchemaVersion("sqlite") + 1).padStart(4, "0");
    const schema = join(copy, "prisma/schema.prisma");
    const changed = readFileSync(schema, "utf8").replace(
      "  details   String?\n",
      "  details   String?\n  note      String?\n",
    );
    expect(changed).toContain("note      String?");
    writeFileSync(schema, changed);
    const derive = spawnSync(
      process.execPath,
      ["--import", join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"), "scripts/derive-schemas.ts"],
      { cwd: copy, encoding: "utf8" },
    );
    expect(derive.status, derive.stderr).toBe(0);

    const result = run(["add_note"]);
    expect(result.status, result.stderr).toBe(0);
    for (const engine of ["sqlite", "postgresql"] as const) {
      const file = join(copy, "prisma/migrations", engine, `${next}_add_note.sql`);
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, "utf8")).toMatch(/ALTER TABLE "events" ADD COLUMN\s+"note" TEXT/);
      const current = readFileSync(
        join(copy, engine === "sqlite" ? "prisma/schema.prisma" : "prisma/postgresql/schema.prisma"),
        "utf8",
      );
      const snapshot = readFileSync(join(copy, "prisma/migrations", engine, "schema.snapshot.prisma"), "utf8");
      expect(snapshot.endsWith(current), `${engine} snapshot is the current schema`).toBe(true);

      // A database at the previous version (built by the repo's own migrations) is upgraded.
      const db = await createTarget(engine);
      cleanups.push(db.cleanup);
      await ensureSchema(db.target);
      process.env.WIMM_ROOT = copy;
      try {
        const upgraded = await ensureSchema(db.target);
        expect(upgraded).toEqual({ created: false, applied: [`${next}_add_note`], version: Number(next) });
      } finally {
        delete process.env.WIMM_ROOT;
      }
      await querySql(db.target, "INSERT INTO events (kind, message, note) VALUES (?, ?, ?)", ["k", "m", "a note"]);
      expect(await querySql(db.target, "SELECT note FROM events")).toEqual([{ note: "a note" }]);
    }
  });
});
