import type { Db } from "../db/client.ts";

export type EditableTransaction = {
  id: number;
  accountId: number;
  categoryId: number | null;
  amountCents: bigint;
  description: string;
  /** YYYY-MM-DD (stored at 12:00 UTC of that day). */
  date: string;
  reconciled: boolean;
};

/** A transaction of the family (through its account), or null: another family's is not found. */
export async function getTransaction(db: Db, familyId: number, id: number): Promise<EditableTransaction | null> {
  const t = await db.transaction.findFirst({
    where: { id, account: { familyId } },
    select: {
      id: true,
      accountId: true,
      categoryId: true,
      amountCents: true,
      description: true,
      occurredAt: true,
      reconciled: true,
    },
  });
  if (!t) return null;
  return {
    id: t.id,
    accountId: t.accountId,
    categoryId: t.categoryId,
    amountCents: BigInt(t.amountCents),
    description: t.description,
    date: t.occurredAt.toISOString().slice(0, 10),
    reconciled: t.reconciled,
  };
}
