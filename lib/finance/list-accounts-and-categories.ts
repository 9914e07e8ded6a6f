import type { Db } from "../db/client.ts";

export type AccountSummary = { id: number; name: string; archived: boolean; balanceCents: bigint };
export type CategorySummary = { id: number; name: string; archived: boolean; transactionCount: number };

/**
 * Every account of the family, archived ones too, with its balance, and every category with
 * how many transactions use it: summed and counted by the database (GROUP BY), open ones first.
 */
export async function listAccountsAndCategories(
  db: Db,
  familyId: number,
): Promise<{ accounts: AccountSummary[]; categories: CategorySummary[] }> {
  const orderBy = [{ archived: "asc" as const }, { name: "asc" as const }, { id: "asc" as const }];
  const select = { id: true, name: true, archived: true } as const;
  const [accounts, categories] = await Promise.all([
    db.account.findMany({ where: { familyId }, select, orderBy }),
    db.category.findMany({ where: { familyId }, select, orderBy }),
  ]);
  const [sums, counts] = await Promise.all([
    accounts.length === 0
      ? []
      : db.transaction.groupBy({
          by: ["accountId"],
          where: { accountId: { in: accounts.map((a) => a.id) } },
          _sum: { amountCents: true },
        }),
    categories.length === 0
      ? []
      : db.transaction.groupBy({
          by: ["categoryId"],
          where: { categoryId: { in: categories.map((c) => c.id) } },
          _count: { _all: true },
        }),
  ]);
  const balance = new Map(sums.map((s) => [s.accountId, BigInt(s._sum.amountCents ?? 0n)]));
  const used = new Map(counts.map((c) => [c.categoryId, c._count._all]));
  return {
    accounts: accounts.map((a) => ({ ...a, balanceCents: balance.get(a.id) ?? 0n })),
    categories: categories.map((c) => ({ ...c, transactionCount: used.get(c.id) ?? 0 })),
  };
}
