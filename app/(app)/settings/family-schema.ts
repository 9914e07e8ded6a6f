import { z } from "zod";

import { isCurrencyCode } from "@/lib/env";
import { isTimeZone } from "@/lib/time-zone";

/**
 * The family settings form. Messages are keys of "FamilySettings.errors": the action
 * translates them, so the schema stays one static, testable object.
 */
export const FamilySettingsSchema = z.object({
  name: z.string().trim().min(1, "nameRequired").max(100, "nameTooLong"),
  currency: z.string().trim().toUpperCase().refine(isCurrencyCode, "currency"),
  timeZone: z.string().trim().refine(isTimeZone, "timeZone"),
});

export type FamilySettingsValues = { name: string; currency: string; timeZone: string };

export type FamilySettingsState = {
  errors?: Partial<Record<keyof FamilySettingsValues, string[]>>;
  message?: string | null;
  /** Set when saved: the form shows "saved" and takes the stored values. */
  savedAt?: number;
  values?: FamilySettingsValues;
};
