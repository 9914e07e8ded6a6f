/**
 * A drill on PostgreSQL when the app's role may not create databases (NOCREATEDB, as it
 * should run): the newest dump is loaded by the restore's own loader into a scratch schema
 * of the live database, checked, and dropped — and `public`, the family's live data, is
 * exactly what it was, data and objects, whatever happens:
 *   - a good dump: proven restorable, every public table's checksum (lib/db/checksum.ts),
 *     every public relation, constraint, index and sequence value the same after as before,
 *     no scratch schema left;
 *   - a dump changed after it was verified (a row; one byte), and a dump that reads well
 *     but cannot be loaded (two rows with one id): the drill fails, public the same;
 *   - the frozen schema-1 fixture dump: upgraded to the latest schema in the scratch schema.
 * And the guard the loader relies on (engine/guard-schema.ts) sees each way a transaction
 * could have touched public: a read, a write, an altered table, a dropped index, a function.
 *
 * The role and its database are made here by the cluster's superuser, so the test does not
 * depend on how the cluster's own `wimm` role was created.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { catalogueEntry } from "../lib/backup-restore/backups/catalogue.ts";
import { readDumpRecords } from "../lib/backup-restore/engine/dump-records.ts";
import { findSchemaChanges, readSchemaFootprint } from "../lib/backup-restore/engine/guard-schema.ts";
import { loadIntoPostgres } from "../lib/backup-restore/engine/load-into-postgres.ts";
import { inspectPgArchive } from "../lib/backup-restore/inspect/inspect-pg-archive.ts";
import { computeChecksums, type Checksums } from "../lib/db/checksum.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { LATEST_SCHEMA_VERSION } from "../lib/db/tables.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTempDir, describePostgres, execSql, querySql, withAdminClient } from "./helpers/databases.ts";
import { FIXTURES_ROOT, type FixtureExpectations } from "./helpers/schema-fixtures.ts";

const tmp = createTempDir("wimm-drill-schema-");
afterAll(() => tmp.cleanup());

const SCHEMA_1_DUMP = join(FIXTURES_ROOT, "schema-1", "family.dump");
const TIMEOUTS = { timeoutMs: 60_000 };

/** Everything of `public` a drill must leave as it was: data, objects, sequence values. */
type PublicState = {
  checksums: Checksums;
  relations: unknown[];
  constraints: unknown[];
  indexes: unknown[];
  sequences: unknown[];
  schemas: string[];
};

async function publicState(target: DatabaseTarget): Promise<PublicState> {
  return {
    checksums: await computeChecksums(target),
    relations: await querySql(
      target,
      `SELECT c.oid::int AS oid, c.relname, c.relkind, c.relfilenode::int AS file, c.relnatts
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname`,
    ),
    constraints: await querySql(
      target,
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
    ),
    indexes: await querySql(
      target,
      "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
    ),
    sequences: await querySql(
      target,
      "SELECT sequencename, last_value::text AS last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    ),
    schemas: (
      await querySql<{ nspname: string }>(
        target,
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
      )
    ).map((r) => r.nspname),
  };
}

type Drill = { ok: boolean; file: string | null; details: string; upgradedFrom?: number };

describePostgres("a drill into a scratch schema, by a role that may not create databases", () => {
  const suffix = randomBytes(4).toString("hex");
  const role = `wimm_nocreatedb_${suffix}`;
  const database = `wimm_drill_live_${suffix}`;
  const helper = `wimm_drill_helper_${suffix}`;
  const urlOf = (db: string) => {
    const url = new URL(process.env.WIMM_PG_URL!);
    url.username = role;
    url.password = "drill-password";
    url.pathname = `/${db}`;
    return url.toString();
  };
  const live = () => parseDatabaseUrl(urlOf(database));
  let n = 0;
  /** The CLI's environment, with a backup folder of its own. */
  const envFor = (db = database) => ({
    DATABASE_URL: urlOf(db),
    WIMM_BACKUP_DIR: join(tmp.dir, `backups-${++n}`),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  });
  const scratchSchemas = async () =>
    (
      await querySql<{ nspname: string }>(
        live(),
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'wimm\\_drill\\_%'",
      )
    ).map((r) => r.nspname);

  beforeAll(async () => {
    await withAdminClient(async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'drill-password' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      await c.query(`CREATE DATABASE ${database} OWNER ${role}`);
      await c.query(`CREATE DATABASE ${helper} OWNER ${role}`);
    });
    const seeded = await runWimm(["seed", "--transactions", "120"], { env: envFor() });
    expect(seeded.code, seeded.stderr.slice(-1000)).toBe(0);
  });
  afterAll(async () => {
    await withAdminClient(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${helper} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it("the role owns its database and may not create databases", async () => {
    const [r] = await querySql<{ createdb: boolean; superuser: boolean; owner: string }>(
      live(),
      `SELECT rolcreatedb AS createdb, rolsuper AS superuser, pg_get_userbyid(d.datdba) AS owner
         FROM pg_roles, pg_database d WHERE rolname = current_user AND d.datname = current_database()`,
    );
    expect(r).toEqual({ createdb: false, superuser: false, owner: role });
  });

  it("loads the newest dump into a scratch schema, checks it, drops it; public is the same after as before", async () => {
    const env = envFor();
    const made = await runWimm(["backup"], { env });
    expect(made.code, made.stderr.slice(-1000)).toBe(0);
    const backup = made.json as { file: string; verified: boolean };
    expect(backup.verified).toBe(true);
    // The live data moves on after the backup: a drill that restored into public would show.
    await execSql(
      live(),
      `INSERT INTO transactions (account_id, user_id, amount_cents, description, occurred_at, search_text)
         SELECT account_id, user_id, -4242, 'after the backup', now(), 'after the backup' FROM transactions WHERE id = 1;
       UPDATE accounts SET name = name || ' (renamed after the backup)' WHERE id = 1`,
    );
    const before = await publicState(live());
    expect(before.checksums.transactions).not.toEqual(
      catalogueEntry(env.WIMM_BACKUP_DIR, backup.file)!.checksums!.transactions,
    );

    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-2000)).toBe(0);
    const result = drilled.json as Drill;
    expect(result).toMatchObject({ ok: true, file: backup.file });
    expect(result.details).toMatch(
      /^restored into a scratch schema \(wimm_drill_\d+_\d+; .*\), public untouched; every table checked$/,
    );
    expect(drilled.stderr).toMatch(/loaded into wimm_drill_\d+_\d+; public neither changed, read nor written/);
    expect(drilled.stderr).toMatch(/row counts and checksums of every table match the source/);

    expect(await publicState(live())).toEqual(before);
    expect(await scratchSchemas()).toEqual([]);
    expect(catalogueEntry(env.WIMM_BACKUP_DIR, backup.file)).toMatchObject({ verified: true });
    const audit = (await runWimm(["audit"], { env })).json as { action: string; result: string }[];
    expect(audit.filter((e) => e.action === "drill").map((e) => e.result)).toEqual(["ok"]);
  });

  it("a dump with a row changed after it was verified fails the drill; public untouched", async () => {
    const env = envFor();
    const backup = (await runWimm(["backup"], { env })).json as { file: string; path: string };
    // The same family with one amount changed, dumped under the backup's name (a dump's data
    // is compressed: the change is made in a copy of the database, not in the file).
    await withAdminClient((c) =>
      c
        .query(`DROP DATABASE ${helper}`)
        .then(() => c.query(`CREATE DATABASE ${helper} TEMPLATE ${database} OWNER ${role}`)),
    );
    await execSql(
      parseDatabaseUrl(urlOf(helper)),
      "UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = 3",
    );
    execFileSync("pg_dump", [
      "--format=custom",
      "--exclude-table-data=sessions",
      "--file",
      backup.path,
      "--dbname",
      urlOf(helper),
    ]);
    const recordFile = join(env.WIMM_BACKUP_DIR, ".catalogue", `${backup.file}.json`);
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as Record<string, unknown>;
    writeFileSync(recordFile, JSON.stringify({ ...record, bytes: statSync(backup.path).size }));
    const before = await publicState(live());

    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-2000)).toBe(1);
    expect(drilled.json).toMatchObject({ ok: false, file: backup.file });
    expect((drilled.json as Drill).details).toMatch(/transactions: checksum differs/);
    expect(await publicState(live())).toEqual(before);
    expect(await scratchSchemas()).toEqual([]);
    expect(catalogueEntry(env.WIMM_BACKUP_DIR, backup.file)).toMatchObject({ verified: false });
  });

  it("a dump with one byte changed fails the drill; public untouched", async () => {
    const env = envFor();
    const backup = (await runWimm(["backup"], { env })).json as { file: string; path: string };
    const bytes = readFileSync(backup.path);
    const at = bytes.length - 40; // inside the last table's compressed data
    bytes[at] = bytes[at]! ^ 0x20;
    writeFileSync(backup.path, bytes);
    const before = await publicState(live());

    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-2000)).toBe(1);
    expect(drilled.json).toMatchObject({ ok: false, file: backup.file });
    expect(await publicState(live())).toEqual(before);
    expect(await scratchSchemas()).toEqual([]);
  });

  it("a dump that reads well but cannot be loaded (two rows with one id) fails in the scratch load; public untouched", async () => {
    const env = envFor();
    mkdirSync(env.WIMM_BACKUP_DIR, { recursive: true });
    await withAdminClient((c) =>
      c
        .query(`DROP DATABASE ${helper}`)
        .then(() => c.query(`CREATE DATABASE ${helper} TEMPLATE ${database} OWNER ${role}`)),
    );
    await execSql(
      parseDatabaseUrl(urlOf(helper)),
      `ALTER TABLE transactions DROP CONSTRAINT transactions_pkey;
       INSERT INTO transactions SELECT * FROM transactions WHERE id = 1`,
    );
    const file = "wimm-manual-2030-01-01T00-00-00-000Z.dump";
    execFileSync("pg_dump", [
      "--format=custom",
      "--exclude-table-data=sessions",
      "--file",
      join(env.WIMM_BACKUP_DIR, file),
      "--dbname",
      urlOf(helper),
    ]);
    const before = await publicState(live());

    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-2000)).toBe(1);
    expect(drilled.json).toMatchObject({ ok: false, file });
    expect((drilled.json as Drill).details).toMatch(/^the drill failed: .*transactions_pkey/);
    // It got as far as the scratch schema: the load began there, and was rolled back.
    expect(drilled.stderr).toMatch(/scratch schema wimm_drill_\d+_\d+ created/);
    expect(drilled.stderr).not.toMatch(/\] committed; timings/);
    expect(await publicState(live())).toEqual(before);
    expect(await scratchSchemas()).toEqual([]);
  });

  it("drills the frozen schema-1 fixture dump into a scratch schema, upgraded to the latest schema", async () => {
    const env = envFor();
    mkdirSync(env.WIMM_BACKUP_DIR, { recursive: true });
    const file = "wimm-manual-2026-01-01T00-00-00-000Z.dump";
    copyFileSync(SCHEMA_1_DUMP, join(env.WIMM_BACKUP_DIR, file));
    const before = await publicState(live());

    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-2000)).toBe(0);
    expect(drilled.json).toMatchObject({ ok: true, file, upgradedFrom: 1 });
    expect((drilled.json as Drill).details).toMatch(/scratch schema .*, upgraded from schema 1; every table checked$/);
    expect(drilled.stderr).toContain(`upgraded from schema 1 to ${LATEST_SCHEMA_VERSION}`);
    expect(await publicState(live())).toEqual(before);
    expect(await scratchSchemas()).toEqual([]);
  });

  it("the loader builds the schema-1 fixture in a scratch schema at the latest schema, beside public", async () => {
    const url = urlOf(database);
    const fixture = (
      JSON.parse(readFileSync(join(FIXTURES_ROOT, "schema-1", "expected.json"), "utf8")) as FixtureExpectations
    ).fixtures["family.dump"]!;
    const inspection = await inspectPgArchive(SCHEMA_1_DUMP, url, TIMEOUTS);
    if (!inspection.ok) throw new Error(`the fixture was refused: ${inspection.code}`);
    expect(inspection.schemaVersion).toBe(1);
    const schema = `wimm_drill_test_${suffix}`;
    const before = await publicState(live());
    await execSql(live(), `CREATE SCHEMA ${schema}`);
    try {
      const loaded = await loadIntoPostgres(url, readDumpRecords(SCHEMA_1_DUMP, { ...TIMEOUTS, version: 1 }), {
        expected: inspection.checksums,
        version: 1,
        schema,
      });
      expect(loaded.upgradedFrom).toBe(1);
      expect(await publicState(live())).toEqual({ ...before, schemas: [...before.schemas, schema].sort() });

      const inScratch = <T>(sql: string) => querySql<T>(live(), sql.replaceAll("S.", `${schema}.`));
      expect(await inScratch("SELECT key, value FROM S.app_meta WHERE key = 'schema_version'")).toEqual([
        { key: "schema_version", value: String(LATEST_SCHEMA_VERSION) },
      ]);
      // Schema 2's data step: the family's time zone moved out of app_meta into its column.
      expect(await inScratch("SELECT time_zone FROM S.families")).toEqual([
        { time_zone: fixture.tables.app_meta!.find((r) => r.key === "family_time_zone")!.value },
      ]);
      const rows = await inScratch<{ description: string; search_text: string }>(
        "SELECT description, search_text FROM S.transactions",
      );
      expect(rows).toHaveLength(fixture.rowCounts.transactions!);
      for (const r of rows) expect(r.search_text).toBe(foldForSearch(r.description));
      for (const [table, count] of Object.entries(fixture.rowCounts))
        expect(await inScratch(`SELECT count(*)::int AS n FROM S.${table}`), table).toEqual([{ n: count }]);
      // The trigram index is there, in the scratch schema, with pg_trgm's operator class
      // from where the extension lives (public).
      expect(
        await querySql(
          live(),
          `SELECT t.relnamespace::regnamespace::text AS table_schema, t.relname AS table_name,
                  o.opcnamespace::regnamespace::text AS opclass_schema, o.opcname AS opclass
             FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
             JOIN pg_opclass o ON o.oid = i.indclass[0]
            WHERE x.relnamespace = $1::regnamespace AND x.relname = 'transactions_search_text_trgm_idx'`,
          [schema],
        ),
      ).toEqual([
        { table_schema: schema, table_name: "transactions", opclass_schema: "public", opclass: "gin_trgm_ops" },
      ]);
      // The scratch sequences are past the largest ids, public's where they were.
      const [seq] = await inScratch<{ last: string; max: string }>(
        `SELECT (SELECT last_value::text FROM pg_sequences WHERE schemaname = '${schema}' AND sequencename = 'transactions_id_seq') AS last,
                (SELECT max(id)::text FROM S.transactions) AS max`,
      );
      expect(seq!.last).toBe(seq!.max);
    } finally {
      await execSql(live(), `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
    expect(await publicState(live())).toEqual(before);
  });

  it("the loader refuses a schema name that is not plain lower-case letters, digits and underscores", async () => {
    for (const schema of ['x"; DROP SCHEMA public CASCADE; --', "Public", "pg_temp", "", "a-b", "a".repeat(64)])
      await expect(loadIntoPostgres(urlOf(database), [], { schema })).rejects.toThrow(/not a usable schema name/);
  });

  const TOUCHES: [string, string, RegExp][] = [
    ["a read", "SELECT count(*) FROM public.accounts", /public: read or written: accounts/],
    ["a read by index", "SELECT username FROM public.users WHERE id = 1", /public: read or written: users/],
    ["a write", "UPDATE public.categories SET name = name WHERE id = 1", /public: read or written: categories/],
    ["an insert", "INSERT INTO public.app_meta (key, value) VALUES ('x', 'y')", /public: read or written: app_meta/],
    [
      "an added column",
      "ALTER TABLE public.accounts ADD COLUMN planted int",
      /public: altered: .*column accounts\.planted/,
    ],
    [
      "a dropped index",
      "DROP INDEX public.transactions_occurred_at_idx",
      /public: its tables, indexes or sequences were/,
    ],
    ["a truncate", "TRUNCATE public.events", /public: its tables, indexes or sequences were/],
    [
      "a function",
      "CREATE FUNCTION public.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      /public: altered: function planted/,
    ],
    ["a dropped schema", "DROP SCHEMA public CASCADE", /public/],
  ];
  it.each(TOUCHES)("the guard sees %s of public", async (_, sql, expected) => {
    const client = new pg.Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      await client.query("BEGIN");
      const footprint = await readSchemaFootprint(client, "public");
      await client.query(sql);
      const changes = await findSchemaChanges(client, footprint).then(
        (found) => found.join("; "),
        (error: Error) => `error: ${error.message}`, // public itself gone: its name no longer resolves
      );
      expect(changes).toMatch(expected);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });

  it("the guard sees nothing when only another schema was used", async () => {
    const client = new pg.Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      await client.query("BEGIN");
      const footprint = await readSchemaFootprint(client, "public");
      await client.query(`CREATE SCHEMA guard_${suffix}; SET LOCAL search_path = guard_${suffix}`);
      await client.query("CREATE TABLE t (id serial PRIMARY KEY, s text); INSERT INTO t (s) VALUES ('x'), ('y')");
      await client.query("CREATE INDEX ON t USING gin (s public.gin_trgm_ops); SELECT count(*) FROM t");
      expect(await findSchemaChanges(client, footprint)).toEqual([]);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});
