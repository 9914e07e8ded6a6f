import type { Db } from "../db/client.ts";
import { familyTransactionsWhere } from "./family-scope.ts";

export type TransactionRow = {
  id: number;
  occurredAt: Date;
  description: string;
  amountCents: bigint;
  accountName: string;
  categoryName: string | null;
};

export type TransactionPage = {
  rows: TransactionRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
};

export const TRANSACTIONS_PAGE_SIZE = 50;

// Newest first; the id breaks ties between transactions of the same moment so pages never
// overlap or skip a row. Both columns are covered by the occurred_at index.
const NEWEST_FIRST = [{ occurredAt: "desc" }, { id: "desc" }] as const;

const ROW_SELECT = {
  id: true,
  occurredAt: true,
  description: true,
  amountCents: true,
  account: { select: { name: true } },
  category: { select: { name: true } },
} as const;

type SelectedRow = {
  id: number;
  occurredAt: Date;
  description: string;
  amountCents: bigint;
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
  };
}

/** One page (1-based) of the family's transactions, newest first, and how many there are in all. */
export async function listTransactions(
  db: Db,
  familyId: number,
  page: number,
  pageSize: number = TRANSACTIONS_PAGE_SIZE,
): Promise<TransactionPage> {
  const where = await familyTransactionsWhere(db, familyId);
  const [rows, total] = await Promise.all([
    db.transaction.findMany({
      where,
      orderBy: [...NEWEST_FIRST],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: ROW_SELECT,
    }),
    db.transaction.count({ where }),
  ]);
  return {
    rows: rows.map(toRow),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** The family's latest transactions, for the dashboard. */
export async function listRecentTransactions(db: Db, familyId: number, take = 10): Promise<TransactionRow[]> {
  const where = await familyTransactionsWhere(db, familyId);
  const rows = await db.transaction.findMany({ where, orderBy: [...NEWEST_FIRST], take, select: ROW_SELECT });
  return rows.map(toRow);
}
