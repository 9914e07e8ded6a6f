/**
 * How a transaction's calendar day reads in each language: "Nov 28, 2026" in English (a
 * numeric date would be ambiguous there), "28/11/2026" in Brazilian Portuguese (how a Brazilian
 * family writes a date, and narrow enough for a table on a phone). Other locales get the
 * numeric form of their own convention.
 */
const DATE_OPTIONS: Record<string, Intl.DateTimeFormatOptions> = {
  en: { dateStyle: "medium" },
};
const NUMERIC_DATE: Intl.DateTimeFormatOptions = { day: "2-digit", month: "2-digit", year: "numeric" };

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A transaction's calendar day in a locale. Transactions are stored at 12:00 UTC of their day,
 * so the day is read in UTC: neither the server's nor the family's time zone may move it.
 */
export function formatTransactionDate(date: Date, locale: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...(DATE_OPTIONS[locale] ?? NUMERIC_DATE), timeZone: "UTC" });
    formats.set(locale, format);
  }
  return format.format(date);
}

/** A transaction's day as YYYY-MM-DD (for `<time dateTime>`, date inputs and the CSV). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A moment on the settings page (a restore, a backup, an audit entry): date, hour and the
 * zone's name, so "03:00" is never read in the wrong zone. next-intl applies the family's.
 */
export const MOMENT_WITH_ZONE = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
} as const;
