import type { Prisma } from "../generated/sqlite/client.ts";

export type Tx = Prisma.TransactionClient;

/**
 * Serializes the user changes of one family, on both engines, so two admins acting at once
 * cannot both pass the "another active admin remains" check and leave none (each demoting
 * the other). It must be the transaction's first statement: a write to the family's row
 * (to itself) takes PostgreSQL's row lock, and SQLite's write lock, until COMMIT — a read
 * first would let SQLite's deferred transactions deadlock on the upgrade.
 */
export async function lockFamily(tx: Tx, familyId: number): Promise<void> {
  await tx.$executeRaw`UPDATE families SET id = id WHERE id = ${familyId}`;
}

/** True when an active admin of the family other than `userId` exists (inside the lock). */
export async function hasOtherActiveAdmin(tx: Tx, familyId: number, userId: number): Promise<boolean> {
  const count = await tx.user.count({ where: { familyId, role: "admin", active: true, id: { not: userId } } });
  return count > 0;
}
