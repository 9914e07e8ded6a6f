/** Time zones as IANA names (`America/Sao_Paulo`); the family's is `families.time_zone`. */

export const DEFAULT_TIME_ZONE = "UTC";

/** True when this Node's Intl knows the zone (so every formatter given it will work). */
export function isTimeZone(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Every zone Intl lists, for the family settings form. */
export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/** The calendar date (YYYY-MM-DD) that `now` is in a time zone: "today" for the family. */
export function isoDateInTimeZone(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** First and last day (YYYY-MM-DD) of the month an ISO date is in, and of the month before. */
export function monthRange(isoDate: string, monthsBack = 0): { from: string; to: string } {
  const [y, m] = isoDate.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 - monthsBack, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}
