/**
 * Proof that a transaction left a schema alone: what a load into a scratch schema checks
 * about `public` (the family's live data) before it COMMITs, and the drill again around
 * dropping the scratch schema. The loader's statements are written so that they cannot
 * reach `public` (postgres-schema.ts); this is the check that they did not, independent of
 * how they are written, on the transaction's own connection:
 *   - the schema's relations (tables, indexes, sequences) are the same objects, with the same
 *     storage, as when the transaction began: nothing dropped, created, truncated or rewritten;
 *   - no catalog row describing one of its objects (a column, default, constraint, index,
 *     trigger, rule, policy, function, type, or the schema itself) was written by this
 *     transaction: nothing altered;
 *   - this transaction neither read nor wrote a row of its tables (PostgreSQL's
 *     per-transaction counters, pg_stat_xact_all_tables: scans, inserts, updates, deletes).
 * Other sessions' work (the app writing meanwhile) changes none of these three.
 * What it cannot see: a sequence moved by setval, which no ROLLBACK would undo anyway —
 * resetSequences names its sequences in full so that it cannot happen — and, when the
 * server runs with track_counts off, the third check (it is logged).
 */
import type pg from "pg";
import { log } from "../../log.ts";
import { checkSchemaName } from "./postgres-schema.ts";

/** The schema's relations as they stand: oid and storage of each. */
export type SchemaFootprint = { schema: string; relations: string };

export async function readSchemaFootprint(client: pg.ClientBase, schema: string): Promise<SchemaFootprint> {
  const { rows } = await client.query<{ relations: string }>(
    `SELECT coalesce(string_agg(oid::text || '/' || relfilenode::text, ',' ORDER BY oid), '') AS relations
       FROM pg_class WHERE relnamespace = $1::regnamespace`,
    [checkSchemaName(schema)],
  );
  return { schema, relations: rows[0]!.relations };
}

/** Catalog rows about the schema's objects that this transaction wrote (xmin is its own id). */
const WRITTEN_BY_THIS_TRANSACTION = `
  WITH s AS (SELECT $1::regnamespace AS ns),
       me AS (SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid),
       rel AS (SELECT c.oid, c.relname FROM pg_class c, s WHERE c.relnamespace = s.ns)
  SELECT 'schema ' || n.nspname AS what FROM pg_namespace n, s, me WHERE n.oid = s.ns AND n.xmin::text = me.xid
  UNION ALL SELECT 'relation ' || c.relname FROM pg_class c, s, me WHERE c.relnamespace = s.ns AND c.xmin::text = me.xid
  UNION ALL SELECT 'column ' || rel.relname || '.' || a.attname FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid, me WHERE a.xmin::text = me.xid
  UNION ALL SELECT 'default ' || rel.relname FROM pg_attrdef d JOIN rel ON rel.oid = d.adrelid, me WHERE d.xmin::text = me.xid
  UNION ALL SELECT 'constraint ' || k.conname FROM pg_constraint k, s, me WHERE k.connamespace = s.ns AND k.xmin::text = me.xid
  UNION ALL SELECT 'index on ' || rel.relname FROM pg_index i JOIN rel ON rel.oid = i.indrelid, me WHERE i.xmin::text = me.xid
  UNION ALL SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid, me WHERE t.xmin::text = me.xid
  UNION ALL SELECT 'rule ' || r.rulename FROM pg_rewrite r JOIN rel ON rel.oid = r.ev_class, me WHERE r.xmin::text = me.xid
  UNION ALL SELECT 'policy ' || p.polname FROM pg_policy p JOIN rel ON rel.oid = p.polrelid, me WHERE p.xmin::text = me.xid
  UNION ALL SELECT 'function ' || f.proname FROM pg_proc f, s, me WHERE f.pronamespace = s.ns AND f.xmin::text = me.xid
  UNION ALL SELECT 'type ' || y.typname FROM pg_type y, s, me WHERE y.typnamespace = s.ns AND y.xmin::text = me.xid`;

/**
 * What this transaction did to the schema since `before` was read on the same connection:
 * an empty list when nothing, else one line per thing found (for the error message).
 */
export async function findSchemaChanges(client: pg.ClientBase, before: SchemaFootprint): Promise<string[]> {
  const schema = checkSchemaName(before.schema);
  const problems: string[] = [];
  if ((await readSchemaFootprint(client, schema)).relations !== before.relations)
    problems.push("its tables, indexes or sequences were dropped, created, truncated or rewritten");
  const { rows: written } = await client.query<{ what: string }>(WRITTEN_BY_THIS_TRANSACTION, [schema]);
  if (written.length) problems.push(`altered: ${written.map((r) => r.what).join(", ")}`);
  const { rows: counting } = await client.query<{ on: boolean }>(
    "SELECT current_setting('track_counts')::boolean AS on",
  );
  if (counting[0]?.on) {
    const { rows: touched } = await client.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_xact_all_tables
        WHERE schemaname = $1 AND seq_scan + coalesce(idx_scan, 0) + n_tup_ins + n_tup_upd + n_tup_del > 0`,
      [schema],
    );
    if (touched.length) problems.push(`read or written: ${touched.map((r) => r.relname).join(", ")}`);
  } else {
    log("PG_MIGRATION", `track_counts is off: reads and writes of ${schema} by this transaction cannot be counted`);
  }
  return problems.map((p) => `${schema}: ${p}`);
}
