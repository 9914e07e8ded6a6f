/**
 * The corpus of bad backup files, generated (not committed as blobs nobody can read).
 *
 *   npx tsx scripts/make-bad-backups.ts OUT_DIR GOOD.sqlite3 [PG_ADMIN_URL]
 *
 * writes every file and a corpus.json describing them. From a good SQLite backup of the app
 * it derives damaged, foreign and hostile SQLite files and look-alikes; with a PostgreSQL
 * superuser URL it also builds custom-format archives that carry each kind of entry this
 * app never writes (functions, triggers, event triggers, extensions, rules, policies,
 * foreign servers, ACLs, a DATABASE entry, names with control characters, other schemas).
 * The tests (tests/bad-files.test.ts) restore each one and expect a clear refusal with the
 * live data unchanged.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import Database from "better-sqlite3";
import pg from "pg";
import { loadMigrations } from "../lib/db/schema.ts";
import { findPgTool } from "../lib/backup-restore/engine/pg-tools.ts";

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

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, good, adminUrl] = process.argv.slice(2);
  if (!out || !good) {
    console.error("usage: tsx scripts/make-bad-backups.ts OUT_DIR GOOD.sqlite3 [PG_ADMIN_URL]");
    process.exit(2);
  }
  const files = await makeBadBackups(out, good, adminUrl);
  console.log(JSON.stringify({ dir: out, files: files.length }));
}
