import type { Db } from "../db/client.ts";
import { DEFAULT_TIME_ZONE, isTimeZone } from "../time-zone.ts";

export type FamilySummary = { id: number; name: string; currency: string; timeZone: string };

export async function getFamily(db: Db, familyId: number): Promise<FamilySummary> {
  const family = await db.family.findUniqueOrThrow({
    where: { id: familyId },
    select: { id: true, name: true, currency: true, timeZone: true },
  });
  // A zone this Node does not know (hand-edited, restored from a backup, or from a newer tz
  // database) falls back to UTC rather than breaking every date on every page.
  return { ...family, timeZone: isTimeZone(family.timeZone) ? family.timeZone : DEFAULT_TIME_ZONE };
}
