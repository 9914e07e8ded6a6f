import type { Db } from "../db/client.ts";
import type { Engine } from "../db/url.ts";
import { transactionsWhere, type TransactionFilter } from "./transaction-filter.ts";

export type IncomeAndExpenses = {
  /** The sum of the money coming in (positive amounts). */
  incomeCents: bigint;
  /** The sum of the money going out (negative amounts), so negative or zero. */
  expensesCents: bigint;
};

/**
 * Money in and money out of the family's transactions under a filter (the dashboard's month),
 * summed by the database: two aggregates, never the rows.
 */
export async function sumIncomeAndExpenses(
  db: Db,
  familyId: number,
  filter: TransactionFilter,
  engine: Engine,
): Promise<IncomeAndExpenses> {
  const where = await transactionsWhere(db, familyId, filter, engine);
  const [income, expenses] = await Promise.all([
    db.transaction.aggregate({ where: { AND: [where, { amountCents: { gt: 0 } }] }, _sum: { amountCents: true } }),
    db.transaction.aggregate({ where: { AND: [where, { amountCents: { lt: 0 } }] }, _sum: { amountCents: true } }),
  ]);
  return {
    incomeCents: BigInt(income._sum.amountCents ?? 0n),
    expensesCents: BigInt(expenses._sum.amountCents ?? 0n),
  };
}
