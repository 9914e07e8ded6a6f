import type { Db } from "../db/client.ts";

/** Deletes a transaction of the family; false when there is none with that id in the family. */
export async function deleteTransaction(db: Db, familyId: number, id: number): Promise<boolean> {
  const { count } = await db.transaction.deleteMany({ where: { id, account: { familyId } } });
  return count === 1;
}
