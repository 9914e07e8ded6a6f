import type { Db } from "../db/client.ts";

export type FamilySummary = { id: number; name: string; currency: string };

export async function getFamily(db: Db, familyId: number): Promise<FamilySummary> {
  return db.family.findUniqueOrThrow({ where: { id: familyId }, select: { id: true, name: true, currency: true } });
}
