import type { Db } from "../db/client.ts";
import { foldForSearch } from "../db/fold.ts";

export type NewTransaction = {
  familyId: number;
  userId: number;
  accountId: number;
  categoryId: number | null;
  amountCents: bigint;
  description: string;
  /** The calendar day, YYYY-MM-DD; stored at 12:00 UTC so it shows as the same day in every time zone. */
  date: string;
};

export type CreateTransactionResult =
  { ok: true; id: number } | { ok: false; reason: "ACCOUNT_NOT_FOUND" | "CATEGORY_NOT_FOUND" };

/** Adds a transaction to an open account (and category) of the user's own family. */
export async function createTransaction(db: Db, input: NewTransaction): Promise<CreateTransactionResult> {
  const account = await db.account.findFirst({
    where: { id: input.accountId, familyId: input.familyId, archived: false },
    select: { id: true },
  });
  if (!account) return { ok: false, reason: "ACCOUNT_NOT_FOUND" };
  if (input.categoryId !== null) {
    const category = await db.category.findFirst({
      where: { id: input.categoryId, familyId: input.familyId, archived: false },
      select: { id: true },
    });
    if (!category) return { ok: false, reason: "CATEGORY_NOT_FOUND" };
  }
  const created = await db.transaction.create({
    data: {
      accountId: input.accountId,
      categoryId: input.categoryId,
      userId: input.userId,
      amountCents: input.amountCents,
      description: input.description,
      // Derived: the search reads this, never the description (transaction-filter.ts).
      searchText: foldForSearch(input.description),
      occurredAt: dateAtNoonUtc(input.date),
    },
    select: { id: true },
  });
  return { ok: true, id: created.id };
}

export function dateAtNoonUtc(date: string): Date {
  return new Date(`${date}T12:00:00.000Z`);
}
