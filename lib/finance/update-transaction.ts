import type { Db } from "../db/client.ts";
import { foldForSearch } from "../db/fold.ts";
import { dateAtNoonUtc } from "./create-transaction.ts";

export type TransactionChanges = {
  familyId: number;
  id: number;
  accountId: number;
  categoryId: number | null;
  amountCents: bigint;
  description: string;
  /** YYYY-MM-DD. */
  date: string;
};

export type UpdateTransactionResult =
  { ok: true } | { ok: false; reason: "TRANSACTION_NOT_FOUND" | "ACCOUNT_NOT_FOUND" | "CATEGORY_NOT_FOUND" };

/**
 * Changes a transaction of the family. It may move to an open account or category of the
 * family; it may also keep the archived account or category it already has, so an old
 * transaction can still be corrected.
 */
export async function updateTransaction(db: Db, input: TransactionChanges): Promise<UpdateTransactionResult> {
  const current = await db.transaction.findFirst({
    where: { id: input.id, account: { familyId: input.familyId } },
    select: { accountId: true, categoryId: true },
  });
  if (!current) return { ok: false, reason: "TRANSACTION_NOT_FOUND" };
  if (input.accountId !== current.accountId) {
    const account = await db.account.findFirst({
      where: { id: input.accountId, familyId: input.familyId, archived: false },
      select: { id: true },
    });
    if (!account) return { ok: false, reason: "ACCOUNT_NOT_FOUND" };
  }
  if (input.categoryId !== null && input.categoryId !== current.categoryId) {
    const category = await db.category.findFirst({
      where: { id: input.categoryId, familyId: input.familyId, archived: false },
      select: { id: true },
    });
    if (!category) return { ok: false, reason: "CATEGORY_NOT_FOUND" };
  }
  // updateMany with the family in the where: a row that left the family meanwhile is not touched.
  const { count } = await db.transaction.updateMany({
    where: { id: input.id, account: { familyId: input.familyId } },
    data: {
      accountId: input.accountId,
      categoryId: input.categoryId,
      amountCents: input.amountCents,
      description: input.description,
      // Derived, so written with the description every time (transaction-filter.ts searches it).
      searchText: foldForSearch(input.description),
      occurredAt: dateAtNoonUtc(input.date),
    },
  });
  return count === 1 ? { ok: true } : { ok: false, reason: "TRANSACTION_NOT_FOUND" };
}
