/**
 * The money adds up: after a load, each account's balance (the sum of its transactions'
 * amounts, as the app shows it) and the family's total, read back from the loaded database
 * by SQL, must equal what the backup's own rows add up to, summed in JavaScript from the
 * record stream as it went by. The row checksums already prove every row arrived; this is
 * the same promise in the family's own terms, computed by a second, independent path, and
 * it runs after the upgrade of an older backup too, so no migration can move a cent.
 * A difference throws inside the load's transaction: nothing is committed.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { Table } from "../../db/tables.ts";
import { testFault } from "../faults.ts";
import type { MoneySummary } from "../vocabulary.ts";
import type { LoadOptions } from "./records.ts";

/** The n-th tab-separated field of a canonical COPY line, without splitting the whole line. */
function field(line: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    start = line.indexOf("\t", start) + 1;
    if (start === 0) return "";
  }
  const end = line.indexOf("\t", start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}

/** Account id → the sum of its transactions' amount_cents (0 for an account without any). */
export type AccountBalances = Map<number, bigint>;

/**
 * Per-account sums of a record stream's transactions, taken line by line by whoever reads
 * the stream (the loaders as they load it; inspect's summary as it compares it with the live
 * data). Columns are found by name in each block's table, so any schema version's lines work.
 * Amounts are summed as BigInt: a family total can pass 2^53, and SQLite's SUM stops at 2^63.
 */
export class BalanceTally {
  private readonly sums: AccountBalances = new Map();

  /** What to call on each line of a table; null for the tables money is not in. */
  observer(table: Table): ((line: string) => void) | null {
    const at = (column: string) => {
      const index = table.columns.findIndex((c) => c.name === column);
      if (index < 0) throw new Error(`${table.name} has no ${column} column`);
      return index;
    };
    if (table.name === "accounts") {
      const id = at("id");
      return (line) => {
        const account = Number(field(line, id));
        if (!this.sums.has(account)) this.sums.set(account, 0n);
      };
    }
    if (table.name === "transactions") {
      const account = at("account_id");
      const amount = at("amount_cents");
      return (line) => {
        const id = Number(field(line, account));
        // Non-null and 64-bit: the value checks before any load said so.
        this.sums.set(id, (this.sums.get(id) ?? 0n) + BigInt(field(line, amount)));
      };
    }
    return null;
  }

  balances(): AccountBalances {
    return this.sums;
  }
}

const BALANCES_SQL =
  "SELECT a.id AS id, COALESCE(SUM(t.amount_cents), 0) AS cents FROM accounts a " +
  "LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.id";

/**
 * Test-only (`WIMM_FAULT=skew-balance` with WIMM_TEST_FAULTS=1): one transaction's amount
 * moved by a cent after the checksums, just before this check, in a backup's load — never in
 * a rollback's (appMeta "keep"), which must succeed for the test to see the way back work.
 */
function skewRequested(appMeta: LoadOptions["appMeta"]): boolean {
  return testFault() === "skew-balance" && appMeta !== "keep";
}

const SKEW_SQL =
  "UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = (SELECT min(id) FROM transactions)";

export function checkSqliteBalances(
  db: Database.Database,
  tally: BalanceTally,
  appMeta: LoadOptions["appMeta"],
): MoneySummary {
  if (skewRequested(appMeta)) db.exec(SKEW_SQL);
  const rows = db.prepare(BALANCES_SQL).safeIntegers(true).all() as { id: bigint; cents: bigint }[];
  return compare(
    rows.map((r) => [Number(r.id), BigInt(r.cents)]),
    tally,
  );
}

export async function checkPostgresBalances(
  client: pg.ClientBase,
  tally: BalanceTally,
  appMeta: LoadOptions["appMeta"],
): Promise<MoneySummary> {
  if (skewRequested(appMeta)) await client.query(SKEW_SQL);
  // SUM of a bigint is a numeric: read as text, exact.
  const { rows } = await client.query<{ id: number; cents: string }>(BALANCES_SQL);
  return compare(
    rows.map((r) => [Number(r.id), BigInt(r.cents)]),
    tally,
  );
}

function compare(loaded: [number, bigint][], tally: BalanceTally): MoneySummary {
  const expected = tally.balances();
  const problems: string[] = [];
  let total = 0n;
  let backupTotal = 0n;
  for (const cents of expected.values()) backupTotal += cents;
  const seen = new Set<number>();
  for (const [id, cents] of loaded) {
    seen.add(id);
    total += cents;
    const want = expected.get(id);
    if (want === undefined) problems.push(`account ${id} is not in the backup`);
    else if (want !== cents) problems.push(`account ${id}: the backup's balance is ${want}, the restored one ${cents}`);
  }
  for (const id of expected.keys()) if (!seen.has(id)) problems.push(`account ${id} of the backup is missing`);
  if (total !== backupTotal) problems.push(`the total is ${total} cents, the backup's ${backupTotal}`);
  if (problems.length) throw new Error(`the balances differ from the backup's: ${problems.slice(0, 5).join("; ")}`);
  return { accounts: loaded.length, totalCents: String(total) };
}
