/**
 * Amounts as plain decimals, the way a person types them and a spreadsheet reads them: no
 * currency, no thousands separators, exactly two decimals, exact at any size (cents never pass
 * through a float). Only the decimal mark follows the locale.
 */

export type DecimalMark = "." | ",";

/** Cents as a plain decimal: -123456n → "-1234.56", or "-1234,56" with a decimal comma. */
export function formatCentsPlain(cents: bigint, decimalMark: DecimalMark = "."): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? "-" : ""}${abs / 100n}${decimalMark}${(abs % 100n).toString().padStart(2, "0")}`;
}

/** The decimal mark of a locale's numbers, as Intl knows it: "," for pt-BR, "." for en. */
export function decimalMarkOf(locale: string): DecimalMark {
  const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value;
  return mark === "," ? "," : ".";
}
