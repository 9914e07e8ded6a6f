/**
 * Money is integer cents (BigInt) from the form to the database and back; it never passes
 * through a float, so 0.1 + 0.2 stays 30 cents and a balance of trillions stays exact.
 */

/** The largest amount one transaction may hold: what a JavaScript number can still count exactly. */
export const MAX_ABS_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

// Longer than any amount below MAX_ABS_CENTS with separators and a sign; checked first so
// a pasted essay is rejected before any regular expression runs on it.
const MAX_INPUT_LENGTH = 40;

/**
 * Reads an amount as people type it, in either convention:
 * `12.34`, `-12,34`, `1.234,56`, `1,234.56`, `1234`, `-5`, `0,5`.
 *
 * Rules:
 * - an optional sign (`-`, `+` or the Unicode minus `−`) then digits and the separators `.` and `,`;
 * - the last separator is the decimal separator when 1 or 2 digits follow it (`0,5` is 50 cents);
 * - every other separator groups thousands: the same character throughout, different from the
 *   decimal one, 3 digits per group after a first group of 1–3 digits (`1.234` is 1234.00, as in
 *   pt-BR and de-DE; `0.123` and `12.3456` are refused rather than guessed at);
 * - more than 2 decimals, empty input, spaces inside, or more than ±(2^53−1) cents → null.
 */
export function parseAmountToCents(input: string): bigint | null {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH) return null;

  const signMatch = /^[-+\u2212]/.exec(text);
  const negative = signMatch !== null && signMatch[0] !== "+";
  const body = signMatch ? text.slice(1) : text;
  if (!/^[0-9.,]+$/.test(body) || !/[0-9]/.test(body)) return null;

  let integerPart = body;
  let fraction = "";
  let decimalSeparator: string | undefined;
  const last = Math.max(body.lastIndexOf("."), body.lastIndexOf(","));
  if (last >= 0) {
    const after = body.slice(last + 1);
    if (after.length === 1 || after.length === 2) {
      decimalSeparator = body[last];
      integerPart = body.slice(0, last);
      fraction = after;
    } else if (after.length !== 3) {
      return null; // "5." or "1.2345": neither decimals we accept nor a thousands group
    }
  }

  const integerDigits = readGroupedInteger(integerPart, decimalSeparator);
  if (integerDigits === null) return null;

  const cents = BigInt(integerDigits || "0") * 100n + BigInt(fraction.padEnd(2, "0") || "0");
  if (cents > MAX_ABS_CENTS) return null;
  return negative ? -cents : cents;
}

/** The digits of an integer part, either plain (`1234`) or grouped (`1.234.567`); null when malformed. */
function readGroupedInteger(text: string, decimalSeparator: string | undefined): string | null {
  if (/^[0-9]*$/.test(text)) return text; // plain digits, or nothing before a decimal separator (",50")
  const thousands = /[.,]/.exec(text)?.[0];
  if (thousands === undefined || thousands === decimalSeparator) return null;
  const groups = text.split(thousands);
  const [first, ...rest] = groups;
  if (first === undefined || !/^[1-9][0-9]{0,2}$/.test(first)) return null;
  if (!rest.every((group) => /^[0-9]{3}$/.test(group))) return null;
  return groups.join("");
}

/**
 * Formats cents in a currency. The amount goes to Intl as an exact decimal string, not a
 * number, so amounts beyond 2^53 cents still print every digit.
 */
export function formatCents(cents: bigint, currency: string, locale: string = "en-US"): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const decimal = `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      // Amounts are stored in hundredths whatever the currency's usual precision.
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(decimal as Intl.StringNumericLiteral);
  } catch {
    // An unknown currency code in the database must not take a whole page down.
    return `${decimal} ${currency}`;
  }
}
