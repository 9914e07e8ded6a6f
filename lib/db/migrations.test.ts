/**
 * The committed SQL migrations are what every database actually runs; prisma/schema.prisma is
 * what the generated clients believe. These tests fail when the two disagree, on each engine:
 * Prisma's own DDL for the models is compared with the migrations, as text while there is
 * only 0001 and, always, as the catalog of two real databases built each way. They also
 * fail when the models changed since the last `npm run db:migration` (the snapshot).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configPath, prismaMigrateDiff, schemaPath, snapshotPath } from "../../scripts/db-migration.ts";
import {
  createPostgresDatabase,
  createTarget,
  createTempDir,
  enginesUnderTest,
  execSql,
} from "../../tests/helpers/databases.ts";
import { HAND_WRITTEN_DDL } from "../../tests/helpers/hand-written-ddl.ts";
import { describeSchema } from "../../tests/helpers/introspect.ts";
import { ensureSchema, loadMigrations } from "./schema.ts";
import type { Engine } from "./url.ts";

const normalise = (sql: string) => sql.replace(/\s+/g, " ").trim();

describe.each(enginesUnderTest)("migrations for %s", (engine: Engine) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let env: Record<string, string>;
  let fromEmpty: { status: number; stdout: string; stderr: string };
  let sinceSnapshot: { status: number; stdout: string; stderr: string };

  beforeAll(async () => {
    // The schema engine connects to a scratch database even to diff two files.
    const scratch = createTempDir();
    cleanups.push(scratch.cleanup);
    env = { PRISMA_CLI_SQLITE_URL: `file:${join(scratch.dir, "prisma-cli.sqlite3")}` };
    if (engine === "postgresql") {
      const db = await createPostgresDatabase("wimm_test_prisma");
      cleanups.push(db.drop);
      env.PRISMA_CLI_PG_URL = db.url;
    }
    // In parallel: on PostgreSQL each Prisma CLI run takes seconds.
    [fromEmpty, sinceSnapshot] = await Promise.all([
      prismaMigrateDiff(engine, { empty: true }, { schema: schemaPath(engine) }, "script", env),
      prismaMigrateDiff(engine, { schema: snapshotPath(engine) }, { schema: schemaPath(engine) }, "exit-code", env),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("uses the config and schema files that exist", () => {
    for (const path of [configPath(engine), schemaPath(engine), snapshotPath(engine)]) {
      expect(() => readFileSync(path), path).not.toThrow();
    }
  });

  it("prisma migrate diff --from-empty prints the DDL of the models", () => {
    expect(fromEmpty.status, fromEmpty.stderr).toBe(0);
    expect(fromEmpty.stdout).toContain('CREATE TABLE "transactions"');
  });

  it("0001 is exactly Prisma's DDL for the models (while it is the only migration)", (ctx) => {
    const migrations = loadMigrations(engine);
    if (migrations.length > 1) ctx.skip(); // later migrations are ALTERs: the catalog test below covers them
    expect(normalise(migrations.map((m) => m.sql).join("\n"))).toBe(normalise(fromEmpty.stdout));
  });

  it("a database built from the committed migrations has the same catalog as one built from the models", async () => {
    const viaMigrations = await createTarget(engine);
    const viaModels = await createTarget(engine);
    cleanups.push(viaMigrations.cleanup, viaModels.cleanup);
    await ensureSchema(viaMigrations.target);
    await execSql(viaModels.target, fromEmpty.stdout);
    for (const sql of HAND_WRITTEN_DDL[engine]) await execSql(viaModels.target, sql);
    const [actual, expected] = await Promise.all([
      describeSchema(viaMigrations.target),
      describeSchema(viaModels.target),
    ]);
    expect(Object.keys(expected)).toContain("transactions");
    expect(actual).toEqual(expected);
  });

  it("the migrations hold the DDL the models cannot say", () => {
    const all = normalise(
      loadMigrations(engine)
        .map((m) => m.sql)
        .join("\n"),
    );
    for (const sql of HAND_WRITTEN_DDL[engine]) expect(all).toContain(normalise(sql));
  });

  it("the models have not changed since the last migration (schema.snapshot.prisma is current)", () => {
    // 0: no difference; 2: the models changed and `npm run db:migration -- <name>` was not run.
    expect(sinceSnapshot.status, `${sinceSnapshot.stdout}\n${sinceSnapshot.stderr}`).toBe(0);
  });
});
