/**
 * Bad backup files, made on the fly from a good one (no binary blobs in the repo): each
 * must be refused with a clear error and the live data left exactly as it was.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export type BadFile = { name: string; path: string; expectedCode: string };

/** SQLite page size of our files (the default). */
const PAGE = 4096;

export function makeBadBackups(dir: string, goodSqlite: string): BadFile[] {
  const good = readFileSync(goodSqlite);
  const files: BadFile[] = [];
  const add = (name: string, content: Buffer | string, expectedCode: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push({ name, path, expectedCode });
  };

  add("empty.sqlite3", Buffer.alloc(0), "UNKNOWN_FILE_TYPE");
  add("one-byte.sqlite3", Buffer.from([0x53]), "UNKNOWN_FILE_TYPE");
  add("header-only.sqlite3", good.subarray(0, 100), "SQLITE_CORRUPT");
  // Cut in the middle of the data: the header promises pages that are not there.
  add("truncated.sqlite3", good.subarray(0, Math.floor(good.length / 2)), "SQLITE_CORRUPT");
  add("truncated-odd.sqlite3", good.subarray(0, PAGE * 3 + 123), "SQLITE_CORRUPT");

  // A flipped byte inside a b-tree page of the transactions table.
  const flipped = Buffer.from(good);
  const db = new Database(goodSqlite, { readonly: true });
  const root = (
    db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'transactions'").get() as { rootpage: number }
  ).rootpage;
  db.close();
  const offset = (root - 1) * PAGE;
  // Page header: byte 0 is the page type; bytes 3–4 the cell count. Garble the cell pointers.
  for (let i = 8; i < 40; i++) flipped[offset + i] = flipped[offset + i]! ^ 0xff;
  add("flipped-data-page.sqlite3", flipped, "SQLITE_CORRUPT");

  // A valid SQLite database of another app.
  const otherPath = join(dir, "other-app.sqlite3");
  const other = new Database(otherPath);
  other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
  other.close();
  files.push({ name: "other-app.sqlite3", path: otherPath, expectedCode: "NOT_THIS_APP" });

  // Our app marker, but a view posing as the transactions table.
  const viewPath = join(dir, "view-as-table.sqlite3");
  copyFileSync(goodSqlite, viewPath);
  const viewDb = new Database(viewPath);
  viewDb.exec("DROP TABLE transactions; CREATE VIEW transactions AS SELECT 1 AS id;");
  viewDb.close();
  files.push({ name: "view-as-table.sqlite3", path: viewPath, expectedCode: "SCHEMA_MISMATCH" });

  // From a newer version of the app.
  const newerPath = join(dir, "newer-schema.sqlite3");
  copyFileSync(goodSqlite, newerPath);
  const newerDb = new Database(newerPath);
  newerDb.prepare("UPDATE app_meta SET value = '999' WHERE key = 'schema_version'").run();
  newerDb.close();
  files.push({ name: "newer-schema.sqlite3", path: newerPath, expectedCode: "NEWER_SCHEMA" });

  add("pgdmp-garbage.dump", Buffer.concat([Buffer.from("PGDMP"), Buffer.alloc(2000, 0x41)]), "PG_ARCHIVE_UNREADABLE");
  add(
    "picture.sqlite3",
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]),
    "UNKNOWN_FILE_TYPE",
  );
  add(
    "plain.sql",
    "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\\! touch /tmp/wimm-pwned\nCOPY x FROM PROGRAM 'touch /tmp/wimm-pwned';\n",
    "PLAIN_SQL_DUMP",
  );
  return files;
}
