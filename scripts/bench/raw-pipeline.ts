/**
 * (b) of `npm run bench`: the raw limit pipeline with the plain tools, as a bash script.
 *
 *   1. the schema from the committed migrations, then its foreign keys, indexes and keys
 *      dropped (the statements to do so and to recreate them are read from the catalog of
 *      a scratch database, so any later migration is followed);
 *   2. per table: `sqlite3 -csv FILE "SELECT cols FROM t" | psql URL -c "\copy t (cols) from stdin csv"`
 *      (SQLite's 0/1 booleans and `2026-11-28T20:15:08.882+00:00` text dates are valid
 *      PostgreSQL CSV input);
 *   3. primary keys (and unique constraints), then foreign keys; then — timed apart, since
 *      the issue's (b) names keys and foreign keys only — the plain and unique indexes.
 *
 * The script prints `MARK <name> <epoch ns>` after each step; the caller turns them into
 * durations. Everything quoted here is our own fixed SQL and paths, never user input.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { loadMigrations } from "../../lib/db/schema.ts";
import { TABLES, q } from "../../lib/db/tables.ts";

export type RawDdl = { schema: string; keys: string[]; foreignKeys: string[]; indexes: string[] };

/** Apply the migrations to an empty scratch database and read back what to drop and re-add. */
export async function readRawDdl(scratchUrl: string): Promise<RawDdl> {
  const migrations = loadMigrations("postgresql")
    .map((m) => m.sql)
    .join("\n;\n");
  const client = new pg.Client({ connectionString: scratchUrl });
  await client.connect();
  try {
    await client.query(migrations);
    const { rows: cons } = await client.query<{ tbl: string; name: string; type: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname AS name, contype AS type, pg_get_constraintdef(oid) AS def
         FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')
        ORDER BY contype, conname`,
    );
    const { rows: idx } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY 1`,
    );
    const fks = cons.filter((c) => c.type === "f");
    const keys = cons.filter((c) => c.type !== "f");
    const drops = [
      ...fks.map((c) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)};`),
      ...idx.map((i) => `DROP INDEX ${i.name};`),
      ...keys.map((c) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)};`),
    ];
    return {
      schema: `${migrations}\n;\n${drops.join("\n")}\n`,
      keys: keys.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def};`),
      foreignKeys: fks.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def};`),
      indexes: idx.map((i) => `${i.def};`),
    };
  } finally {
    await client.end();
  }
}

/** Single-quote for bash. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Write the SQL files into `dir` and return the bash script. */
export function rawPipelineScript(options: {
  dir: string;
  ddl: RawDdl;
  sqlite3: string;
  psql: string;
  file: string;
  url: string;
}): string {
  const { dir, ddl } = options;
  const files = {
    schema: join(dir, "raw-schema.sql"),
    keys: join(dir, "raw-keys.sql"),
    fks: join(dir, "raw-fks.sql"),
    indexes: join(dir, "raw-indexes.sql"),
  };
  writeFileSync(files.schema, ddl.schema);
  writeFileSync(files.keys, ddl.keys.join("\n") + "\n");
  writeFileSync(files.fks, ddl.foreignKeys.join("\n") + "\n");
  writeFileSync(files.indexes, ddl.indexes.join("\n") + "\n");
  const psql = `${shq(options.psql)} ${shq(options.url)} -X -q -v ON_ERROR_STOP=1`;
  const lines = [
    "set -euo pipefail",
    'mark() { echo "MARK $1 $(date +%s%N)"; }',
    "mark start",
    `${psql} -f ${shq(files.schema)}`,
    "mark schema",
  ];
  for (const table of TABLES) {
    const cols = table.columns.map((c) => q(c.name)).join(", ");
    const select = `SELECT ${cols} FROM ${q(table.name)}`;
    lines.push(
      `${shq(options.sqlite3)} -batch -init /dev/null -noheader -csv ${shq(options.file)} ${shq(select)}` +
        ` | ${psql} -c ${shq(`\\copy ${q(table.name)} (${cols}) from stdin csv`)}`,
    );
  }
  lines.push(
    "mark load",
    `${psql} -f ${shq(files.keys)}`,
    "mark keys",
    `${psql} -f ${shq(files.fks)}`,
    "mark foreignKeys",
    `${psql} -f ${shq(files.indexes)}`,
    "mark indexes",
  );
  return lines.join("\n") + "\n";
}

/** `MARK name ns` lines → milliseconds of each step since the previous mark. */
export function parseMarks(stdout: string): Record<string, number> {
  const marks = [...stdout.matchAll(/^MARK (\w+) (\d+)$/gm)].map((m) => ({ name: m[1]!, ns: BigInt(m[2]!) }));
  const out: Record<string, number> = {};
  for (let i = 1; i < marks.length; i++) {
    out[marks[i]!.name] = Number((marks[i]!.ns - marks[i - 1]!.ns) / 1000n) / 1000;
  }
  return out;
}
