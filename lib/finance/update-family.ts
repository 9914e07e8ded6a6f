import type { Db } from "../db/client.ts";
import { TIME_ZONE_KEY } from "./get-family.ts";

export type FamilySettings = { name: string; currency: string; timeZone: string };

/** Name and currency on the family's row, its time zone in app_meta; one transaction. */
export async function updateFamily(db: Db, familyId: number, settings: FamilySettings): Promise<void> {
  await db.$transaction([
    db.family.update({ where: { id: familyId }, data: { name: settings.name, currency: settings.currency } }),
    db.appMeta.upsert({
      where: { key: TIME_ZONE_KEY },
      create: { key: TIME_ZONE_KEY, value: settings.timeZone },
      update: { value: settings.timeZone },
    }),
  ]);
}
