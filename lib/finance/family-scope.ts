import type { Prisma } from "../generated/sqlite/client.ts";

/**
 * The `where` that keeps a family's queries to its own transactions.
 *
 * A filter through the account costs a table lookup per row, which makes a deep page of
 * 1,000,000 transactions 25× slower (the plain `occurred_at` index covers the ordering on its
 * own). When the family owns every account in the database — a single-family install, the
 * normal case — the filter selects every row anyway, so it is left out.
 */
export async function familyTransactionsWhere(
  db: Prisma.TransactionClient,
  familyId: number,
): Promise<Prisma.TransactionWhereInput> {
  const foreignAccounts = await db.account.count({ where: { familyId: { not: familyId } } });
  return foreignAccounts === 0 ? {} : { account: { familyId } };
}
