/**
 * What a custom-format archive may contain to be restored here: exactly what this app's own
 * pg_dump produces — its tables and their data, their id sequences (with ownership and
 * values), the id defaults, indexes, and primary-key / unique / foreign-key constraints, all
 * in schema `public` and named after this app's tables, and the extensions its migrations
 * create (pg_trgm, since schema 2; its entry is never restored: the loader's migrations
 * create it). Functions, triggers, other extensions,
 * rules, policies, foreign servers, ACLs, a DATABASE entry, a name with a control character —
 * anything else — refuses the file, naming the entry, before a row is read. (No entry's SQL
 * is ever run: a restore reads only the rows, engine/dump-records.ts. This check is the
 * early, clear refusal of a dump that is not this app's.)
 *
 * The listing to check is `pg_restore --list --create`: without --create, pg_restore hides
 * the database-level entries. Every custom archive has one plain `DATABASE` entry (inert
 * unless restored with --create, which we never pass, and left out of the -L list); its
 * companions `DATABASE PROPERTIES` (ALTER DATABASE … SET) and `COMMENT - DATABASE` are refused.
 */
import { MIGRATION_EXTENSIONS } from "../../db/migrate.ts";
import { TABLES } from "../../db/tables.ts";

export type TocCheck = { ok: true } | { ok: false; entry: string; reason: string };

const TABLE_NAMES = new Set(TABLES.map((t) => t.name));
const SEQUENCES = new Set(TABLES.filter((t) => t.idColumn).map((t) => `${t.name}_${t.idColumn}_seq`));
const IDENT = /^[a-z][a-z0-9_]*$/;

/** The extensions the app's own migrations create (prisma/migrations/postgresql/0002_schema_2.sql). */
const APP_EXTENSIONS = new Set(MIGRATION_EXTENSIONS);

function ownedByTable(name: string): boolean {
  return IDENT.test(name) && TABLES.some((t) => name.startsWith(`${t.name}_`));
}

/** [description, check of the words after it (schema, names…, owner)]. Longest descriptions first. */
const ALLOWED: [string, (words: string[]) => boolean][] = [
  ["TABLE DATA", ([schema, table]) => schema === "public" && TABLE_NAMES.has(table ?? "")],
  ["SEQUENCE OWNED BY", ([schema, seq]) => schema === "public" && SEQUENCES.has(seq ?? "")],
  ["SEQUENCE SET", ([schema, seq]) => schema === "public" && SEQUENCES.has(seq ?? "")],
  ["SEQUENCE", ([schema, seq]) => schema === "public" && SEQUENCES.has(seq ?? "")],
  [
    "FK CONSTRAINT",
    ([schema, table, name]) => schema === "public" && TABLE_NAMES.has(table ?? "") && ownedByTable(name ?? ""),
  ],
  [
    "CONSTRAINT",
    ([schema, table, name]) => schema === "public" && TABLE_NAMES.has(table ?? "") && ownedByTable(name ?? ""),
  ],
  ["DEFAULT", ([schema, table, column]) => schema === "public" && TABLE_NAMES.has(table ?? "") && column === "id"],
  ["INDEX", ([schema, name]) => schema === "public" && ownedByTable(name ?? "")],
  ["TABLE", ([schema, table]) => schema === "public" && TABLE_NAMES.has(table ?? "")],
  ["EXTENSION", ([dash, name]) => dash === "-" && APP_EXTENSIONS.has(name ?? "")],
  ["COMMENT", ([dash, kind, name]) => dash === "-" && kind === "EXTENSION" && APP_EXTENSIONS.has(name ?? "")],
  // `public` itself, when its owner is not the default one (a database set up by hand).
  ["SCHEMA", ([dash, name]) => dash === "-" && name === "public"],
];

export function checkArchiveToc(listing: string): TocCheck {
  for (const line of listing.split("\n")) {
    if (!line.trim() || line.startsWith(";")) continue;
    if (/[\u0000-\u001f\u007f]/.test(line))
      return { ok: false, entry: JSON.stringify(line).slice(0, 200), reason: "a name with a control character" };
    const m = /^(\d+);\s+\d+\s+\d+\s+(.*)$/.exec(line);
    if (!m) return { ok: false, entry: line.slice(0, 200), reason: "an entry pg_restore listed in an unknown form" };
    const rest = m[2]!;
    if (/^DATABASE - \S+ \S+$/.test(rest)) continue; // inert without --create; never restored
    const rule = ALLOWED.find(([desc]) => rest.startsWith(`${desc} `));
    if (!rule)
      return {
        ok: false,
        entry: rest.slice(0, 200),
        reason: `a ${rest.split(" ")[0]} entry, which this app never writes`,
      };
    const words = rest.slice(rule[0].length + 1).split(" ");
    if (!rule[1](words))
      return { ok: false, entry: rest.slice(0, 200), reason: "an object that is not one of this app's" };
  }
  return { ok: true };
}
