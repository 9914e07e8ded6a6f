/**
 * The corpus of bad backup files, generated (not committed as blobs nobody can read).
 *
 *   npx tsx scripts/make-bad-backups.ts OUT_DIR GOOD.sqlite3 [PG_ADMIN_URL [GOOD.dump]]
 *
 * writes every file and a corpus.json describing them. From a good SQLite backup of the app
 * it derives damaged, foreign and hostile SQLite files and look-alikes; with a PostgreSQL
 * superuser URL it also builds custom-format archives that carry each kind of entry this
 * app never writes (functions, triggers, event triggers, extensions, rules, policies,
 * foreign servers, ACLs, a DATABASE entry, names with control characters, other schemas).
 * The tests (tests/bad-files.test.ts) restore each one and expect a clear refusal with the
 * live data unchanged.
 *
 * makeAttackBackups (below) writes the second corpus, the red team's findings of issue 11
 * ("backups are data, never code"): SQLite files whose own schema or values are hostile,
 * and dumps of altered scratch databases — some archives then edited (pg-custom-archive.ts)
 * to hide SQL inside the entries the archive check allows. Each says what it expects on each
 * engine: refused, or restored clean (the rows, in exactly the app's own schema);
 * tests/backups-are-data.test.ts holds them to that. The command line writes both corpora
 * (the second into OUT_DIR/attack, with attack-corpus.json).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import Database from "better-sqlite3";
import pg from "pg";
import { computeChecksums, type Checksums } from "../lib/db/checksum.ts";
import { loadMigrations } from "../lib/db/schema.ts";
import { TABLES } from "../lib/db/tables.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { findPgTool } from "../lib/backup-restore/engine/pg-tools.ts";
import {
  findEntry,
  readCustomArchive,
  setFirstRowField,
  writeCustomArchive,
  type CustomArchive,
} from "./pg-custom-archive.ts";

export type BadFile = {
  name: string;
  path: string;
  /** Refusal code on a SQLite instance and on a PostgreSQL instance. */
  expect: { sqlite: string; postgresql: string };
  what: string;
};

const PAGE = 4096;

export async function makeBadBackups(dir: string, goodSqlite: string, pgAdminUrl?: string): Promise<BadFile[]> {
  mkdirSync(dir, { recursive: true });
  const good = readFileSync(goodSqlite);
  const files: BadFile[] = [];
  const both = (code: string) => ({ sqlite: code, postgresql: code });
  const add = (name: string, content: Buffer | string, expect: BadFile["expect"], what: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push({ name, path, expect, what });
  };
  const derive = (name: string, expect: BadFile["expect"], what: string, sql: string) => {
    const path = join(dir, name);
    copyFileSync(goodSqlite, path);
    const db = new Database(path);
    db.pragma("foreign_keys = OFF");
    db.exec(sql);
    db.close();
    files.push({ name, path, expect, what });
  };

  // Nothing, or almost nothing.
  add("empty.sqlite3", Buffer.alloc(0), both("UNKNOWN_FILE_TYPE"), "an empty file");
  add("one-byte.sqlite3", Buffer.from("S"), both("UNKNOWN_FILE_TYPE"), "a single byte");
  add("header-only.sqlite3", good.subarray(0, 100), both("SQLITE_CORRUPT"), "the 100-byte SQLite header alone");

  // Truncated at many offsets: inside the header, page 1, the schema, the data, the last page.
  for (const cut of [
    12,
    16,
    50,
    512,
    PAGE - 1,
    PAGE + 1,
    PAGE * 2 + 100,
    Math.floor(good.length / 3),
    Math.floor(good.length / 2),
    good.length - PAGE,
    good.length - 1,
  ]) {
    const code = cut < 16 ? "UNKNOWN_FILE_TYPE" : "SQLITE_CORRUPT";
    add(`truncated-at-${cut}.sqlite3`, good.subarray(0, cut), both(code), `a good backup cut at byte ${cut}`);
  }

  // Flipped bytes in the header, a data page and an index page.
  const pageOf = (table: string) => {
    const db = new Database(goodSqlite, { readonly: true });
    try {
      return (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").get(table) as { rootpage: number })
        .rootpage;
    } finally {
      db.close();
    }
  };
  const flip = (name: string, from: number, to: number, what: string) => {
    const copy = Buffer.from(good);
    for (let i = from; i < to; i++) copy[i] = copy[i]! ^ 0xff;
    add(name, copy, both("SQLITE_CORRUPT"), what);
  };
  flip("flipped-header-page-size.sqlite3", 16, 18, "the page size in the header garbled");
  flip(
    "flipped-data-page.sqlite3",
    (pageOf("transactions") - 1) * PAGE + 8,
    (pageOf("transactions") - 1) * PAGE + 40,
    "cell pointers of a data page garbled",
  );
  flip(
    "flipped-index-page.sqlite3",
    (pageOf("users_username_key") - 1) * PAGE,
    (pageOf("users_username_key") - 1) * PAGE + 12,
    "the header of an index page garbled",
  );
  flip("flipped-schema-page.sqlite3", 100, 140, "the schema table's page header garbled");

  // Valid SQLite files that are not this app's, or not what they claim.
  const other = join(dir, "other-app.sqlite3");
  const o = new Database(other);
  o.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
  o.close();
  files.push({
    name: "other-app.sqlite3",
    path: other,
    expect: both("NOT_THIS_APP"),
    what: "a valid database of another app",
  });
  derive(
    "wrong-app-marker.sqlite3",
    both("NOT_THIS_APP"),
    "our tables, another app's marker",
    "UPDATE app_meta SET value = 'other-app' WHERE key = 'app';",
  );
  derive("no-app-meta.sqlite3", both("NOT_THIS_APP"), "our tables without app_meta", "DROP TABLE app_meta;");
  derive(
    "view-as-table.sqlite3",
    both("SCHEMA_MISMATCH"),
    "a view posing as the transactions table",
    "DROP TABLE transactions; CREATE VIEW transactions AS SELECT 1 AS id;",
  );
  derive(
    "hostile-trigger.sqlite3",
    both("SCHEMA_MISMATCH"),
    "a trigger that deletes users",
    "CREATE TRIGGER wipe AFTER INSERT ON events BEGIN DELETE FROM users; END;",
  );
  derive(
    "extra-view.sqlite3",
    both("SCHEMA_MISMATCH"),
    "a view that is not ours",
    "CREATE VIEW spy AS SELECT password_hash FROM users;",
  );
  derive(
    "missing-column.sqlite3",
    both("SCHEMA_MISMATCH"),
    "transactions without its reconciled column",
    "ALTER TABLE transactions DROP COLUMN reconciled;",
  );
  derive(
    "extra-column.sqlite3",
    both("SCHEMA_MISMATCH"),
    "users with a column we do not have",
    "ALTER TABLE users ADD COLUMN shell TEXT;",
  );
  derive(
    "newer-schema.sqlite3",
    both("NEWER_SCHEMA"),
    "a file from a newer schema version",
    "UPDATE app_meta SET value = '999' WHERE key = 'schema_version';",
  );
  derive(
    "no-family.sqlite3",
    both("NO_FAMILY"),
    "a backup with no family",
    "DELETE FROM transactions; DELETE FROM sessions; DELETE FROM accounts; DELETE FROM categories; DELETE FROM users; DELETE FROM families;",
  );

  // Look-alikes: other formats, renamed.
  const random = (n: number, seed: number) => {
    const b = Buffer.alloc(n);
    let x = seed;
    for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return b;
  };
  add("random-1k.sqlite3", random(1024, 1), both("UNKNOWN_FILE_TYPE"), "1 KiB of random bytes");
  add("random-64k.dump", random(65536, 2), both("UNKNOWN_FILE_TYPE"), "64 KiB of random bytes named .dump");
  add(
    "picture.sqlite3",
    Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), random(400, 3)]),
    both("UNKNOWN_FILE_TYPE"),
    "a PNG renamed",
  );
  add(
    "archive.sqlite3",
    zipWith("wimm.sqlite3", good.subarray(0, 2048)),
    both("UNKNOWN_FILE_TYPE"),
    "a ZIP holding a database, renamed",
  );
  add(
    "document.dump",
    Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
    both("UNKNOWN_FILE_TYPE"),
    "a PDF renamed",
  );
  add(
    "pgdmp-garbage.dump",
    Buffer.concat([Buffer.from("PGDMP"), random(2000, 4)]),
    { sqlite: "PG_DUMP_ON_SQLITE", postgresql: "PG_ARCHIVE_UNREADABLE" },
    "PGDMP followed by garbage",
  );
  add(
    "pgdmp-future.dump",
    Buffer.concat([Buffer.from("PGDMP"), Buffer.from([1, 40, 0, 4, 8, 1, 1]), random(500, 5)]),
    { sqlite: "PG_DUMP_ON_SQLITE", postgresql: "PG_TOOLS_TOO_OLD" },
    "a custom archive from a far newer pg_dump",
  );

  // Plain SQL with psql meta-commands and COPY FROM PROGRAM: refused, never executed.
  const hostileSql = [
    "--",
    "-- PostgreSQL database dump",
    "--",
    "SET statement_timeout = 0;",
    "SELECT pg_catalog.set_config('search_path', '', false);",
    "\\! touch /tmp/wimm-pwned-by-meta-command",
    "COPY public.events FROM PROGRAM 'touch /tmp/wimm-pwned-by-copy-program';",
    "",
  ].join("\n");
  add("plain.sql", hostileSql, both("PLAIN_SQL_DUMP"), "plain SQL with \\! and COPY FROM PROGRAM");
  add("plain-renamed.sqlite3", hostileSql, both("PLAIN_SQL_DUMP"), "the same, named .sqlite3");
  add("plain-renamed.dump", hostileSql, both("PLAIN_SQL_DUMP"), "the same, named .dump");
  add(
    "../../x".replace(/\//g, "%2F") + ".sqlite3",
    hostileSql,
    both("PLAIN_SQL_DUMP"),
    "a name like ../../x (names are never used as paths)",
  );

  if (pgAdminUrl) files.push(...(await makeHostileArchives(dir, pgAdminUrl)));
  writeFileSync(
    join(dir, "corpus.json"),
    JSON.stringify(
      files.map(({ name, expect, what }) => ({ name, expect, what })),
      null,
      2,
    ),
  );
  return files;
}

/** A one-entry ZIP (deflate), written by hand: enough to start with PK\x03\x04. */
function zipWith(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}

/** Custom-format archives of a WIMM database plus one object this app never creates. */
async function makeHostileArchives(dir: string, adminUrl: string): Promise<BadFile[]> {
  const evil: [string, string, string][] = [
    ["function", "a function", "CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS 'SELECT 1';"],
    [
      "trigger",
      "a trigger (and its function)",
      "CREATE FUNCTION public.evil_trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER evil BEFORE INSERT ON public.transactions FOR EACH ROW EXECUTE FUNCTION public.evil_trg();",
    ],
    [
      "event-trigger",
      "an event trigger",
      "CREATE FUNCTION public.evil_evt() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'; CREATE EVENT TRIGGER evil ON ddl_command_start EXECUTE FUNCTION public.evil_evt();",
    ],
    ["extension", "an extension", "CREATE EXTENSION IF NOT EXISTS pgcrypto;"],
    ["rule", "a rule", "CREATE RULE evil AS ON INSERT TO public.events DO ALSO NOTIFY evil;"],
    [
      "policy",
      "a row-security policy",
      "ALTER TABLE public.users ENABLE ROW LEVEL SECURITY; CREATE POLICY evil ON public.users USING (true);",
    ],
    [
      "foreign-server",
      "a foreign server",
      "CREATE FOREIGN DATA WRAPPER evil_fdw; CREATE SERVER evil FOREIGN DATA WRAPPER evil_fdw;",
    ],
    ["acl", "an ACL (GRANT)", "GRANT SELECT ON public.users TO PUBLIC;"],
    ["view", "a view", "CREATE VIEW public.spy AS SELECT username, password_hash FROM public.users;"],
    ["other-schema", "a table in another schema", "CREATE SCHEMA evil; CREATE TABLE evil.loot (id int);"],
    [
      "control-char-name",
      "a table whose name holds a newline",
      'CREATE TABLE public."users_x\nDROP TABLE users" (id int);',
    ],
    ["extra-table", "a table that is not this app's", "CREATE TABLE public.zzz_extra (id int);"],
    // Database-level settings travel as a DATABASE PROPERTIES entry.
    [
      "database-properties",
      "a DATABASE PROPERTIES entry (ALTER DATABASE … SET)",
      "ALTER DATABASE current_database_placeholder SET search_path = evil, public;",
    ],
    ["database-comment", "a COMMENT on the DATABASE", "COMMENT ON DATABASE current_database_placeholder IS 'evil';"],
  ];
  const files: BadFile[] = [];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const [slug, what, sql] of evil) {
      const name = `wimm_evil_${slug.replace(/-/g, "_")}_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      try {
        for (const m of loadMigrations("postgresql")) await db.query(m.sql);
        await db.query(
          `INSERT INTO app_meta VALUES ('app', 'wimm-finance'), ('schema_version', '${loadMigrations("postgresql").length}');
           INSERT INTO families (name) VALUES ('Evil family');
           INSERT INTO users (family_id, username, password_hash, role) VALUES (1, 'admin', 'x', 'admin');`,
        );
        await db.query(sql.replace("current_database_placeholder", name));
      } finally {
        await db.end();
      }
      const file = join(dir, `hostile-${slug}.dump`);
      execFileSync(findPgTool("pg_dump"), ["--format=custom", "--file", file, "--dbname", url.toString()]);
      files.push({
        name: `hostile-${slug}.dump`,
        path: file,
        expect: { sqlite: "PG_DUMP_ON_SQLITE", postgresql: "PG_ARCHIVE_FORBIDDEN" },
        what: `a dump with ${what}`,
      });
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
  return files;
}

// ============================================================================ attack corpus

/**
 * What a restore of an attack file must end in, on one engine: refused (with this code, when
 * one is obvious), or restored — with the backup's rows in exactly the app's own schema and
 * nothing of the file's schema, code or sessions left.
 */
export type AttackExpectation = { outcome: "refused"; code?: string } | { outcome: "restored-clean" };

export type AttackFile = {
  name: string;
  path: string;
  what: string;
  expect: { sqlite: AttackExpectation; postgresql: AttackExpectation };
  /**
   * The checksums of the rows the file carries, for files expected to restore: a clean
   * restore leaves exactly these (sessions aside, and events plus the restore's own).
   */
  rows?: Checksums;
  /** The file carries SQL meant to run on restore: also restored onto a superuser's database. */
  carriesSql?: boolean;
  /** The file `COPY … TO PROGRAM` would create on the database host if the archive's SQL ran. */
  marker?: string;
};

/** The cookie token of the admin session planted in some attack files (only its SHA-256 is stored). */
export const ATTACK_SESSION_TOKEN = "attack-planted-admin-session-token";
const PLANTED_SESSION_HASH = createHash("sha256").update(ATTACK_SESSION_TOKEN).digest("hex");

const refused = (code?: string): AttackExpectation => ({ outcome: "refused", ...(code ? { code } : {}) });
const CLEAN: AttackExpectation = { outcome: "restored-clean" };
const VALUE_REFUSAL = refused("PREFLIGHT_FAILED");
const DUMP_ON_SQLITE = refused("PG_DUMP_ON_SQLITE");

/** The trigger the red team planted: every amount entered afterwards (not by a restore) times 100. */
const TIMES_100_SQL = `
CREATE FUNCTION public.wimm_times_100() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('application_name', true) IS DISTINCT FROM 'wimm-restore' THEN
    NEW.amount_cents := NEW.amount_cents * 100;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER wimm_times_100 BEFORE INSERT OR UPDATE ON public.transactions
  FOR EACH ROW EXECUTE FUNCTION public.wimm_times_100();
`;

/**
 * The attack corpus of issue 11: real files derived from real backups of this app (the good
 * SQLite backup; with a PostgreSQL superuser URL, scratch databases loaded from the good dump
 * and altered, then dumped, some archives then edited), each carrying one red-team finding.
 * The contract they are restored under is in tests/backups-are-data.test.ts.
 */
export async function makeAttackBackups(
  dir: string,
  goodSqlite: string,
  goodDump?: string,
  pgAdminUrl?: string,
): Promise<AttackFile[]> {
  mkdirSync(dir, { recursive: true });
  const files: AttackFile[] = await makeSqliteAttacks(dir, goodSqlite);
  if (pgAdminUrl)
    files.push(...(await makeDumpAttacks(dir, goodDump ?? (await seedGoodDump(dir, pgAdminUrl)), pgAdminUrl)));
  writeFileSync(
    join(dir, "attack-corpus.json"),
    JSON.stringify(
      files.map(({ name, what, expect, carriesSql, marker }) => ({ name, what, expect, carriesSql, marker })),
      null,
      2,
    ),
  );
  return files;
}

/** Prisma's DateTime text on SQLite. */
const sqliteDate = (iso: string) => iso.replace("Z", "+00:00");

/** The first admin's session, its token ATTACK_SESSION_TOKEN, valid for decades. */
function plantSession(db: Database.Database) {
  db.prepare(
    `INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at)
     VALUES ((SELECT min(id) FROM users WHERE role = 'admin'), ?, ?, ?, ?)`,
  ).run(
    PLANTED_SESSION_HASH,
    sqliteDate("2099-01-01T00:00:00.000Z"),
    sqliteDate(new Date().toISOString()),
    sqliteDate(new Date().toISOString()),
  );
}

/**
 * Rebuilds a table the way `sqlite3` users do (create new, copy, drop, rename, indexes
 * again), with its CREATE statement changed by `change`.
 */
function rebuildTable(db: Database.Database, table: string, change: (sql: string) => string) {
  const sql = (
    db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as
      { sql: string } | undefined
  )?.sql;
  if (!sql) throw new Error(`no table ${table}`);
  const indexes = (
    db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .all(table) as {
      sql: string;
    }[]
  ).map((r) => r.sql);
  const created = change(sql).replace(`CREATE TABLE "${table}"`, `CREATE TABLE "${table}_rebuilt"`);
  if (created === sql || !created.includes(`"${table}_rebuilt"`))
    throw new Error(`rebuilding ${table} changed nothing`);
  db.exec(created);
  db.exec(`INSERT INTO "${table}_rebuilt" SELECT * FROM "${table}"`);
  db.exec(`DROP TABLE "${table}"`);
  db.exec(`ALTER TABLE "${table}_rebuilt" RENAME TO "${table}"`);
  for (const index of indexes) db.exec(index);
}

/** Adds a table constraint at the end of a CREATE TABLE statement. */
const withConstraint = (constraint: string) => (sql: string) => sql.replace(/\s*\)\s*$/, `,\n    ${constraint}\n)`);

async function makeSqliteAttacks(dir: string, goodSqlite: string): Promise<AttackFile[]> {
  const files: AttackFile[] = [];
  const derive = (
    name: string,
    what: string,
    expect: AttackFile["expect"],
    change: (db: Database.Database) => void,
  ) => {
    const path = join(dir, name);
    copyFileSync(goodSqlite, path);
    const db = new Database(path);
    try {
      db.pragma("foreign_keys = OFF");
      db.transaction(() => change(db))();
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`${name}: the derived file fails SQLite's integrity check: ${check}`);
    } finally {
      db.close();
    }
    files.push({ name, path, what, expect });
  };
  const both = (e: AttackExpectation) => ({ sqlite: e, postgresql: e });

  // (3) A planted session, alone: valid as admin if it survived a restore.
  derive(
    "attack-planted-session.sqlite3",
    "a backup carrying a live admin session (its token is known to the attacker)",
    both(CLEAN),
    (db) => plantSession(db),
  );

  // (4) The backup's own schema copied as is: a hidden cascade from transactions to sessions.
  derive(
    "attack-hidden-cascade-fk.sqlite3",
    "transactions rebuilt with a hidden FOREIGN KEY (user_id) REFERENCES sessions(user_id) ON DELETE CASCADE " +
      "(and a unique index on sessions.user_id, one planted session per user): ending a session deletes " +
      "that user's transactions",
    both(CLEAN),
    (db) => {
      db.exec(`CREATE UNIQUE INDEX "sessions_user_id_key" ON "sessions"("user_id")`);
      for (const { id } of db.prepare("SELECT id FROM users ORDER BY id").all() as { id: number }[]) {
        db.prepare(
          `INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
        ).run(
          id,
          id === 1 ? PLANTED_SESSION_HASH : createHash("sha256").update(`attack-${id}`).digest("hex"),
          sqliteDate("2099-01-01T00:00:00.000Z"),
          sqliteDate(new Date().toISOString()),
          sqliteDate(new Date().toISOString()),
        );
      }
      rebuildTable(
        db,
        "transactions",
        withConstraint(
          `CONSTRAINT "transactions_user_id_session_fkey" FOREIGN KEY ("user_id") REFERENCES "sessions" ("user_id") ON DELETE CASCADE`,
        ),
      );
    },
  );

  // (3) The final step (end sessions, record the event) made to fail, with a session planted.
  derive(
    "attack-check-rejects-event.sqlite3",
    "events rebuilt with CHECK (kind <> 'restore'), which rejects the restore's own event, and an admin session planted",
    both(CLEAN),
    (db) => {
      rebuildTable(db, "events", withConstraint(`CONSTRAINT "events_kind_check" CHECK ("kind" <> 'restore')`));
      plantSession(db);
    },
  );
  derive(
    "attack-sequence-max.sqlite3",
    "sqlite_sequence of every table set to 9223372036854775807 (no row can be added, the restore's event " +
      "included), and an admin session planted",
    both(CLEAN),
    (db) => {
      plantSession(db);
      db.exec(
        `INSERT INTO sqlite_sequence (name, seq) SELECT name, 0 FROM sqlite_master
          WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%' AND name NOT IN (SELECT name FROM sqlite_sequence);
         UPDATE sqlite_sequence SET seq = 9223372036854775807;`,
      );
    },
  );

  // (5) Accepted, then the app breaks: values the app's own forms would never write.
  derive(
    "attack-role-capitalised.sqlite3",
    "every admin's role is 'Admin': nobody can sign in as an admin",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE users SET role = 'Admin' WHERE role = 'admin'`),
  );
  derive(
    "attack-currency-symbol.sqlite3",
    "the family's currency is 'R$', not an ISO 4217 code (the settings page answers 500)",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE families SET currency = 'R$'`),
  );
  derive("attack-amount-text.sqlite3", "an amount stored as the text '12,34'", both(VALUE_REFUSAL), (db) =>
    db.exec(`UPDATE transactions SET amount_cents = '12,34' WHERE id = (SELECT min(id) FROM transactions)`),
  );
  derive(
    "attack-amount-column-text.sqlite3",
    "transactions rebuilt with amount_cents declared TEXT, every amount stored as text",
    both(VALUE_REFUSAL),
    (db) =>
      rebuildTable(db, "transactions", (sql) =>
        sql.replace(`"amount_cents" BIGINT NOT NULL`, `"amount_cents" TEXT NOT NULL`),
      ),
  );
  derive(
    "attack-date-word-now.sqlite3",
    "dates stored as SQLite's date word 'now' (a transaction's occurred_at, a user's created_at): SQLite's date functions read it as the current time",
    both(VALUE_REFUSAL),
    (db) =>
      db.exec(
        `UPDATE transactions SET occurred_at = 'now' WHERE id = (SELECT min(id) FROM transactions);
         UPDATE users SET created_at = 'now' WHERE id = (SELECT max(id) FROM users);`,
      ),
  );
  derive(
    "attack-date-julian-number.sqlite3",
    "a date stored as the number 2460000.5 (the DATETIME column's numeric affinity keeps it a REAL; SQLite's date functions read it as a Julian day)",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE transactions SET occurred_at = '2460000.5' WHERE id = (SELECT min(id) FROM transactions)`),
  );
  derive(
    "attack-no-active-admin.sqlite3",
    "every admin deactivated: no active admin at all",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE users SET active = 0 WHERE role = 'admin'`),
  );
  derive(
    "attack-nul-in-text.sqlite3",
    "a transaction description with a NUL character inside",
    both(VALUE_REFUSAL),
    (db) =>
      db
        .prepare(`UPDATE transactions SET description = ? WHERE id = (SELECT min(id) FROM transactions)`)
        .run("Mercado\u0000; DROP TABLE users"),
  );
  derive(
    "attack-id-beyond-int32.sqlite3",
    "a transaction id of 2147483648 (2^31), beyond the app's 32-bit ids",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE transactions SET id = 2147483648 WHERE id = (SELECT max(id) FROM transactions)`),
  );
  derive(
    "attack-orphan-account.sqlite3",
    "a transaction pointing to account 999999, which does not exist",
    both(VALUE_REFUSAL),
    (db) => db.exec(`UPDATE transactions SET account_id = 999999 WHERE id = (SELECT min(id) FROM transactions)`),
  );
  // Not a refusal: the app falls back to UTC for a zone it does not know.
  derive(
    "attack-time-zone-invalid.sqlite3",
    "the family's time_zone is 'Mars/Olympus_Mons' (not a refusal: the app falls back to UTC)",
    both(CLEAN),
    (db) => db.exec(`UPDATE families SET time_zone = 'Mars/Olympus_Mons'`),
  );
  // The rows a clean restore must leave, read from each derived file once it is written.
  for (const file of files.filter((f) => f.expect.sqlite.outcome === "restored-clean"))
    file.rows = await computeChecksums(parseDatabaseUrl(`file:${file.path}`));
  return files;
}

/** Without a good dump: seed a scratch database with the demo family and dump it with pg_dump. */
async function seedGoodDump(dir: string, adminUrl: string): Promise<string> {
  const name = `wimm_attack_seed_${process.pid}`;
  const url = await createScratch(adminUrl, name);
  try {
    const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "attack-admin-password" } as NodeJS.ProcessEnv);
    await seedDatabase(parseDatabaseUrl(url), env, { transactions: 300, memberPassword: "attack-member-password" });
    const file = join(dir, "good-seeded.dump");
    execFileSync(findPgTool("pg_dump"), ["--format=custom", "--file", file, "--dbname", url], { stdio: "pipe" });
    return file;
  } finally {
    await dropScratch(adminUrl, name);
  }
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createScratch(adminUrl: string, name: string, options = ""): Promise<string> {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} ${options}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const dropScratch = (adminUrl: string, name: string) =>
  withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);

async function runSql(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

type DumpAttack = {
  slug: string;
  what: string;
  /** On a PostgreSQL instance (on SQLite every dump is refused as PG_DUMP_ON_SQLITE). */
  expect: AttackExpectation;
  /** SQL run as the superuser on the scratch database loaded from the good dump. */
  alter?: string;
  /**
   * The scratch database's checksums are not the file's rows (char(n) reads back trimmed as
   * text, while its COPY data is blank-padded): the restore loads the COPY data as it is.
   */
  rowsDifferFromSource?: boolean;
  /** Extra pg_dump arguments. */
  dumpArgs?: string[];
  /** Edits the uncompressed archive (pg_dump -Z0) after dumping. */
  edit?: (archive: CustomArchive) => void;
  /** Builds the scratch database itself instead of loading the good dump (returns its URL). */
  build?: (name: string) => Promise<string>;
  carriesSql?: boolean;
  marker?: string;
};

async function makeDumpAttacks(dir: string, goodDump: string, adminUrl: string): Promise<AttackFile[]> {
  const marker = (slug: string) => join(tmpdir(), `wimm-attack-${slug}-${process.pid}`);
  const attacks: DumpAttack[] = [
    // (1) A dump runs SQL it carries: SQL appended to entries the archive check allows.
    {
      slug: "sql-in-fk-constraint",
      what: "an FK CONSTRAINT entry's definition (transactions_account_id_fkey) followed by a plpgsql function and a trigger multiplying every amount entered afterwards by 100",
      expect: CLEAN,
      edit: (a) => {
        findEntry(a, "FK CONSTRAINT", "transactions transactions_account_id_fkey").defn += TIMES_100_SQL;
      },
      carriesSql: true,
    },
    {
      slug: "sql-in-table",
      what: "the TABLE entry of transactions followed by the same function and trigger (which spares the restore's own inserts)",
      expect: CLEAN,
      edit: (a) => {
        findEntry(a, "TABLE", "transactions").defn += TIMES_100_SQL;
      },
      carriesSql: true,
    },
    {
      slug: "sql-in-copy-statement",
      // The reader ignores lines outside COPY blocks (it never runs any): the rows restore, nothing else.
      what: "the TABLE DATA entry of events whose COPY statement first creates the same function and trigger",
      expect: CLEAN,
      edit: (a) => {
        const data = findEntry(a, "TABLE DATA", "events");
        data.copyStmt = `${TIMES_100_SQL}\n${data.copyStmt}`;
      },
      carriesSql: true,
    },
    {
      slug: "copy-to-program-in-fk",
      what: "an FK CONSTRAINT entry's definition followed by COPY (SELECT 1) TO PROGRAM 'touch <marker>' (runs a shell command on the database host when the app's role is a superuser)",
      expect: CLEAN,
      edit: (a) => {
        findEntry(a, "FK CONSTRAINT", "transactions transactions_user_id_fkey").defn +=
          `\nCOPY (SELECT 1) TO PROGRAM 'touch ${marker("copy-to-program-in-fk")}';\n`;
      },
      carriesSql: true,
      marker: marker("copy-to-program-in-fk"),
    },
    {
      slug: "copy-to-program-in-copy",
      what: "the TABLE DATA entry of events whose COPY statement first runs COPY (SELECT 1) TO PROGRAM 'touch <marker>'",
      expect: refused(),
      edit: (a) => {
        const data = findEntry(a, "TABLE DATA", "events");
        data.copyStmt = `COPY (SELECT 1) TO PROGRAM 'touch ${marker("copy-to-program-in-copy")}';\n${data.copyStmt}`;
      },
      carriesSql: true,
      marker: marker("copy-to-program-in-copy"),
    },

    // (2) Plain pg_dumps of an altered database.
    {
      slug: "extra-fk",
      what: "a plain pg_dump with one extra foreign key, families(id) REFERENCES transactions(id): a later --clean restore cannot drop transactions",
      expect: CLEAN,
      alter: `ALTER TABLE families ADD CONSTRAINT families_first_transaction_fkey FOREIGN KEY (id) REFERENCES transactions (id);`,
    },
    {
      slug: "column-other-type",
      what: "a plain pg_dump whose transactions.amount_cents is numeric(20,2) (COPY carries 1234.00)",
      expect: refused(),
      alter: `ALTER TABLE transactions ALTER COLUMN amount_cents TYPE numeric(20,2);`,
    },
    {
      slug: "extra-fk-and-column-type",
      what:
        "a plain pg_dump with the extra foreign key and transactions.description as char(120) (blank-padded, so " +
        "the restored rows differ from the COPY's): the restore fails its verification and the rollback's --clean " +
        "cannot drop transactions past the extra key (bricked the instance: exit 4, every command failing after). " +
        "Only rows are read now: the padded descriptions are what the file holds, and restore as such",
      expect: CLEAN,
      rowsDifferFromSource: true,
      alter: `ALTER TABLE families ADD CONSTRAINT families_first_transaction_fkey FOREIGN KEY (id) REFERENCES transactions (id);
              ALTER TABLE transactions ALTER COLUMN description TYPE char(120);`,
    },

    // (3) The final step made to fail, with a session planted that is valid as admin.
    {
      slug: "check-rejects-event",
      what: "a CHECK (kind <> 'restore') on events, rejecting the restore's own event, and an admin session planted",
      expect: CLEAN,
      alter: `ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind <> 'restore');
              ${plantedSessionSql()}`,
    },
    {
      slug: "sequence-max",
      what: "every id sequence set to 2147483647 (nextval fails: no row can be added, the restore's event included), and an admin session planted",
      expect: CLEAN,
      alter: `${plantedSessionSql()}
              ${TABLES.filter((t) => t.idColumn)
                .map((t) => `SELECT setval('${t.name}_${t.idColumn}_seq', 2147483647);`)
                .join("\n")}`,
    },
    {
      slug: "planted-session",
      what: "a dump carrying a live admin session (its token is known to the attacker)",
      expect: CLEAN,
      alter: plantedSessionSql(),
    },

    // (5) Accepted, then the app breaks.
    {
      slug: "role-capitalised",
      what: "every admin's role is 'Admin': nobody can sign in as an admin",
      expect: VALUE_REFUSAL,
      alter: `UPDATE users SET role = 'Admin' WHERE role = 'admin';`,
    },
    {
      slug: "currency-symbol",
      what: "the family's currency is 'R$', not an ISO 4217 code",
      expect: VALUE_REFUSAL,
      alter: `UPDATE families SET currency = 'R$';`,
    },
    {
      slug: "no-active-admin",
      what: "every admin deactivated: no active admin at all",
      expect: VALUE_REFUSAL,
      alter: `UPDATE users SET active = false WHERE role = 'admin';`,
    },
    {
      slug: "orphan-account",
      what: "a transaction pointing to account 999999, which does not exist (written with foreign-key triggers off)",
      expect: VALUE_REFUSAL,
      alter: `SET session_replication_role = replica;
              UPDATE transactions SET account_id = 999999 WHERE id = (SELECT min(id) FROM transactions);`,
    },
    {
      slug: "date-infinity",
      what: "a transaction dated 'infinity' (PostgreSQL holds it; the app's dates cannot)",
      expect: VALUE_REFUSAL,
      alter: `UPDATE transactions SET occurred_at = 'infinity' WHERE id = (SELECT min(id) FROM transactions);`,
    },
    {
      slug: "time-zone-invalid",
      what: "the family's time_zone is 'Mars/Olympus_Mons' (not a refusal: the app falls back to UTC)",
      expect: CLEAN,
      alter: `UPDATE families SET time_zone = 'Mars/Olympus_Mons';`,
    },

    // Values edited into the COPY data, as pg_dump itself would never write them.
    {
      slug: "copy-amount-text",
      what: "COPY data with the amount '12,34'",
      expect: VALUE_REFUSAL,
      edit: (a) => setFirstRowField(findEntry(a, "TABLE DATA", "transactions"), "amount_cents", "12,34"),
    },
    {
      slug: "copy-date-word-now",
      what: "COPY data with the date word 'now' as a transaction's occurred_at (PostgreSQL's COPY would store the time of the restore)",
      expect: VALUE_REFUSAL,
      edit: (a) => setFirstRowField(findEntry(a, "TABLE DATA", "transactions"), "occurred_at", "now"),
    },
    {
      slug: "copy-nul-escape",
      what: "COPY data with a NUL character (the escape \\000) in a description",
      expect: VALUE_REFUSAL,
      edit: (a) => setFirstRowField(findEntry(a, "TABLE DATA", "transactions"), "description", "Mercado\\000x"),
    },
    {
      slug: "copy-id-beyond-int32",
      what: "COPY data with a transaction id of 2147483648 (2^31)",
      expect: VALUE_REFUSAL,
      edit: (a) => setFirstRowField(findEntry(a, "TABLE DATA", "transactions"), "id", "2147483648"),
    },

    // The strict dump reader's refusals.
    {
      slug: "copy-invalid-utf8",
      what: "COPY data with bytes that are not UTF-8 (0xff 0xfe) in a description",
      expect: refused(),
      edit: (a) => setFirstRowField(findEntry(a, "TABLE DATA", "transactions"), "description", "Mercado \xff\xfe"),
    },
    {
      slug: "table-without-copy",
      what: "a dump made with --exclude-table-data=public.events: the events table has no COPY block",
      expect: refused(),
      dumpArgs: ["--exclude-table-data=public.events"],
    },
    {
      slug: "duplicate-copy",
      what: "the TABLE DATA entry of categories twice (a second entry with its own dump id and the same rows)",
      expect: refused(),
      edit: (a) => {
        const original = findEntry(a, "TABLE DATA", "categories");
        const copy = { ...original, dumpId: Math.max(...a.entries.map((e) => e.dumpId)) + 1, deps: [...original.deps] };
        a.entries.splice(a.entries.indexOf(original) + 1, 0, copy);
      },
    },
    {
      slug: "inserts",
      what: "an archive made with pg_dump --inserts: its data is SQL INSERT statements, not COPY",
      expect: refused(),
      dumpArgs: ["--inserts"],
    },
    {
      slug: "extra-copy-column",
      what: "accounts with an extra column (notes), so its COPY carries one field more than the app's",
      expect: refused(),
      alter: `ALTER TABLE accounts ADD COLUMN notes text DEFAULT 'planted';`,
    },
    {
      slug: "encoding-latin1",
      what: "a dump of a LATIN1 database (ENCODING entry LATIN1, COPY data in LATIN1 bytes)",
      expect: refused(),
      build: (name) => buildLatin1(adminUrl, name),
    },
  ];

  const files: AttackFile[] = [];
  for (const attack of attacks) {
    const name = `wimm_attack_${attack.slug.replace(/-/g, "_")}_${process.pid}`;
    const file = join(dir, `attack-${attack.slug}.dump`);
    let url: string;
    try {
      url = attack.build ? await attack.build(name) : await createScratch(adminUrl, name);
    } catch (error) {
      // A cluster that cannot make this database (LATIN1 needs the C locale): said, and skipped.
      console.warn(`[attack corpus] ${attack.slug} skipped: ${(error as Error).message}`);
      await dropScratch(adminUrl, name).catch(() => undefined);
      continue;
    }
    try {
      if (!attack.build) {
        execFileSync(
          findPgTool("pg_restore"),
          ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname", url, goodDump],
          { stdio: "pipe" },
        );
      }
      if (attack.alter) await runSql(url, attack.alter);
      const rows = await computeChecksums(parseDatabaseUrl(url));
      execFileSync(
        findPgTool("pg_dump"),
        [
          "--format=custom",
          ...(attack.edit ? ["--compress=0"] : []),
          ...(attack.dumpArgs ?? []),
          "--file",
          file,
          "--dbname",
          url,
        ],
        { stdio: "pipe" },
      );
      if (attack.edit) {
        const archive = readCustomArchive(readFileSync(file));
        attack.edit(archive);
        writeFileSync(file, writeCustomArchive(archive));
        // Our own pg_restore must still read it, or the file tests nothing.
        execFileSync(findPgTool("pg_restore"), ["--list", file], { stdio: "pipe" });
      }
      if (attack.marker) rmSync(attack.marker, { force: true });
      files.push({
        name: `attack-${attack.slug}.dump`,
        path: file,
        what: attack.what,
        expect: { sqlite: DUMP_ON_SQLITE, postgresql: attack.expect },
        ...(attack.expect.outcome === "restored-clean" && !attack.rowsDifferFromSource ? { rows } : {}),
        ...(attack.carriesSql ? { carriesSql: true } : {}),
        ...(attack.marker ? { marker: attack.marker } : {}),
      });
    } finally {
      await dropScratch(adminUrl, name);
    }
  }
  return files;
}

function plantedSessionSql(): string {
  return `INSERT INTO sessions (user_id, token_hash, expires_at)
          SELECT min(id), '${PLANTED_SESSION_HASH}', '2099-01-01' FROM users WHERE role = 'admin';`;
}

/** A LATIN1 database with the app's schema and a small family whose names need LATIN1's accents. */
async function buildLatin1(adminUrl: string, name: string): Promise<string> {
  const url = await createScratch(adminUrl, name, "ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'");
  const migrations = loadMigrations("postgresql");
  await runSql(
    url,
    `${migrations.map((m) => m.sql).join("\n")}
     INSERT INTO app_meta VALUES ('app', 'wimm-finance'), ('schema_version', '${migrations.length}');
     INSERT INTO families (name) VALUES ('Família Conceição');
     INSERT INTO users (family_id, username, display_name, password_hash, role)
       VALUES (1, 'admin', 'Administração', 'x', 'admin'), (1, 'maria', 'Maria Conceição', 'x', 'member');
     INSERT INTO accounts (family_id, name) VALUES (1, 'Poupança');
     INSERT INTO categories (family_id, name) VALUES (1, 'Saúde');
     INSERT INTO transactions (account_id, category_id, user_id, amount_cents, description, search_text, occurred_at)
       VALUES (1, 1, 1, -4500, 'Padaria São João', 'padaria sao joao', '2026-01-15 12:00:00'),
              (1, 1, 2, -1200, 'Açaí & Cia', 'acai & cia', '2026-01-16 12:00:00');`,
  );
  return url;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, good, adminUrl, goodDump] = process.argv.slice(2);
  if (!out || !good) {
    console.error("usage: tsx scripts/make-bad-backups.ts OUT_DIR GOOD.sqlite3 [PG_ADMIN_URL [GOOD.dump]]");
    process.exit(2);
  }
  const files = await makeBadBackups(out, good, adminUrl);
  const attacks = await makeAttackBackups(join(out, "attack"), good, goodDump, adminUrl);
  console.log(JSON.stringify({ dir: out, files: files.length, attacks: attacks.length }));
}
