/**
 * The retention form's schema (which field each error lands beside, as a message key, and
 * what it reads once translated with the field's bound) and the sentence that says in words
 * what a policy keeps, in English and in Portuguese.
 */
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BackupRetentionSchema, retentionValues } from "../app/(app)/settings/backup-retention-schema.ts";
import { DEFAULT_RETENTION_POLICY } from "../lib/backup-restore/backups/plan-retention.ts";
import { MESSAGES } from "../lib/i18n/messages.ts";

const en = createTranslator({ locale: "en", messages: MESSAGES.en });
const pt = createTranslator({ locale: "pt-BR", messages: MESSAGES["pt-BR"] });
const typed = retentionValues(DEFAULT_RETENTION_POLICY);

describe("BackupRetentionSchema", () => {
  it("takes five whole numbers as typed (spaces around them too)", () => {
    expect(BackupRetentionSchema.parse({ ...typed, daily: " 14 " })).toEqual({
      ...DEFAULT_RETENTION_POLICY,
      daily: 14,
    });
    expect(BackupRetentionSchema.parse({ ...typed, weekly: "0", monthly: "0" })).toMatchObject({
      weekly: 0,
      monthly: 0,
    });
  });

  it("puts each refusal beside its own field, as a key", () => {
    const result = BackupRetentionSchema.safeParse({
      keepAllHours: "0",
      daily: "",
      weekly: "2.5",
      monthly: "1001",
      safetyDays: "6",
    });
    expect(result.success).toBe(false);
    expect(z.flattenError(result.error!).fieldErrors).toEqual({
      keepAllHours: ["tooSmall"],
      daily: ["required"],
      weekly: ["notWhole"],
      monthly: ["tooLarge"],
      safetyDays: ["tooSmall"],
    });
  });

  it("the bound is named in both languages", () => {
    expect(en("BackupRetention.errors.tooSmall", { min: 7, max: 3650 })).toBe("At least 7.");
    expect(pt("BackupRetention.errors.tooLarge", { min: 0, max: 1000 })).toBe("No máximo 1000.");
  });
});

describe("the policy in words", () => {
  const words = (t: typeof en, p = DEFAULT_RETENTION_POLICY) =>
    t("BackupRetention.summary", {
      hours: p.keepAllHours,
      daily: p.daily,
      weekly: p.weekly,
      monthly: p.monthly,
      safetyDays: p.safetyDays,
    });

  it("says what the default keeps", () => {
    expect(words(en)).toBe(
      "Keeps every backup of the last 24 hours; then the newest backup of each day, week and month that has one, " +
        "for the last 7 days, 4 weeks and 12 months; safety backups taken before a restore or an upgrade for at " +
        "least 30 days. The newest verified backup is always kept.",
    );
    expect(words(pt)).toContain("das últimas 24 horas");
    expect(words(pt)).toContain("nos últimos 7 dias, nas últimas 4 semanas e nos últimos 12 meses");
  });

  it("says one, and none, in words", () => {
    const small = { keepAllHours: 1, daily: 1, weekly: 0, monthly: 0, safetyDays: 7 };
    expect(words(en, small)).toContain("of the last hour;");
    expect(words(en, small)).toContain("for the last 1 day, no weeks and no months;");
    expect(words(pt, small)).toContain("da última hora;");
    expect(words(pt, small)).toContain("no último dia, em nenhuma semana e em nenhum mês;");
  });
});
