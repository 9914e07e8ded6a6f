import type { Db } from "../db/client.ts";

/** Marks a transaction of the family reconciled (checked against a statement) or not. */
export async function setTransactionReconciled(
  db: Db,
  familyId: number,
  id: number,
  reconciled: boolean,
): Promise<boolean> {
  const { count } = await db.transaction.updateMany({ where: { id, account: { familyId } }, data: { reconciled } });
  return count === 1;
}
