import type { Db } from "../db/client.ts";
import { DEFAULT_TIME_ZONE, isTimeZone } from "../time-zone.ts";

/**
 * The family's time zone lives in app_meta rather than in a new `families` column: a schema
 * change would make every backup taken so far (schema version 1) unrestorable until restore
 * learns to upgrade older backups. app_meta travels in every backup and is checked by none.
 */
export const TIME_ZONE_KEY = "family_time_zone";

export type FamilySummary = { id: number; name: string; currency: string; timeZone: string };

export async function getFamily(db: Db, familyId: number): Promise<FamilySummary> {
  const [family, zone] = await Promise.all([
    db.family.findUniqueOrThrow({ where: { id: familyId }, select: { id: true, name: true, currency: true } }),
    db.appMeta.findUnique({ where: { key: TIME_ZONE_KEY } }),
  ]);
  // A zone this Node does not know (hand-edited, or from a newer tz database) falls back to UTC
  // rather than breaking every date on every page.
  const timeZone = zone && isTimeZone(zone.value) ? zone.value : DEFAULT_TIME_ZONE;
  return { ...family, timeZone };
}
