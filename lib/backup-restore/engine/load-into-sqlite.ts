/**
 * The loader for a SQLite live database, the same for every SQLite scenario (a SQLite
 * backup, and the rollback to a safety backup): in ONE write transaction on the live file,
 * drop every object in it (tables, indexes, triggers, views — whatever got there), recreate
 * the schema from the app's committed migrations, insert every block of the record stream
 * with the app's own statements, rebuild the indexes, check every foreign key, compare every
 * table's checksum with what streamed in (and with what the backup promised), end every
 * session and record the event, and only then COMMIT. SQLite's DDL is transactional: until
 * COMMIT the file holds its old data, and a killed process leaves the journal to undo it.
 *
 * The live file is never deleted or renamed (other processes may hold it open), and nothing
 * of the backup but its rows is used: not its schema, its `sqlite_sequence` or its pragmas.
 *
 * A backup of an older schema is loaded into the schema AT ITS VERSION, verified there, and
 * upgraded by the later migrations in the same transaction (upgrade-steps.ts).
 */
import Database from "better-sqlite3";
import {
  EMPTY_TABLE,
  TableHasher,
  diffChecksums,
  sqliteChecksums,
  unescapeCopyText,
  type Checksums,
} from "../../db/checksum.ts";
import { latestSchemaVersion, migrateSqlite } from "../../db/migrate.ts";
import { loadMigrations } from "../../db/schema.ts";
import { q, storedColumnNames, tablesAt, type Column, type Table } from "../../db/tables.ts";
import { log } from "../../log.ts";
import { crashPoint } from "../faults.ts";
import { BalanceTally, checkSqliteBalances } from "./money-check.ts";
import type { RestoreProgress } from "./progress.ts";
import { endSessionsAndRecordSqlite } from "./record-event.ts";
import { BlockTally, type LoadOptions, type LoadResult, type RecordSource } from "./records.ts";
import { BACKUP_CREATED_AT_KEY, carriedMetaKeys, loaderMetaRows, survivingTables } from "./upgrade-steps.ts";

/** A canonical field → the value SQLite stores, as the app itself writes it. */
function sqliteValue(column: Column, field: string): unknown {
  if (field === "\\N") {
    if (!column.nullable) throw new Error(`${column.name}: missing value`);
    return null;
  }
  switch (column.type) {
    case "int":
    case "bigint":
      if (!/^-?\d{1,19}$/.test(field)) throw new Error(`${column.name}: not an integer`);
      return column.type === "int" ? Number(field) : BigInt(field);
    case "bool":
      if (field !== "t" && field !== "f") throw new Error(`${column.name}: not a boolean`);
      return field === "t" ? 1 : 0;
    case "datetime":
      // Prisma's own form on SQLite (ISO-8601 with milliseconds and offset).
      if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(field)) throw new Error(`${column.name}: not a date`);
      return `${field.slice(0, 10)}T${field.slice(11)}+00:00`;
    case "text":
      return unescapeCopyText(field);
  }
}

/** Every object of the live file goes: the app's schema is rebuilt, never patched. */
function dropEverything(db: Database.Database) {
  const objects = db
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('trigger', 'view', 'table')",
    )
    .all() as { type: string; name: string }[];
  for (const kind of ["trigger", "view", "table"])
    for (const o of objects.filter((o) => o.type === kind))
      db.exec(`DROP ${kind.toUpperCase()} IF EXISTS ${q(o.name)}`);
  const hasSequences = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
  if (hasSequences) db.exec("DELETE FROM sqlite_sequence");
}

/** app_meta as the loader writes it (upgrade-steps.ts): the backup's meaningful keys, then its own. */
function writeAppMeta(db: Database.Database, version: number, mode: LoadOptions["appMeta"]) {
  if (mode === "keep") {
    db.prepare("DELETE FROM app_meta WHERE key = ?").run(BACKUP_CREATED_AT_KEY);
    return;
  }
  const keep = carriedMetaKeys(version);
  if (keep.length) db.prepare(`DELETE FROM app_meta WHERE key NOT IN (${keep.map(() => "?").join(", ")})`).run(...keep);
  else db.prepare("DELETE FROM app_meta").run();
  const insert = db.prepare("INSERT INTO app_meta (key, value) VALUES (?, ?)");
  for (const [key, value] of loaderMetaRows(version)) insert.run(key, value);
}

/** The later migrations over the loaded rows; every surviving column must read back as before. */
function upgrade(db: Database.Database, from: number, to: number): number {
  const surviving = survivingTables(from, to);
  const before = sqliteChecksums(db, surviving);
  crashPoint("mid-upgrade"); // test-only: dies with the old rows in, not yet upgraded
  const applied = migrateSqlite(db, from, to);
  const problems = diffChecksums(before, sqliteChecksums(db, surviving));
  if (problems.length) throw new Error(`the upgrade to schema ${to} changed rows: ${problems.join("; ")}`);
  log("SQLITE_RESTORE", `upgraded from schema ${from} to ${to} (${applied.join(", ")}); every row kept`);
  return from;
}

async function insertBlock(
  db: Database.Database,
  table: Table,
  lines: Iterable<string> | AsyncIterable<string>,
  observe: ((line: string) => void) | null,
  progress: RestoreProgress | undefined,
) {
  const hasher = new TableHasher(table);
  const stored = storedColumnNames(table);
  const insert = db.prepare(
    `INSERT INTO ${q(table.name)} (${stored.map(q).join(", ")}) VALUES (${stored.map(() => "?").join(", ")})`,
  );
  const n = table.columns.length;
  // Derived columns are the app's own computation from the row, never the backup's word.
  const derived = table.derived.map((d) => ({
    at: table.columns.findIndex((c) => c.name === d.from),
    derive: d.derive,
  }));
  for await (const line of lines) {
    hasher.addLine(line);
    if (observe) observe(line); // its money summed (money-check.ts)
    const fields = line.split("\t");
    if (fields.length !== n) throw new Error(`a row of ${table.name} has ${fields.length} fields, expected ${n}`);
    const values = new Array<unknown>(stored.length);
    for (let i = 0; i < n; i++) values[i] = sqliteValue(table.columns[i]!, fields[i]!);
    for (let k = 0; k < derived.length; k++) {
      const source = values[derived[k]!.at];
      values[n + k] = typeof source === "string" ? derived[k]!.derive(source) : "";
    }
    insert.run(values);
    if (progress && hasher.rows % 1000 === 0) progress.advance(1000);
    if (hasher.rows === 100) crashPoint("mid-replace"); // test-only: dies with rows half in
  }
  progress?.advance(hasher.rows % 1000);
  return hasher.digest();
}

export async function loadIntoSqlite(
  path: string,
  records: RecordSource,
  options: Omit<LoadOptions, "verify"> = {},
): Promise<LoadResult> {
  const latest = latestSchemaVersion("sqlite");
  const version = options.version ?? latest;
  const tables = tablesAt(version);
  const db = new Database(path, { timeout: 15000 });
  try {
    // Foreign keys are checked once, over the whole load, before COMMIT (foreign_key_check).
    db.pragma("foreign_keys = OFF");
    db.exec("BEGIN IMMEDIATE");
    try {
      dropEverything(db);
      for (const m of loadMigrations("sqlite").filter((m) => m.version <= version)) db.exec(m.sql);
      // Indexes are built once after the rows are in: faster than keeping them row by row.
      const indexes = db
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .all() as { name: string; sql: string }[];
      for (const i of indexes) db.exec(`DROP INDEX ${q(i.name)}`);
      log("SQLITE_RESTORE", `schema ${version} built from the committed migrations`);

      const sourceChecksums: Checksums = {};
      for (const table of tables) sourceChecksums[table.name] = EMPTY_TABLE;
      const tally = new BlockTally(version);
      const balances = new BalanceTally();
      for await (const { table, lines } of records) {
        tally.take(table);
        sourceChecksums[table.name] = await insertBlock(db, table, lines, balances.observer(table), options.progress);
        log("SQLITE_RESTORE", `loaded ${table.name}: ${sourceChecksums[table.name]!.rows} rows`);
      }
      tally.finish();
      options.progress?.enter("indexes");
      for (const i of indexes) db.exec(i.sql);

      const orphans = db.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
      if (orphans.length)
        throw new Error(
          `${orphans.length} row(s) point to missing rows, e.g. ${orphans[0]!.table} row ${orphans[0]!.rowid} → ${orphans[0]!.parent}`,
        );
      options.progress?.enter("verify");
      if (options.expected) {
        const problems = diffChecksums(options.expected, sourceChecksums, ["sessions"]);
        if (problems.length) throw new Error(`the records differ from the backup's: ${problems.join("; ")}`);
      }
      const problems = diffChecksums(sourceChecksums, sqliteChecksums(db, tables));
      if (problems.length) throw new Error(`verification failed before commit: ${problems.join("; ")}`);
      log("SQLITE_RESTORE", "row counts and checksums of every table match the source");

      writeAppMeta(db, version, options.appMeta);
      const upgradedFrom = version < latest ? upgrade(db, version, latest) : undefined;
      // After the upgrade: no migration may have moved a cent either.
      const money = checkSqliteBalances(db, balances, options.appMeta);
      log("SQLITE_RESTORE", `${money.accounts} account(s), balances equal to the backup's`);
      if (options.event) endSessionsAndRecordSqlite(db, options.event);
      crashPoint("before-commit");
      db.exec("COMMIT");
      log("SQLITE_RESTORE", "committed");
      return { sourceChecksums, money, ...(upgradedFrom !== undefined ? { upgradedFrom } : {}) };
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}
