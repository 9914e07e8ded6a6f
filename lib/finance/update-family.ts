import type { Db } from "../db/client.ts";

export type FamilySettings = { name: string; currency: string; timeZone: string };

/** Name, currency and time zone, all on the family's row. */
export async function updateFamily(db: Db, familyId: number, settings: FamilySettings): Promise<void> {
  await db.family.update({
    where: { id: familyId },
    data: { name: settings.name, currency: settings.currency, timeZone: settings.timeZone },
  });
}
