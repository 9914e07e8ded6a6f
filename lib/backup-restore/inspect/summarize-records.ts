/**
 * One pass over a record stream — a backup's, or the live database's read the same way
 * (read-live-records.ts) — keeping what a comparison of the two needs and no row itself:
 * for users, accounts and transactions each id with a 53-bit hash of its row, the accounts'
 * names, and each account's balance (engine/money-check.ts, as the loaders sum it). For family-sized data that is
 * a few numbers per row; memory does not grow with the length of descriptions.
 *
 * The two sides may be at different schema versions (an older backup lacks columns the
 * live schema added): rows are hashed on the columns both sides have (`comparedTables`), so
 * a row reads as changed only when a value it had in the backup is different now.
 */
import { unescapeCopyText } from "../../db/checksum.ts";
import { hashBytesExtended, utf8 } from "../../db/pg-hash.ts";
import { getTable, tablesAt, type Table } from "../../db/tables.ts";
import type { RecordSource } from "../engine/records.ts";
import { BalanceTally, type AccountBalances } from "../engine/money-check.ts";

/** The tables compared row by row: what a restore would take away or bring back. */
export const COMPARED = ["users", "accounts", "transactions"] as const;
export type ComparedTable = (typeof COMPARED)[number];

/** Each compared table restricted to the columns both schema versions have, in the backup's order. */
export type ComparedTables = Record<ComparedTable, Table>;

export type RecordSummary = {
  /** Row id → hash of its compared columns, per compared table. */
  rows: Record<ComparedTable, Map<number, number>>;
  accountNames: Map<number, string>;
  balances: AccountBalances;
};

/**
 * Columns that change by merely using the app, not by anyone editing the family's data: a
 * user who signed in since the backup is not "changed since" (the admin previewing a restore
 * has always just signed in). The restore still puts the backup's value back.
 */
const NOT_COMPARED = new Set(["last_sign_in_at"]);

export function comparedTables(backupVersion: number, liveVersion: number): ComparedTables {
  const pick = (name: ComparedTable): Table => {
    const backup = getTable(name, tablesAt(backupVersion));
    const live = new Set(getTable(name, tablesAt(liveVersion)).columns.map((c) => c.name));
    const columns = backup.columns.filter((c) => live.has(c.name) && !NOT_COMPARED.has(c.name));
    return { ...backup, columns, derived: [] };
  };
  return { users: pick("users"), accounts: pick("accounts"), transactions: pick("transactions") };
}

export async function summarizeRecords(records: RecordSource, compared: ComparedTables): Promise<RecordSummary> {
  const summary: RecordSummary = {
    rows: { users: new Map(), accounts: new Map(), transactions: new Map() },
    accountNames: new Map(),
    balances: new Map(),
  };
  const tally = new BalanceTally();
  for await (const { table, lines } of records) {
    const name = COMPARED.find((n) => n === table.name);
    // Every block is read to its end: the readers stream them in order.
    if (!name) {
      for await (const line of lines) void line;
      continue;
    }
    const target = compared[name];
    const order = target.columns.map((c) => table.columns.findIndex((s) => s.name === c.name));
    if (order.some((i) => i < 0)) throw new Error(`the stream's ${table.name} lacks a compared column`);
    const identity = order.length === table.columns.length && order.every((i, k) => i === k);
    const id = target.columns.findIndex((c) => c.name === "id");
    const accountName = name === "accounts" ? target.columns.findIndex((c) => c.name === "name") : -1;
    const observe = tally.observer(table);
    const byId = summary.rows[name];
    for await (const line of lines) {
      const fields = line.split("\t");
      // Tabs inside text are escaped in a canonical line: splitting on them is exact.
      const projected = identity ? line : order.map((i) => fields[i]).join("\t");
      const values = identity ? fields : projected.split("\t");
      byId.set(Number(values[id]), rowHash(projected));
      if (accountName >= 0) summary.accountNames.set(Number(values[id]), unescapeCopyText(values[accountName]!));
      observe?.(line);
    }
  }
  summary.balances = tally.balances();
  return summary;
}

/**
 * PostgreSQL's hashtextextended(line, 0), cut to 53 bits so it is an exact JavaScript
 * number: two different rows with the same id read as equal once in 2^53 — a comparison
 * for a preview, not a proof (the restore's own checksums are that).
 */
function rowHash(line: string): number {
  const { bytes, length } = utf8(line);
  const [hi, lo] = hashBytesExtended(bytes, length, 0, 0);
  return (hi >>> 11) * 2 ** 32 + (lo >>> 0);
}
