import type { Db } from "../db/client.ts";

export type AccountBalance = { id: number; name: string; balanceCents: bigint };

/**
 * Each open account of the family with the sum of its transactions, summed by the database
 * (one GROUP BY), never by loading the rows.
 */
export async function getAccountBalances(
  db: Db,
  familyId: number,
): Promise<{ accounts: AccountBalance[]; totalCents: bigint }> {
  const accounts = await db.account.findMany({
    where: { familyId, archived: false },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  if (accounts.length === 0) return { accounts: [], totalCents: 0n };

  const sums = await db.transaction.groupBy({
    by: ["accountId"],
    where: { accountId: { in: accounts.map((a) => a.id) } },
    _sum: { amountCents: true },
  });
  const byAccount = new Map(sums.map((s) => [s.accountId, BigInt(s._sum.amountCents ?? 0n)]));

  const withBalances = accounts.map((a) => ({ ...a, balanceCents: byAccount.get(a.id) ?? 0n }));
  const totalCents = withBalances.reduce((sum, a) => sum + a.balanceCents, 0n);
  return { accounts: withBalances, totalCents };
}
