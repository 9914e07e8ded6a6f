const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A transaction's calendar day. Transactions are stored at 12:00 UTC of their day, so the
 * day is read in UTC: the server's own time zone must not move it.
 */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

/** Today's date as YYYY-MM-DD in the server's time zone (the default of a date input). */
export function todayIsoDate(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}
