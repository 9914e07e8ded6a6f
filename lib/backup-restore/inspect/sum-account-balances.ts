/**
 * Each account's balance — the sum of its transactions' `amount_cents` — from the record
 * stream (engine/records.ts), whatever the backup's kind: the same canonical lines a restore
 * loads. Amounts are 64-bit integer cents, summed as BigInt (a family total can pass 2^53,
 * and a sum in SQLite would stop at 2^63 with an error).
 *
 * Two ways in: `sumAccountBalances` reads a whole stream (the check that the money adds up
 * after a restore); `createBalanceSummer` takes one line at a time, for a reader that does
 * more with each line than sum it (compare-with-live.ts's summary).
 */
import type { Table } from "../../db/tables.ts";
import type { RecordSource } from "../engine/records.ts";

/** Account id → the sum of its transactions' amount_cents; an account without any is absent. */
export type AccountBalances = Map<number, bigint>;

export type BalanceSummer = { add(line: string): void; readonly balances: AccountBalances };

/**
 * A summer for canonical lines of `table` (the transactions table at the stream's schema
 * version: the columns are found by name, so any version's line order works).
 */
export function createBalanceSummer(table: Table): BalanceSummer {
  const account = table.columns.findIndex((c) => c.name === "account_id");
  const amount = table.columns.findIndex((c) => c.name === "amount_cents");
  if (table.name !== "transactions" || account < 0 || amount < 0)
    throw new Error(`${table.name} is not a transactions table with account_id and amount_cents`);
  const balances: AccountBalances = new Map();
  return {
    balances,
    add(line) {
      const fields = line.split("\t");
      const id = Number(fields[account]);
      // A checked stream holds no NULL amount; one here is a bug in the reader, not data.
      const cents = BigInt(fields[amount]!);
      balances.set(id, (balances.get(id) ?? 0n) + cents);
    },
  };
}

/** The balances of a whole record stream; every other block is read to its end and dropped. */
export async function sumAccountBalances(records: RecordSource): Promise<AccountBalances> {
  let summer: BalanceSummer | undefined;
  for await (const { table, lines } of records) {
    // Readers stream their blocks in order: a block left unread would stall the next one.
    if (table.name !== "transactions") {
      for await (const line of lines) void line;
      continue;
    }
    summer = createBalanceSummer(table);
    for await (const line of lines) summer.add(line);
  }
  if (!summer) throw new Error("the record stream has no transactions block");
  return summer.balances;
}
