import type { Db } from "../db/client.ts";
import type { Engine } from "../db/url.ts";
import { familyTransactionsWhere } from "./family-scope.ts";
import { transactionsWhere, type TransactionFilter } from "./transaction-filter.ts";

export type TransactionRow = {
  id: number;
  occurredAt: Date;
  description: string;
  amountCents: bigint;
  accountName: string;
  categoryName: string | null;
  reconciled: boolean;
};

export type TransactionPage = {
  rows: TransactionRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** The sum of every transaction the filter selects (not only this page's). */
  totalCents: bigint;
};

export const TRANSACTIONS_PAGE_SIZE = 50;

// Newest first; the id breaks ties between transactions of the same moment so pages never
// overlap or skip a row. Both columns are covered by the occurred_at index.
const NEWEST_FIRST = [{ occurredAt: "desc" }, { id: "desc" }] as const;

/** What a transaction row reads, on the list and in the CSV export (transactions-csv.ts). */
export const TRANSACTION_ROW_SELECT = {
  id: true,
  occurredAt: true,
  description: true,
  amountCents: true,
  reconciled: true,
  account: { select: { name: true } },
  category: { select: { name: true } },
} as const;

type SelectedRow = {
  id: number;
  occurredAt: Date;
  description: string;
  amountCents: bigint;
  reconciled: boolean;
  account: { name: string };
  category: { name: string } | null;
};

function toRow(t: SelectedRow): TransactionRow {
  return {
    id: t.id,
    occurredAt: t.occurredAt,
    description: t.description,
    amountCents: BigInt(t.amountCents),
    accountName: t.account.name,
    categoryName: t.category?.name ?? null,
    reconciled: t.reconciled,
  };
}

/**
 * One page (1-based) of the family's transactions, newest first, narrowed by `filter`; how
 * many match and their sum, both computed by the database in one aggregate.
 */
export async function listTransactions(
  db: Db,
  familyId: number,
  page: number,
  pageSize: number = TRANSACTIONS_PAGE_SIZE,
  query: { filter?: TransactionFilter; engine?: Engine } = {},
): Promise<TransactionPage> {
  const where = await transactionsWhere(db, familyId, query.filter ?? {}, query.engine ?? "sqlite");
  const [rows, totals] = await Promise.all([
    db.transaction.findMany({
      where,
      orderBy: [...NEWEST_FIRST],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: TRANSACTION_ROW_SELECT,
    }),
    db.transaction.aggregate({ where, _count: { _all: true }, _sum: { amountCents: true } }),
  ]);
  const total = totals._count._all;
  return {
    rows: rows.map(toRow),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    totalCents: BigInt(totals._sum.amountCents ?? 0n),
  };
}

/** The family's latest transactions, for the dashboard. */
export async function listRecentTransactions(db: Db, familyId: number, take = 10): Promise<TransactionRow[]> {
  const where = await familyTransactionsWhere(db, familyId);
  const rows = await db.transaction.findMany({
    where,
    orderBy: [...NEWEST_FIRST],
    take,
    select: TRANSACTION_ROW_SELECT,
  });
  return rows.map(toRow);
}
