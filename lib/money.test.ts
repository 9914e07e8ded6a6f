import { describe, expect, it } from "vitest";
import { MAX_ABS_CENTS, formatCents, parseAmountToCents } from "./money.ts";

describe("parseAmountToCents", () => {
  it.each([
    ["12.34", 1234n],
    ["-12,34", -1234n],
    ["1.234,56", 123456n],
    ["1,234.56", 123456n],
    ["1234", 123400n],
    ["-5", -500n],
    ["0,5", 50n],
    ["0.05", 5n],
    ["12,3", 1230n],
    ["+7.10", 710n],
    ["\u22123,50", -350n],
    ["  42  ", 4200n],
    [".5", 50n],
    [",05", 5n],
    ["0", 0n],
    ["-0", 0n],
    ["007", 700n],
  ])("reads %j as %s cents", (input, expected) => {
    expect(parseAmountToCents(input)).toBe(expected);
  });

  it.each([
    ["1.234", 123400n],
    ["1,234", 123400n],
    ["1.234.567", 123456700n],
    ["1,234,567.89", 123456789n],
    ["1.234.567,89", 123456789n],
    ["-1.000.000,01", -100000001n],
  ])("reads thousands groups in %j as %s cents", (input, expected) => {
    expect(parseAmountToCents(input)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["   ", "blank"],
    ["-", "a sign alone"],
    ["abc", "letters"],
    ["12a", "trailing letters"],
    ["1e5", "exponent notation"],
    ["1.2.3,4", "groups shorter than 3 digits"],
    ["1.234,567.89", "mixed thousands separators"],
    ["1,234,56", "thousands separator equal to the decimal one"],
    ["1.2345", "more than 2 decimals"],
    ["0.123", "3 decimals after zero (not a thousands group)"],
    ["01.234", "a group led by zero"],
    ["1234.567", "a first group longer than 3 digits"],
    ["5.", "a trailing separator"],
    [".", "a separator alone"],
    ["1..5", "two separators in a row"],
    ["--5", "two signs"],
    ["5-", "a trailing sign"],
    ["1 234,56", "a space inside"],
    ["Infinity", "Infinity"],
    ["NaN", "NaN"],
    ["\u0661\u0662", "non-ASCII digits"],
    ["1".repeat(41), "an input longer than any allowed amount"],
  ])("rejects %j (%s)", (input) => {
    expect(parseAmountToCents(input)).toBeNull();
  });

  it("accepts up to ±(2^53 − 1) cents and no more", () => {
    expect(MAX_ABS_CENTS).toBe(9007199254740991n);
    expect(parseAmountToCents("90071992547409.91")).toBe(9007199254740991n);
    expect(parseAmountToCents("-90,071,992,547,409.91")).toBe(-9007199254740991n);
    expect(parseAmountToCents("90071992547409.92")).toBeNull();
    expect(parseAmountToCents("-90071992547409.92")).toBeNull();
    expect(parseAmountToCents("999999999999999999")).toBeNull();
  });
});

describe("formatCents", () => {
  it("formats cents in the currency, exactly", () => {
    expect(formatCents(123456n, "USD")).toBe("$1,234.56");
    expect(formatCents(-1234n, "USD")).toBe("-$12.34");
    expect(formatCents(5n, "USD")).toBe("$0.05");
    expect(formatCents(0n, "USD")).toBe("$0.00");
    expect(formatCents(-5n, "USD")).toBe("-$0.05");
  });

  it("keeps every digit of amounts beyond 2^53 cents", () => {
    expect(formatCents(123456789012345678901n, "USD")).toBe("$1,234,567,890,123,456,789.01");
    expect(formatCents(-9007199254740993n, "USD")).toBe("-$90,071,992,547,409.93");
  });

  it("follows the locale and the family's currency", () => {
    expect(formatCents(123456n, "BRL", "pt-BR")).toBe("R$\u00a01.234,56");
    expect(formatCents(123456n, "EUR", "de-DE")).toBe("1.234,56\u00a0€");
  });

  it("does not throw on an unknown currency code", () => {
    expect(formatCents(1050n, "not a currency")).toBe("10.50 not a currency");
  });
});
