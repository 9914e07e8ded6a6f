/**
 * Every value of an untrusted backup, checked before anything live is touched, whatever
 * the backup's kind: the checker reads the record stream itself — the canonical COPY lines
 * (lib/db/checksum.ts) that a SQLite file, a dump or a JSON lines export all turn into — so
 * one set of rules guards every scenario. A value the app's own schema or screens could not
 * hold (a role `Admin`, a currency `R$`, an amount `12,34`, a date `now`, a NUL) would be
 * accepted by one engine or the other and break the app afterwards; here it is a finding
 * with its table, column and row ids, and the restore is refused.
 *
 * Memory stays small at any size: per table only counters, and for the columns that other
 * tables point to (the small parent tables) their ids; for a foreign key column only its
 * distinct values. Foreign keys are resolved at the end, so the blocks may come in any order
 * (a dump writes its tables alphabetically).
 *
 * The safety backup, the app's own data, is loaded without these refusals.
 */
import { TABLES, type Column, type Table } from "../../db/tables.ts";
import type { Finding } from "./preflight.ts";

const MAX_IDS = 20;
const MAX_DISTINCT_POINTERS = 100_000;
const INT32_MAX = 2147483647;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** ISO 4217 codes, as this Node's ICU knows them. */
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
const ROLES = new Set(["admin", "member"]);

/** Tables other tables point to: their ids are remembered to resolve foreign keys. */
const REFERENCED = new Set(TABLES.flatMap((t) => t.columns.flatMap((c) => (c.references ? [c.references] : []))));

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATETIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.\d{3}$/;
const INTEGER = /^-?\d{1,19}$/;

/** A real calendar date and time, in the canonical form; never a date word or a modifier. */
export function isCanonicalDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && !leap ? 28 : DAYS[mo - 1]!);
}

function typeProblem(column: Column, field: string): string | null {
  if (field === "\\N") return column.nullable ? null : "missing value (NULL)";
  switch (column.type) {
    case "int": {
      if (!INTEGER.test(field)) return "not a 32-bit integer";
      const n = Number(field);
      return n < -INT32_MAX - 1 || n > INT32_MAX ? "not a 32-bit integer" : null;
    }
    case "bigint": {
      if (!INTEGER.test(field)) return "not a 64-bit integer";
      if (field.length < 18) return null;
      const n = BigInt(field);
      return n < INT64_MIN || n > INT64_MAX ? "not a 64-bit integer" : null;
    }
    case "bool":
      return field === "t" || field === "f" ? null : "not a boolean";
    case "datetime":
      return isCanonicalDateTime(field) ? null : "not a date and time";
    case "text":
      return field.includes("\0") ? "contains a NUL byte" : null;
  }
}

type Problem = { table: string; column: string; problem: string; ids: string[] };

export class RecordChecker {
  private readonly problems = new Map<string, Problem>();
  /** Ids of each referenced table, as canonical text. */
  private readonly ids = new Map<string, Set<string>>();
  /** Per foreign key column: each distinct value and the first row id that holds it. */
  private readonly pointers = new Map<string, { table: string; column: Column; values: Map<string, string> }>();
  private readonly usernames = new Set<string>();
  private readonly seen = new Set<string>();
  private activeAdmins = 0;

  private add(table: string, column: string, problem: string, id: string) {
    const key = `${table}\0${column}\0${problem}`;
    let p = this.problems.get(key);
    if (!p) this.problems.set(key, (p = { table, column, problem, ids: [] }));
    if (p.ids.length < MAX_IDS) p.ids.push(id);
  }

  /** A checker of one table's lines; each table is read once, in any order. */
  table(table: Table): (line: string) => void {
    if (this.seen.has(table.name)) this.add(table.name, "*", "appears twice in the backup", "-");
    this.seen.add(table.name);
    const idIndex = table.idColumn ? table.columns.findIndex((c) => c.name === table.idColumn) : 0;
    const ids = REFERENCED.has(table.name) ? new Set<string>() : null;
    if (ids) this.ids.set(table.name, ids);
    const fks = table.columns.flatMap((column, i) => {
      if (!column.references) return [];
      const entry = { table: table.name, column, values: new Map<string, string>() };
      this.pointers.set(`${table.name}.${column.name}`, entry);
      return [{ i, values: entry.values }];
    });
    const at = (name: string) => table.columns.findIndex((c) => c.name === name);
    const role = table.name === "users" ? at("role") : -1;
    const active = table.name === "users" ? at("active") : -1;
    const username = table.name === "users" ? at("username") : -1;
    const currency = table.name === "families" ? at("currency") : -1;
    let n = 0;
    return (line) => {
      n++;
      const fields = line.split("\t");
      const id = fields[idIndex] ?? `line ${n}`;
      if (fields.length !== table.columns.length) {
        this.add(table.name, "*", `has ${fields.length} fields, expected ${table.columns.length}`, id);
        return;
      }
      for (let i = 0; i < fields.length; i++) {
        const problem = typeProblem(table.columns[i]!, fields[i]!);
        if (problem) this.add(table.name, table.columns[i]!.name, problem, id);
      }
      if (table.idColumn) {
        // The next id must still fit: PostgreSQL's sequence is a 32-bit integer.
        if (Number(id) >= INT32_MAX) this.add(table.name, table.idColumn, "id too large for the next id", id);
      }
      if (ids) {
        if (ids.has(id)) this.add(table.name, table.idColumn ?? "key", "duplicate id", id);
        ids.add(id);
      }
      for (const fk of fks) {
        const value = fields[fk.i]!;
        if (value === "\\N" || fk.values.has(value)) continue;
        // No family has this many accounts, categories or users: the file is made up, and
        // remembering every value would let it fill this process's memory.
        if (fk.values.size >= MAX_DISTINCT_POINTERS)
          this.add(
            table.name,
            table.columns[fk.i]!.name,
            `points to more than ${MAX_DISTINCT_POINTERS} different rows`,
            id,
          );
        else fk.values.set(value, id);
      }
      if (role >= 0) {
        if (!ROLES.has(fields[role]!)) this.add(table.name, "role", "not a role (admin or member)", id);
        else if (fields[role] === "admin" && fields[active] === "t") this.activeAdmins++;
        const name = fields[username]!;
        if (this.usernames.has(name)) this.add(table.name, "username", "duplicate username", id);
        this.usernames.add(name);
      }
      if (currency >= 0 && !CURRENCIES.has(fields[currency]!))
        this.add(table.name, "currency", "not an ISO 4217 currency code", id);
    };
  }

  /** Everything found, foreign keys and the active admin included. */
  findings(): Finding[] {
    for (const { table, column, values } of this.pointers.values()) {
      const parent = this.ids.get(column.references!);
      for (const [value, firstRow] of values)
        if (!parent?.has(value)) this.add(table, column.name, `points to a missing ${column.references} row`, firstRow);
    }
    if (this.seen.has("users") && this.activeAdmins === 0) this.add("users", "role", "no active admin", "-");
    return [...this.problems.values()];
  }
}
