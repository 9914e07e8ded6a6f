/**
 * Real databases for integration tests: a temp SQLite file, or a fresh PostgreSQL database
 * on the test cluster (scripts/pg-cluster.sh, started by scripts/test.sh), created
 * `OWNER wimm` through WIMM_PG_ADMIN_URL as the app's non-superuser role must own its
 * database. Each `create*Target()` returns a target nobody else uses, and its cleanup.
 *
 * Without WIMM_PG_ADMIN_URL the PostgreSQL tests are skipped on a developer's machine, but
 * fail in CI (CI=true): a suite that silently skips half its engines proves nothing.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe } from "vitest";
import { parseDatabaseUrl, type DatabaseTarget, type Engine } from "../../lib/db/url.ts";

export type TestDatabase = { target: DatabaseTarget; cleanup: () => Promise<void> };

export const ENGINES: readonly Engine[] = ["sqlite", "postgresql"];

const isCI = ["1", "true"].includes((process.env.CI ?? "").toLowerCase());

/** True when PostgreSQL tests should run: the cluster is there, or CI demands it (and they fail). */
export const postgresEnabled = Boolean(process.env.WIMM_PG_ADMIN_URL) || isCI;

/** `describe` for PostgreSQL tests: skipped locally without a cluster, never skipped in CI. */
export const describePostgres = (postgresEnabled ? describe : describe.skip) as typeof describe;

/** `describe.each(engines)` that drops PostgreSQL locally when no cluster is running. */
export const enginesUnderTest: Engine[] = ENGINES.filter((e) => e === "sqlite" || postgresEnabled);

/** A temp directory of its own per call (removed by the cleanup). */
export function createTempDir(prefix = "wimm-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite file path (the file itself does not exist yet). */
export async function createSqliteTarget(): Promise<TestDatabase> {
  const { dir, cleanup } = createTempDir();
  const target = parseDatabaseUrl(`file:${join(dir, "wimm.sqlite3")}`);
  return { target, cleanup: async () => cleanup() };
}

function requirePgEnv(): { adminUrl: string; appUrl: string } {
  const adminUrl = process.env.WIMM_PG_ADMIN_URL;
  const appUrl = process.env.WIMM_PG_URL;
  if (!adminUrl || !appUrl) {
    throw new Error(
      "WIMM_PG_ADMIN_URL and WIMM_PG_URL must be set for PostgreSQL tests " +
        '(run `npm test`, or `eval "$(scripts/pg-cluster.sh start /tmp/wimm-pg)"` first)',
    );
  }
  return { adminUrl, appUrl };
}

/** Runs statements as the cluster's superuser (CREATE/DROP DATABASE). */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const { adminUrl } = requirePgEnv();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty database owned by the app's role (the user of WIMM_PG_URL), and the URL to
 * reach it as that role. `prefix` must be a lower-case identifier.
 */
export async function createPostgresDatabase(
  prefix = "wimm_test",
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const { appUrl } = requirePgEnv();
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`bad database prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(appUrl);
  const owner = decodeURIComponent(url.username);
  await withAdminClient((c) => c.query(`CREATE DATABASE "${name}" OWNER "${owner.replace(/"/g, '""')}"`));
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a failed test may have left open (PostgreSQL 13+).
    drop: () => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function createPostgresTarget(prefix = "wimm_test"): Promise<TestDatabase> {
  const db = await createPostgresDatabase(prefix);
  return { target: parseDatabaseUrl(db.url), cleanup: db.drop };
}

export function createTarget(engine: Engine): Promise<TestDatabase> {
  return engine === "sqlite" ? createSqliteTarget() : createPostgresTarget();
}

/** Runs plain SQL on a target with its own driver (no Prisma): setup and assertions. */
export async function querySql<T = Record<string, unknown>>(
  target: DatabaseTarget,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (target.engine === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(target.path, { timeout: 15000 });
    try {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    let i = 0;
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      )
    ).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs one or more statements (DDL, setup) on a target; returns nothing. */
export async function execSql(target: DatabaseTarget, sql: string): Promise<void> {
  if (target.engine === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(target.path, { timeout: 15000 });
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
