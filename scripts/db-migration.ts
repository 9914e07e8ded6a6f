/**
 * `npm run db:migration -- <name>`: writes the next numbered migration for both engines,
 *
 *   prisma/migrations/sqlite/NNNN_<name>.sql
 *   prisma/migrations/postgresql/NNNN_<name>.sql
 *
 * from the difference between the models as of the last migration (the committed
 * prisma/migrations/<engine>/schema.snapshot.prisma) and the models now (prisma/schema.prisma
 * and its derived PostgreSQL copy). Then it moves the snapshots forward. The app applies
 * pending migrations at start (lib/db/schema.ts) and records schema_version in app_meta.
 *
 * Prisma's schema engine needs a live PostgreSQL connection even to diff two files; when
 * PRISMA_CLI_PG_URL is unset a throwaway cluster is started with scripts/pg-cluster.sh.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { deriveSchema } from "../lib/db/derive-schema.ts";
import type { Engine } from "../lib/db/url.ts";

export const ROOT = join(import.meta.dirname, "..");
export const ENGINES: Engine[] = ["sqlite", "postgresql"];

export const schemaPath = (engine: Engine) =>
  join(ROOT, "prisma", engine === "sqlite" ? "schema.prisma" : "postgresql/schema.prisma");
export const configPath = (engine: Engine) => join(ROOT, "prisma", `${engine}.config.ts`);
export const snapshotPath = (engine: Engine) => join(ROOT, "prisma", "migrations", engine, "schema.snapshot.prisma");

export type DiffSide = { empty: true } | { schema: string };

/**
 * `prisma migrate diff ... --script` (or `--exit-code`) with the js schema engine; the
 * scratch databases the engine connects to come from `env` (PRISMA_CLI_SQLITE_URL,
 * PRISMA_CLI_PG_URL). Returns the exit status and the script.
 */
export function prismaMigrateDiff(
  engine: Engine,
  from: DiffSide,
  to: DiffSide,
  mode: "script" | "exit-code",
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const side = (which: "from" | "to", s: DiffSide) =>
    "empty" in s ? [`--${which}-empty`] : [`--${which}-schema-datamodel`, s.schema];
  const args = [
    "migrate",
    "diff",
    "--config",
    configPath(engine),
    ...side("from", from),
    ...side("to", to),
    `--${mode}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "prisma"), args, {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** A migration script with nothing but comments (Prisma's "-- This is an empty migration."). */
export function isEmptyMigration(sql: string): boolean {
  return sql.replace(/--.*$/gm, "").trim() === "";
}

export function nextMigrationNumber(): number {
  let max = 0;
  for (const engine of ENGINES) {
    for (const file of readdirSync(join(ROOT, "prisma", "migrations", engine))) {
      const m = /^(\d{4})_/.exec(file);
      if (m) max = Math.max(max, Number(m[1]));
    }
  }
  return max + 1;
}

const SNAPSHOT_HEADER =
  "// The models as of the last migration, written by `npm run db:migration` (scripts/db-migration.ts).\n" +
  "// Do not edit: the next migration is the difference between this file and the schema.\n\n";

/** Moves the snapshot forward to the current models. */
export function writeSnapshot(engine: Engine): void {
  writeFileSync(snapshotPath(engine), SNAPSHOT_HEADER + readFileSync(schemaPath(engine), "utf8"));
}

function startCluster(): { url: string; stop: () => void } {
  const dir = join(mkdtempSync(join(tmpdir(), "wimm-migration-")), "pg");
  execFileSync("chmod", ["755", join(dir, "..")]);
  const out = execFileSync("bash", [join(ROOT, "scripts/pg-cluster.sh"), "start", dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = /WIMM_PG_URL='([^']+)'/.exec(out)?.[1];
  const stop = () => {
    spawnSync("bash", [join(ROOT, "scripts/pg-cluster.sh"), "stop", dir], { stdio: "inherit" });
    rmSync(join(dir, ".."), { recursive: true, force: true });
  };
  if (!url) {
    stop();
    throw new Error("scripts/pg-cluster.sh printed no WIMM_PG_URL");
  }
  return { url, stop };
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:migration -- <name>   (lower-case letters, digits and _, e.g. add_budgets)");
    return 2;
  }
  const derived = deriveSchema(readFileSync(schemaPath("sqlite"), "utf8"), "postgresql");
  if (readFileSync(schemaPath("postgresql"), "utf8") !== derived) {
    console.error("[MIGRATION] prisma/postgresql/schema.prisma is out of date: run `npm run generate` first");
    return 1;
  }

  const scratch = mkdtempSync(join(tmpdir(), "wimm-migration-sqlite-"));
  const cluster = process.env.PRISMA_CLI_PG_URL ? undefined : startCluster();
  try {
    const env = {
      PRISMA_CLI_SQLITE_URL: `file:${join(scratch, "prisma-cli.sqlite3")}`,
      PRISMA_CLI_PG_URL: process.env.PRISMA_CLI_PG_URL ?? cluster!.url,
    };
    const diffs = await Promise.all(
      ENGINES.map((engine) =>
        prismaMigrateDiff(engine, { schema: snapshotPath(engine) }, { schema: schemaPath(engine) }, "script", env),
      ),
    );
    const scripts = new Map<Engine, string>();
    for (const [i, engine] of ENGINES.entries()) {
      const diff = diffs[i]!;
      if (diff.status !== 0) {
        console.error(diff.stderr);
        console.error(`[MIGRATION] prisma migrate diff failed for ${engine}`);
        return 1;
      }
      scripts.set(engine, diff.stdout);
    }
    if ([...scripts.values()].every(isEmptyMigration)) {
      console.error("[MIGRATION] the models have not changed since the last migration: nothing written");
      return 0;
    }
    const file = `${String(nextMigrationNumber()).padStart(4, "0")}_${name}.sql`;
    for (const engine of ENGINES) {
      const path = join(ROOT, "prisma", "migrations", engine, file);
      writeFileSync(path, scripts.get(engine)!);
      writeSnapshot(engine);
      console.error(`[MIGRATION] wrote prisma/migrations/${engine}/${file}`);
    }
    console.error(
      "[MIGRATION] snapshots moved forward. Next: read both files, update lib/db/tables.ts if tables or columns " +
        "changed, and run `npm test` (it checks both).",
    );
    return 0;
  } finally {
    cluster?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
