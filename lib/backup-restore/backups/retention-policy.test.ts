import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_POLICY } from "./plan-retention.ts";
import { formatRetentionText, parseRetentionText, RetentionPolicySchema } from "./retention-policy.ts";

describe("parseRetentionText", () => {
  it("reads all five names, in any order, separated by commas or spaces", () => {
    expect(parseRetentionText("hours=48,daily=14,weekly=8,monthly=24,safety-days=60")).toEqual({
      ok: true,
      policy: { keepAllHours: 48, daily: 14, weekly: 8, monthly: 24, safetyDays: 60 },
    });
    expect(parseRetentionText(" safety-days=90  monthly=0, weekly=0 ")).toEqual({
      ok: true,
      policy: { ...DEFAULT_RETENTION_POLICY, safetyDays: 90, monthly: 0, weekly: 0 },
    });
  });

  it("leaves the names not given at their defaults", () => {
    expect(parseRetentionText("daily=10")).toEqual({ ok: true, policy: { ...DEFAULT_RETENTION_POLICY, daily: 10 } });
  });

  it("reads back what it formats", () => {
    const policy = { keepAllHours: 6, daily: 3, weekly: 2, monthly: 1, safetyDays: 7 };
    expect(formatRetentionText(policy)).toBe("hours=6,daily=3,weekly=2,monthly=1,safety-days=7");
    expect(parseRetentionText(formatRetentionText(policy))).toEqual({ ok: true, policy });
    expect(parseRetentionText(formatRetentionText(DEFAULT_RETENTION_POLICY))).toEqual({
      ok: true,
      policy: DEFAULT_RETENTION_POLICY,
    });
  });

  it.each([
    ["", /empty/],
    ["24h,7d,4w,12m,30s", /"24h" is not one of/],
    ["days=7", /"days=7" is not one of/],
    ["daily=7,daily=8", /daily is given twice/],
    ["daily=-1", /not one of/],
    ["daily=1.5", /not one of/],
    ["daily=0", /daily must be a whole number from 1 to 1000/],
    ["hours=0", /hours must be a whole number from 1 to 8760/],
    ["safety-days=3", /safety-days must be a whole number from 7 to 3650/],
    ["monthly=1001", /monthly must be a whole number from 0 to 1000/],
  ])("refuses %j", (text, problem) => {
    const parsed = parseRetentionText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe("RetentionPolicySchema", () => {
  it("takes the default policy, and refuses a missing field, an extra one or a fraction", () => {
    expect(RetentionPolicySchema.safeParse(DEFAULT_RETENTION_POLICY).success).toBe(true);
    expect(RetentionPolicySchema.safeParse({ ...DEFAULT_RETENTION_POLICY, daily: undefined }).success).toBe(false);
    expect(RetentionPolicySchema.safeParse({ ...DEFAULT_RETENTION_POLICY, yearly: 3 }).success).toBe(false);
    expect(RetentionPolicySchema.safeParse({ ...DEFAULT_RETENTION_POLICY, weekly: 2.5 }).success).toBe(false);
  });
});
